import type { z } from 'zod';

/**
 * Turns zod issues into "path: reason" lines for people, e.g.
 * `deadline.steps[2] (reminder-late): a reminder must fall before the due date ...`.
 * `whole` names the input itself when an issue has no path. A custom issue may carry `params.label` (a step id, a partner number) to name what the path points at.
 */
export function formatIssues(error: z.ZodError, prefix?: string, whole = '(input)'): string[] {
  return error.issues.map((issue) => {
    const where = formatPath(issue.path, prefix, whole);
    const label = labelOf(issue);
    return `${where}${label === undefined ? '' : ` (${label})`}: ${issue.message}`;
  });
}

function formatPath(path: readonly PropertyKey[], prefix: string | undefined, whole: string): string {
  let text = prefix ?? '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text === '' ? whole : text;
}

function labelOf(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code !== 'custom') return undefined;
  const label: unknown = issue.params?.['label'];
  return typeof label === 'string' ? label : undefined;
}

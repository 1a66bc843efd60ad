/** Joins the paragraphs of a plain-text mail, leaving out the ones a template made conditional. */
export function paragraphs(...parts: (string | false | undefined)[]): string {
  return `${parts.filter((part): part is string => typeof part === 'string' && part !== '').join('\n\n')}\n`;
}

/** A block of "Label: value" lines, skipping absent values. */
export function facts(...rows: [label: string, value: string | number | undefined][]): string {
  return rows
    .filter((row): row is [string, string | number] => row[1] !== undefined)
    .map(([label, value]) => `${label}: ${value}`)
    .join('\n');
}

/**
 * Staff classify what a partner left open in a submitted report: the field of action of a section
 * or a measure, a measure's status, a figure's category. Each is named by its path in the report
 * ("sections[0].blocks[2].status"), and what staff assign is marked as theirs, with name and day
 * (report-values.ts). What the partner stated stays the partner's: staff never overwrite it.
 */
import { z } from 'zod';
import { fieldOfActionSchema } from './fields-of-action';
import { measureStatuses, parseReportSubmission, type ReportBlock, type ReportSection, type ReportSubmission } from './report';
import { figureCategories } from './report-figure';
import { classifiedValue, classifyByStaff, isNotStated, notStated, statedByPartner, type Classified } from './report-values';

export const classificationKinds = ['fieldOfAction', 'status', 'category'] as const;
export type ClassificationKind = (typeof classificationKinds)[number];

/** What staff may assign for each kind: one value (a partner's "geplant bzw. laufend" is the partner's to state). */
const valueSchemas: Record<ClassificationKind, z.ZodType<string>> = {
  fieldOfAction: fieldOfActionSchema,
  status: z.enum(measureStatuses, { error: `must be one of ${measureStatuses.join(', ')}` }),
  category: z.enum(figureCategories, { error: `must be one of ${figureCategories.join(', ')}` }),
};

/** A classification the partner left open, with where it stands in the report and what staff assigned, if anything. */
export type OpenClassification = {
  path: string;
  kind: ClassificationKind;
  /** The heading of the section it belongs to; undefined before the first heading. */
  section: string | undefined;
  /** The measure's title or the figure's label; undefined for a section, or a measure without a title. */
  item: string | undefined;
  assigned: { value: string; by: string; at: string } | undefined;
};

type Found = OpenClassification & { current: Classified<unknown> };

/** Every classification of the report, in reading order, stated or not. */
function classifications(report: ReportSubmission): Found[] {
  const found: Found[] = [];
  const add = (path: string, kind: ClassificationKind, value: Classified<unknown>, section: string | undefined, item: string | undefined) => {
    const known = classifiedValue(value);
    const assigned = known?.source === 'staff' ? { value: String(known.value), by: known.by, at: known.at } : undefined;
    found.push({ path, kind, section, item, assigned, current: value });
  };
  const blocks = (list: ReportBlock[], at: string, section: string | undefined) =>
    list.forEach((block, index) => {
      const path = `${at}[${index}]`;
      if (block.kind === 'measure') {
        const title = isNotStated(block.title) ? undefined : (block.title as string);
        add(`${path}.fieldOfAction`, 'fieldOfAction', block.fieldOfAction, section, title);
        add(`${path}.status`, 'status', block.status, section, title);
      }
      if (block.kind === 'measure' || block.kind === 'text') {
        block.figures?.forEach((figure, f) => add(`${path}.figures[${f}].category`, 'category', figure.category, section, figure.label));
      }
    });
  const sections = (list: ReportSection[], at: string) =>
    list.forEach((section, index) => {
      const path = `${at}[${index}]`;
      add(`${path}.fieldOfAction`, 'fieldOfAction', section.fieldOfAction, section.heading, undefined);
      blocks(section.blocks, `${path}.blocks`, section.heading);
      sections((section.subsections ?? []) as ReportSection[], `${path}.subsections`);
    });
  blocks(report.blocks, 'blocks', undefined);
  sections(report.sections, 'sections');
  return found;
}

/** The classifications the partner left open, in reading order: what staff may classify. */
export function openClassifications(report: ReportSubmission): OpenClassification[] {
  return classifications(report)
    .filter((c) => isNotStated(c.current))
    .map(({ current: _current, ...open }) => open);
}

/** What staff assigned, or `null`: the classification was withdrawn and reads "not stated" again. */
export type Assignment = { value: string; by: string; at: string } | null;

export type ClassificationResult =
  | { ok: true; content: unknown; assigned: Assignment; /** What was assigned before; null if nothing. */ was: Assignment }
  | { ok: false; status: 409 | 422; errors: string[] };

/**
 * The stored report `content` with `value` assigned at `path` by `by` on `at` (YYYY-MM-DD), or with
 * the ministry's classification withdrawn when `value` is null (a slip is undone without inventing a
 * value; withdrawing what is not assigned changes nothing). Changes the stored JSON at that one
 * place only, so everything else stays byte for byte as submitted.
 */
export function classifyInReport(content: unknown, path: string, value: unknown, by: string, at: string): ClassificationResult {
  const parsed = parseReportSubmission(content);
  if (!parsed.ok) return { ok: false, status: 409, errors: ['version: was stored in an earlier shape and cannot be classified'] };
  const target = classifications(parsed.report).find((c) => c.path === path);
  if (!target) return { ok: false, status: 422, errors: ['path: is not a field of action, measure status or figure category of this report'] };
  const was = target.assigned ?? null;
  if (value === null) {
    if (!isNotStated(target.current)) return { ok: false, status: 409, errors: [`path: ${statedByPartner}`] };
    if (!was) return { ok: true, content, assigned: null, was };
    const next = structuredClone(content) as Record<string, unknown>;
    setAt(next, path, notStated);
    return { ok: true, content: next, assigned: null, was };
  }
  const checked = valueSchemas[target.kind].safeParse(value);
  if (!checked.success) return { ok: false, status: 422, errors: [`value: ${checked.error.issues[0]?.message ?? 'is not valid'}`] };
  const assignment = { value: checked.data, by, at };
  const classified = classifyByStaff<unknown>(target.current, assignment);
  if (!classified.ok) return { ok: false, status: 409, errors: [`path: ${classified.error}`] };
  const next = structuredClone(content) as Record<string, unknown>;
  setAt(next, path, classified.classified);
  if (!parseReportSubmission(next).ok) return { ok: false, status: 422, errors: [`value: does not fit ${path}`] };
  return { ok: true, content: next, assigned: assignment, was };
}

/** Sets `value` at a path such as "sections[0].blocks[2].status" (one that classifications() produced). */
function setAt(root: Record<string, unknown>, path: string, value: unknown): void {
  const keys = [...path.matchAll(/([A-Za-z]+)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
  let node: unknown = root;
  for (const key of keys.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  (node as Record<string | number, unknown>)[keys.at(-1) as string] = value;
}

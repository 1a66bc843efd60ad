import { z } from 'zod';
import { measureIdSchema } from './declaration';
import { fieldOfActionSchema } from './fields-of-action';
import { fuzzyDateSchema, periodSchema } from './fuzzy-date';
import { parsePartnerInput, richText, singleLine, tableCell, textLimits } from './partner-input';
import { figureSchema } from './report-figure';
import { classification, orNotStated, statedLine, webAddressSchema } from './report-values';

/**
 * What a partner submits as its annual report ("Umsetzungsbericht") for one year, shaped like
 * what partners actually write: text, measures, tables and charts as an ordered list of blocks,
 * under the partner's own headings. Whatever the partner did not state is `{ "stated": false }`
 * (see report-values.ts), never a made-up value. The workflow knows partner and year.
 */

export const measureStatuses = [
  'geplant',
  'begonnen',
  'laufend',
  'verstetigt',
  'abgeschlossen',
  'ausgesetzt',
  'nicht_durchgefuehrt',
] as const;
export type MeasureStatus = (typeof measureStatuses)[number];

/** Kinds of measures the reports in the network's 2018 compiled report share. */
export const measureKinds = [
  'STELLENAUSSCHREIBUNG_ZUSATZ',
  'AUSWAHLVERFAHREN_IK',
  'AUSBILDUNGSMARKETING',
  'PRAKTIKUM_EQ',
  'SCHULUNG_PFLICHT',
  'SCHULUNG_FUEHRUNG',
  'FORTBILDUNG_ANGEBOT',
  'SPRACHMITTLUNG',
  'MEHRSPRACHIGE_INFO',
  'INTERN_KOMMUNIKATION',
  'BEFRAGUNG_MONITORING',
  'GREMIUM',
  'VERANSTALTUNG_AKTION',
  'KOOPERATION_MSO',
  'EXTERNE_PROGRAMME',
] as const;
export type MeasureKind = (typeof measureKinds)[number];

export const recurrences = ['jaehrlich', 'halbjaehrlich', 'quartalsweise', 'laufend'] as const;

export const targetGroups = [
  'Beschaeftigte',
  'Fuehrungskraefte',
  'Auszubildende_Nachwuchs',
  'Bewerbende_Schueler',
  'Eltern',
  'Kundschaft_Buerger',
  'Ehrenamtliche',
  'Mitgliedsorganisationen',
  'Gefluechtete',
  'Migrantenorganisationen',
] as const;

const measureStatusSchema = z.enum(measureStatuses);

/**
 * One status, or several when the partner wrote a mixed one ("geplant bzw. bereits
 * durchgeführt" → ["geplant", "abgeschlossen"]); the words themselves go to `statusText`.
 */
const statusValueSchema = z.union([
  measureStatusSchema,
  z
    .array(measureStatusSchema)
    .min(2, 'must name at least 2 statuses; give a single status as text')
    .max(measureStatuses.length)
    .refine((statuses) => new Set(statuses).size === statuses.length, 'must not name a status twice'),
]);
export type MeasureStatusValue = z.infer<typeof statusValueSchema>;

/** Ids that sections, tables and charts may carry so other parts of the report can point at them. */
export const blockIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be 1-64 lower-case letters, digits or "-", starting with a letter or digit');

/** "siehe Abschnitt 2", "vgl. Tabelle 1": what the partner printed and the id it points at. */
const crossReferenceSchema = z.strictObject({ target: blockIdSchema, printed: singleLine(textLimits.label) });

const evidenceSchema = z.strictObject({
  kind: z.enum(['document', 'link', 'attachment']),
  label: singleLine(textLimits.label),
  /** A storage key, a web address, or the `ref` of one of the report's attachments. */
  ref: singleLine(textLimits.ref),
}).superRefine((evidence, ctx) => {
  if (evidence.kind === 'link' && !webAddressSchema.safeParse(evidence.ref).success) {
    ctx.addIssue({ code: 'custom', path: ['ref'], message: 'must be a web address for a link' });
  }
});

const figures = z.array(figureSchema).max(40).optional();
const references = z.array(crossReferenceSchema).max(20).optional();

const textBlockSchema = z.strictObject({
  kind: z.literal('text'),
  /** Paragraphs separated by an empty line, list items starting with "- ", footnote marks as "[^1]". */
  text: richText(),
  figures,
  references,
});

const measureBlockSchema = z.strictObject({
  kind: z.literal('measure'),
  /** The measure of the accession declaration this reports on; absent for further activities. */
  declaredMeasureRef: measureIdSchema.optional(),
  title: orNotStated(statedLine(textLimits.title), 'a title'),
  fieldOfAction: classification(fieldOfActionSchema, 'a field of action'),
  type: z.enum(measureKinds).optional(),
  status: classification(statusValueSchema, 'a status or a list of statuses'),
  /** The status in the partner's words, e.g. an LVR "Stand der Umsetzung". */
  statusText: richText().optional(),
  recurring: z.enum(recurrences).optional(),
  dates: z
    .array(
      z.strictObject({
        when: z.union([fuzzyDateSchema, periodSchema], {
          error: (issue) =>
            issue.input === undefined ? 'is required' : 'must be a fuzzy date { year, … } or a period { from?, to?, text }',
        }),
        label: singleLine(textLimits.label).optional(),
      }),
    )
    .max(20)
    .optional(),
  targetGroups: z
    .array(z.enum(targetGroups))
    .max(targetGroups.length)
    .refine((groups) => new Set(groups).size === groups.length, 'must not name a group twice')
    .optional(),
  /** Who works on the measure with the partner. */
  cooperationPartners: z.array(singleLine(textLimits.name)).max(30).optional(),
  /** Who pays for it ("gefördert durch …"): not the same as a cooperation partner. */
  funders: z.array(singleLine(textLimits.name)).max(30).optional(),
  links: z.array(webAddressSchema).max(20).optional(),
  description: richText(),
  evidence: z.array(evidenceSchema).max(20).optional(),
  figures,
  references,
});

const dataSchema = z
  .strictObject({
    columns: z.array(singleLine(textLimits.label)).min(1).max(20),
    rows: z.array(z.array(tableCell()).max(20)).max(200),
  })
  .superRefine((data, ctx) => {
    data.rows.forEach((row, index) => {
      if (row.length !== data.columns.length) {
        ctx.addIssue({ code: 'custom', path: ['rows', index], message: `must have ${data.columns.length} cells, one per column` });
      }
    });
  });

const exhibitFields = {
  id: blockIdSchema.optional(),
  /** "Tabelle 1: …", "Abbildung 2: …", as printed. */
  caption: orNotStated(statedLine(textLimits.title), 'a caption'),
  source: orNotStated(statedLine(textLimits.label), 'a source'),
  /** Notes printed under it, e.g. "* jährlich wiederkehrend". */
  notes: z.array(richText(1000)).max(20).optional(),
};

/** A table as printed, its cells verbatim. */
const tableBlockSchema = z.strictObject({ kind: z.literal('table'), ...exhibitFields, data: dataSchema });

/** A chart or picture; `data` only where the report printed the numbers behind it. */
const chartBlockSchema = z.strictObject({
  kind: z.literal('chart'),
  ...exhibitFields,
  data: dataSchema.optional(),
  /** What it shows, in the partner's words, when the picture itself is not in the submission. */
  description: richText(2000).optional(),
});

export const blockSchema = z.discriminatedUnion('kind', [textBlockSchema, measureBlockSchema, tableBlockSchema, chartBlockSchema], {
  error: (issue) => (issue.input === undefined ? 'is required' : 'must be a block of kind text, measure, table or chart'),
});
const blocks = z.array(blockSchema).max(80);

const sectionFields = {
  id: blockIdSchema.optional(),
  /** The partner's heading, verbatim, numbering included ("Handlungsfeld 1: …", "a) …"). */
  heading: singleLine(textLimits.title),
  fieldOfAction: classification(fieldOfActionSchema, 'a field of action'),
  /** Text, measures, tables and charts in the order the partner wrote them. */
  blocks,
};

const levelOf = <L extends 1 | 2 | 3>(level: L) =>
  z.literal(level, {
    error: (issue) =>
      issue.input === undefined ? 'is required' : `must be ${level}: sections at this depth are level ${level}`,
  });

function requireContent(section: { blocks: unknown[]; subsections?: unknown[] | undefined }, ctx: z.RefinementCtx): void {
  if (section.blocks.length === 0 && (section.subsections ?? []).length === 0) {
    ctx.addIssue({ code: 'custom', path: ['blocks'], message: 'a section needs blocks or subsections' });
  }
}

// Three explicit levels instead of a recursive schema: the depth limit is the schema's shape.
const level3SectionSchema = z
  .strictObject({
    ...sectionFields,
    level: levelOf(3),
    subsections: z.array(z.never()).max(0, 'sections nest at most 3 levels deep').optional(),
  })
  .superRefine(requireContent);

const level2SectionSchema = z
  .strictObject({ ...sectionFields, level: levelOf(2), subsections: z.array(level3SectionSchema).max(30).optional() })
  .superRefine(requireContent);

const level1SectionSchema = z
  .strictObject({ ...sectionFields, level: levelOf(1), subsections: z.array(level2SectionSchema).max(30).optional() })
  .superRefine(requireContent);

const footnoteSchema = z.strictObject({
  /** The mark as printed ("1", "*"); text refers to it as "[^1]". */
  mark: z.string().regex(/^[A-Za-z0-9*†]{1,8}$/, 'must be 1-8 letters, digits, "*" or "†"'),
  text: richText(2000),
});

const attachmentSchema = z.strictObject({
  kind: z.enum(['document', 'table', 'figure']),
  caption: singleLine(textLimits.title),
  /** Where the file lives (storage key or web address); reports carry attachments by reference only. */
  ref: singleLine(textLimits.ref),
});

const authorSchema = z.strictObject({
  name: orNotStated(statedLine(textLimits.name), 'a name'),
  role: orNotStated(statedLine(textLimits.name), 'a role'),
});

export const reportSubmissionSchema = z
  .strictObject({
    /** As the partner states it ("2017/18", "November 2017 bis Oktober 2018"); most do not. */
    reportingPeriod: orNotStated(periodSchema, 'a period { from?, to?, text }'),
    author: orNotStated(authorSchema, 'an author { name, role }'),
    /** What comes before the first heading; reports without headings are only this. */
    blocks,
    sections: z.array(level1SectionSchema).max(30),
    footnotes: z.array(footnoteSchema).max(50).optional(),
    attachments: z.array(attachmentSchema).max(30).optional(),
  })
  .superRefine((report, ctx) => {
    if (report.blocks.length === 0 && report.sections.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['sections'], message: 'a report needs sections or blocks before them' });
    }
    checkTargets(report, ctx);
    checkFootnotes(report, ctx);
    const refs = new Map<string, number>();
    report.attachments?.forEach((attachment, index) => {
      const earlier = refs.get(attachment.ref);
      if (earlier === undefined) refs.set(attachment.ref, index);
      else ctx.addIssue({ code: 'custom', path: ['attachments', index, 'ref'], message: `repeats the ref of attachments[${earlier}]` });
    });
    for (const { block, path } of blocksWithPaths(report)) {
      if (block.kind !== 'measure') continue;
      block.evidence?.forEach((evidence, index) => {
        if (evidence.kind === 'attachment' && !refs.has(evidence.ref)) {
          ctx.addIssue({ code: 'custom', path: [...path, 'evidence', index, 'ref'], message: 'must be the ref of one of the attachments' });
        }
      });
    }
  });

export type ReportSubmission = z.infer<typeof reportSubmissionSchema>;
export type ReportSection =
  | z.infer<typeof level1SectionSchema>
  | z.infer<typeof level2SectionSchema>
  | z.infer<typeof level3SectionSchema>;
export type ReportBlock = z.infer<typeof blockSchema>;
export type ReportMeasure = z.infer<typeof measureBlockSchema>;
export type Evidence = z.infer<typeof evidenceSchema>;
export type Footnote = z.infer<typeof footnoteSchema>;
export type Attachment = z.infer<typeof attachmentSchema>;

/** Temporal refuses payloads over 2 MB; a report stays far below so its history stays small. */
export const maxReportBytes = 256 * 1024;

/** Parses a submitted report body; runs in the submit Update's validator, so it is synchronous and pure. */
export function parseReportSubmission(
  input: unknown,
): { ok: true; report: ReportSubmission } | { ok: false; errors: string[] } {
  const parsed = parsePartnerInput(reportSubmissionSchema, input, { maxBytes: maxReportBytes });
  return parsed.ok ? { ok: true, report: parsed.value } : parsed;
}

type Path = (string | number)[];

/** Every section at every depth, in reading order, with its path. */
export function sectionsWithPaths(report: Pick<ReportSubmission, 'sections'>): { section: ReportSection; path: Path }[] {
  const found: { section: ReportSection; path: Path }[] = [];
  const visit = (section: ReportSection, path: Path): void => {
    found.push({ section, path });
    section.subsections?.forEach((child, index) => visit(child, [...path, 'subsections', index]));
  };
  report.sections.forEach((section, index) => visit(section, ['sections', index]));
  return found;
}

/** Every block in reading order (before the first heading, then section by section), with its path and section. */
export function blocksWithPaths(
  report: Pick<ReportSubmission, 'blocks' | 'sections'>,
): { block: ReportBlock; path: Path; section: ReportSection | undefined }[] {
  const found: { block: ReportBlock; path: Path; section: ReportSection | undefined }[] = report.blocks.map((block, index) => ({
    block,
    path: ['blocks', index],
    section: undefined,
  }));
  for (const { section, path } of sectionsWithPaths(report)) {
    section.blocks.forEach((block, index) => found.push({ block, path: [...path, 'blocks', index], section }));
  }
  return found;
}

/** Every measure of a report with its path. */
export function measuresWithPaths(report: Pick<ReportSubmission, 'blocks' | 'sections'>): { measure: ReportMeasure; path: Path }[] {
  return blocksWithPaths(report).flatMap(({ block, path }) => (block.kind === 'measure' ? [{ measure: block, path }] : []));
}

function checkTargets(report: ReportSubmission, ctx: z.RefinementCtx): void {
  const ids = new Map<string, string>();
  const claim = (id: string | undefined, path: Path): void => {
    if (id === undefined) return;
    const earlier = ids.get(id);
    if (earlier === undefined) ids.set(id, path.join('.'));
    else ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `repeats the id of ${earlier}` });
  };
  for (const { section, path } of sectionsWithPaths(report)) claim(section.id, path);
  const all = blocksWithPaths(report);
  for (const { block, path } of all) if (block.kind === 'table' || block.kind === 'chart') claim(block.id, path);
  for (const { block, path } of all) {
    if (block.kind !== 'text' && block.kind !== 'measure') continue;
    block.references?.forEach((reference, index) => {
      if (!ids.has(reference.target)) {
        ctx.addIssue({ code: 'custom', path: [...path, 'references', index, 'target'], message: 'must be the id of a section, table or chart of this report' });
      }
    });
  }
}

/** Every "[^mark]" in the report's text needs its footnote, and every footnote needs a mark. */
function checkFootnotes(report: ReportSubmission, ctx: z.RefinementCtx): void {
  const used = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === 'string') for (const match of value.matchAll(/\[\^([^\]\s]{1,8})\]/g)) used.add(match[1] as string);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(collect);
  };
  collect({ ...report, footnotes: report.footnotes?.map((footnote) => footnote.text) });
  const marks = new Set<string>();
  report.footnotes?.forEach((footnote, index) => {
    if (marks.has(footnote.mark)) ctx.addIssue({ code: 'custom', path: ['footnotes', index, 'mark'], message: 'repeats an earlier mark' });
    marks.add(footnote.mark);
    if (!used.has(footnote.mark)) {
      ctx.addIssue({ code: 'custom', path: ['footnotes', index, 'mark'], message: `is not referred to: put [^${footnote.mark}] where the mark is printed` });
    }
  });
  for (const mark of used) {
    if (!marks.has(mark)) ctx.addIssue({ code: 'custom', path: ['footnotes'], message: `must include the footnote [^${mark}] the text refers to` });
  }
}

import { z } from 'zod';
import { measureIdSchema } from './declaration';
import { fieldOfActionSchema } from './fields-of-action';
import { closedPeriodSchema, fuzzyDateSchema, isoDateSchema, periodSchema } from './fuzzy-date';
import { httpUrl, parsePartnerInput, richText, singleLine, tableCell, textLimits } from './partner-input';

/**
 * What a partner submits as its annual report ("Umsetzungsbericht") for one year: how the
 * declared measures went, further activities, and indicators with value, unit and reference date.
 * The workflow knows partner and year, so the body does not name them.
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

export const indicatorCategories = [
  'workforce_share',
  'survey',
  'hires',
  'training',
  'recruitment_outreach',
  'language_services',
  'communication',
  'events',
  'structures',
  'evaluation',
  'context',
  'target',
] as const;

/** Words partners put before a number: "ca.", "rund", "knapp", "mehr als", "mindestens", … */
export const indicatorQualifiers = ['ca', 'rund', 'etwa', 'knapp', 'gut', 'ueber', 'mehr_als', 'mindestens', 'bis_zu'] as const;

export const indicatorMethods = ['befragung_freiwillig_anonym', 'personaldaten', 'schaetzung', 'evaluation', 'sonstige'] as const;

/**
 * erhoben: measured; prognose: a forecast; nachgereicht_bis: the figure follows by `dueAt`
 * ("erst im Rahmen der Erhebung im März 2019"); nicht_mehr_erhoben: no longer collected, with a reason.
 */
export const indicatorStatuses = ['erhoben', 'prognose', 'nachgereicht_bis', 'nicht_mehr_erhoben'] as const;
export type IndicatorStatus = (typeof indicatorStatuses)[number];

const indicatorSchema = z
  .strictObject({
    label: singleLine(textLimits.label),
    category: z.enum(indicatorCategories),
    /** The number behind the words, when there is one: 10.42 for "10,42", 12 for "zwölf". */
    value: z.number().optional(),
    /** The value exactly as printed, without its qualifier: "10,42", "zwölf", "15-20", "einem Drittel". */
    valueText: singleLine(textLimits.label).optional(),
    qualifier: z.enum(indicatorQualifiers).optional(),
    unit: singleLine(textLimits.unit),
    /** The day, month or year the value describes. */
    referenceDate: z.union([isoDateSchema, fuzzyDateSchema], {
      error: (issue) =>
        issue.input === undefined ? 'is required' : 'must be a date as YYYY-MM-DD or a fuzzy date { year, month?, day?, … }',
    }),
    period: periodSchema.optional(),
    base: z.strictObject({ value: z.number().positive(), label: singleLine(textLimits.label) }).optional(),
    comparison: z
      .strictObject({ value: z.number(), valueText: singleLine(textLimits.label).optional(), period: periodSchema })
      .optional(),
    method: z.enum(indicatorMethods).optional(),
    status: z.enum(indicatorStatuses),
    dueAt: fuzzyDateSchema.optional(),
    reason: richText(2000).optional(),
  })
  .superRefine((indicator, ctx) => {
    const measured = indicator.status === 'erhoben' || indicator.status === 'prognose';
    if (measured && indicator.value === undefined && indicator.valueText === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `is required when status is ${indicator.status} (give value or valueText)` });
    }
    if (!measured && indicator.value !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `must be absent when status is ${indicator.status}` });
    }
    if (indicator.status === 'nachgereicht_bis' && indicator.dueAt === undefined) {
      ctx.addIssue({ code: 'custom', path: ['dueAt'], message: 'is required when status is nachgereicht_bis' });
    }
    if (indicator.status !== 'nachgereicht_bis' && indicator.dueAt !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['dueAt'], message: 'is only allowed when status is nachgereicht_bis' });
    }
    if (indicator.status === 'nicht_mehr_erhoben' && indicator.reason === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required when status is nicht_mehr_erhoben' });
    }
  });

const evidenceSchema = z
  .strictObject({
    kind: z.enum(['document', 'link', 'attachment']),
    label: singleLine(textLimits.label),
    /** A storage key, a URL, or the `ref` of one of the report's attachments. */
    ref: singleLine(textLimits.ref),
  })
  .superRefine((evidence, ctx) => {
    if (evidence.kind === 'link' && !httpUrl.safeParse(evidence.ref).success) {
      ctx.addIssue({ code: 'custom', path: ['ref'], message: 'must be an http(s) URL for a link' });
    }
  });

const measureSchema = z.strictObject({
  /** The measure of the accession declaration this reports on; absent for further activities. */
  declaredMeasureRef: measureIdSchema.optional(),
  title: singleLine(textLimits.title),
  fieldOfAction: fieldOfActionSchema,
  type: z.enum(measureKinds).optional(),
  status: z.enum(measureStatuses),
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
  cooperationPartners: z.array(singleLine(textLimits.name)).max(30).optional(),
  links: z.array(httpUrl).max(20).optional(),
  description: richText(),
  evidence: z.array(evidenceSchema).max(20).optional(),
  indicators: z.array(indicatorSchema).max(40).optional(),
});

const sectionFields = {
  /** The partner's heading, verbatim, numbering included ("Handlungsfeld 1: …", "a) …"). */
  heading: singleLine(textLimits.title),
  fieldOfAction: fieldOfActionSchema,
  intro: richText().optional(),
  measures: z.array(measureSchema).max(60),
};

const levelOf = <L extends 1 | 2 | 3>(level: L) =>
  z.literal(level, {
    error: (issue) =>
      issue.input === undefined ? 'is required' : `must be ${level}: sections at this depth are level ${level}`,
  });

function requireContent(section: { intro?: string | undefined; measures: unknown[]; subsections?: unknown[] | undefined }, ctx: z.RefinementCtx): void {
  if (section.intro === undefined && section.measures.length === 0 && (section.subsections ?? []).length === 0) {
    ctx.addIssue({ code: 'custom', path: ['measures'], message: 'a section needs an intro, measures or subsections' });
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

const attachmentFields = {
  caption: singleLine(textLimits.title),
  /** Where the file lives (storage key or URL); reports carry attachments by reference only. */
  ref: singleLine(textLimits.ref),
};

const attachmentSchema = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('table'),
      ...attachmentFields,
      columns: z.array(singleLine(textLimits.label)).min(1).max(20).optional(),
      rows: z.array(z.array(tableCell()).max(20)).max(200).optional(),
      footnotes: z.array(richText(1000)).max(20).optional(),
    })
    .superRefine((table, ctx) => {
      if (table.columns === undefined) return;
      const width = table.columns.length;
      table.rows?.forEach((row, index) => {
        if (row.length !== width) {
          ctx.addIssue({ code: 'custom', path: ['rows', index], message: `must have ${width} cells, one per column` });
        }
      });
    }),
  z.strictObject({ kind: z.literal('figure'), ...attachmentFields, source: singleLine(textLimits.label).optional() }),
  z.strictObject({ kind: z.literal('document'), ...attachmentFields }),
]);

export const reportSubmissionSchema = z
  .strictObject({
    reportingPeriod: closedPeriodSchema,
    author: z.strictObject({ name: singleLine(textLimits.name), role: singleLine(textLimits.name) }),
    /** The organisation and its surroundings: size, population, history. */
    context: z.strictObject({ text: richText(), indicators: z.array(indicatorSchema).max(40).optional() }).optional(),
    /** The partner's own introduction to the year, in its own words. */
    narrative: richText(),
    sections: z.array(level1SectionSchema).min(1).max(30),
    outlook: z.strictObject({ text: richText(), plannedMeasures: z.array(measureSchema).max(30).optional() }).optional(),
    attachments: z.array(attachmentSchema).max(30).optional(),
  })
  .superRefine((report, ctx) => {
    const refs = new Map<string, number>();
    report.attachments?.forEach((attachment, index) => {
      const earlier = refs.get(attachment.ref);
      if (earlier === undefined) refs.set(attachment.ref, index);
      else ctx.addIssue({ code: 'custom', path: ['attachments', index, 'ref'], message: `repeats the ref of attachments[${earlier}]` });
    });
    for (const { measure, path } of measuresWithPaths(report)) {
      measure.evidence?.forEach((evidence, index) => {
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
export type ReportMeasure = z.infer<typeof measureSchema>;
export type Indicator = z.infer<typeof indicatorSchema>;
export type Evidence = z.infer<typeof evidenceSchema>;
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

/** Every measure of a report (sections at all depths, then the outlook) with its path. */
export function measuresWithPaths(
  report: Pick<ReportSubmission, 'sections' | 'outlook'>,
): { measure: ReportMeasure; path: (string | number)[] }[] {
  const found: { measure: ReportMeasure; path: (string | number)[] }[] = [];
  const visit = (section: ReportSection, path: (string | number)[]): void => {
    section.measures.forEach((measure, index) => found.push({ measure, path: [...path, 'measures', index] }));
    section.subsections?.forEach((child, index) => visit(child, [...path, 'subsections', index]));
  };
  report.sections.forEach((section, index) => visit(section, ['sections', index]));
  report.outlook?.plannedMeasures?.forEach((measure, index) => found.push({ measure, path: ['outlook', 'plannedMeasures', index] }));
  return found;
}

import { z } from 'zod';
import { fieldOfActionSchema } from './fields-of-action';
import { fuzzyDateSchema, periodSchema } from './fuzzy-date';
import { parsePartnerInput, richText, singleLine, textLimits } from './partner-input';

/**
 * The accession declaration: the "formlose Erklärung" in which a partner names the measures it
 * commits to and the milestones it means to reach by when. It becomes part of the agreement.
 * The workflow knows the partner, so the body does not name it.
 */

/** Declared measures are referred to by id from later annual reports, e.g. "M1", "LVR-2a". */
export const measureIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');

const milestoneSchema = z.strictObject({
  text: singleLine(textLimits.title),
  due: fuzzyDateSchema,
});

const declaredMeasureSchema = z.strictObject({
  id: measureIdSchema,
  title: singleLine(textLimits.title),
  fieldOfAction: fieldOfActionSchema,
  /** The partner's own grouping, e.g. "Interne Maßnahmen der Kreisverwaltung". */
  groupLabel: singleLine(textLimits.label).optional(),
  description: richText(),
  responsibleUnit: singleLine(textLimits.label).optional(),
  period: periodSchema.optional(),
  milestones: z.array(milestoneSchema).max(20).optional(),
});

const measureGroupSchema = z.strictObject({
  label: singleLine(textLimits.label),
  intro: richText().optional(),
});

export const declarationSchema = z
  .strictObject({
    title: singleLine(textLimits.title).optional(),
    preamble: richText().optional(),
    /** "Wir werden die Initiative durch folgende Maßnahmen im Jahr 2014 unterstützen". */
    targetYear: z.number().int().min(2000).max(2100).optional(),
    groups: z.array(measureGroupSchema).max(20).optional(),
    measures: z.array(declaredMeasureSchema).min(1).max(100),
    closing: richText().optional(),
  })
  .superRefine((declaration, ctx) => {
    const firstIndexOfId = new Map<string, number>();
    declaration.measures.forEach((measure, index) => {
      const earlier = firstIndexOfId.get(measure.id);
      if (earlier === undefined) firstIndexOfId.set(measure.id, index);
      else ctx.addIssue({ code: 'custom', path: ['measures', index, 'id'], message: `repeats the id of measures[${earlier}]` });
    });
    const groupLabels = new Set<string>();
    declaration.groups?.forEach((group, index) => {
      if (groupLabels.has(group.label)) {
        ctx.addIssue({ code: 'custom', path: ['groups', index, 'label'], message: 'repeats an earlier group' });
      }
      groupLabels.add(group.label);
    });
    if (declaration.groups === undefined) return;
    declaration.measures.forEach((measure, index) => {
      if (measure.groupLabel !== undefined && !groupLabels.has(measure.groupLabel)) {
        ctx.addIssue({ code: 'custom', path: ['measures', index, 'groupLabel'], message: 'must name one of the groups' });
      }
    });
  });

export type Declaration = z.infer<typeof declarationSchema>;
export type DeclaredMeasure = Declaration['measures'][number];

/** A declaration is a few pages of text; this keeps it far below Temporal's payload limit. */
export const maxDeclarationBytes = 128 * 1024;

export function parseDeclaration(
  input: unknown,
): { ok: true; declaration: Declaration } | { ok: false; errors: string[] } {
  const parsed = parsePartnerInput(declarationSchema, input, { maxBytes: maxDeclarationBytes });
  return parsed.ok ? { ok: true, declaration: parsed.value } : parsed;
}

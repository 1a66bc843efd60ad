/** The annual report form's first fields: the saved draft, or else the skeleton from the declaration. */
import type { DbOrTx } from '../db/client';
import { declaredMeasuresOf } from '../db/queries/accession';
import { loadDraft } from '../db/queries/drafts';
import { reportSkeleton, type ReportSkeleton } from '../domain/report-skeleton';
import { blockName, upgradeDraft, type FormFields } from './report-form';

/**
 * The skeleton as form fields: headings, measure titles, declared refs, fields of action and
 * milestone answers. Description and status stay empty: only the partner can state them.
 */
export function skeletonFields(skeleton: ReportSkeleton): FormFields {
  const fields: FormFields = {};
  skeleton.sections.forEach((section, s) => {
    fields[`sections[${s}].heading`] = section.heading;
    fields[`sections[${s}].fieldOfAction`] = section.fieldOfAction ?? '';
    section.measures.forEach((measure, b) => {
      const name = blockName(s, b);
      fields[`${name}.kind`] = 'measure';
      fields[`${name}.title`] = measure.title;
      if (measure.declaredMeasureRef !== undefined) fields[`${name}.declaredMeasureRef`] = measure.declaredMeasureRef;
      fields[`${name}.fieldOfAction`] = measure.fieldOfAction;
      if (measure.statusText !== undefined) fields[`${name}.statusText`] = measure.statusText;
    });
  });
  return fields;
}

/** What the form shows when opened: the partner's draft if it saved one, else its declaration's skeleton. */
export async function openingFields(db: DbOrTx, organisationId: number, year: number): Promise<FormFields> {
  const draft = await loadDraft(db, organisationId, year);
  if (draft !== undefined) return upgradeDraft(draft);
  const skeleton = reportSkeleton(await declaredMeasuresOf(db, organisationId));
  return skeleton === undefined ? {} : skeletonFields(skeleton);
}

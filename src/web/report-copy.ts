/** A submitted report shown back to the partner, labelled by the same field description as the form. */
import { html } from 'hono/html';
import { t, type Lang } from './i18n';
import { measureFields, outlookGroup, reportGroups, sectionFields, type FieldSpec } from './report-form';

type Obj = Record<string, unknown>;

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Obj)[key] : undefined), value);
}

function shown(lang: Lang, spec: FieldSpec, value: unknown) {
  if (value === undefined || value === null || value === '') return html`<em>${t(lang, 'notStated')}</em>`;
  const option = spec.options?.find((o) => o.value === value);
  return option ? option.label[lang === 'de' ? 0 : 1] : String(value as string | number);
}

function list(lang: Lang, specs: FieldSpec[], source: unknown) {
  return html`<dl class="kern-description-list">${specs.map(
    (spec) => html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${spec.label[lang === 'de' ? 0 : 1]}</dt><dd class="kern-description-list-item__value submitted-copy">${shown(lang, spec, at(source, spec.name))}</dd></div>`,
  )}</dl>`;
}

export function reportCopy(lang: Lang, report: unknown) {
  const sections = (at(report, 'sections') as Obj[] | undefined) ?? [];
  const i = lang === 'de' ? 0 : 1;
  return html`${[...reportGroups, outlookGroup].map(
    (group) => html`<h3 class="kern-heading-small">${group.legend[i]}</h3>${list(lang, group.fields, group.name === '' ? report : at(report, group.name))}`,
  )}
${sections.map(
  (section, s) => html`<h3 class="kern-heading-small">${lang === 'de' ? 'Handlungsfeld' : 'Field of action'} ${s + 1}</h3>${list(lang, sectionFields, section)}
${((section['measures'] as Obj[] | undefined) ?? []).map(
  (measure, m) => html`<div class="nested"><h4 class="kern-heading-small">${lang === 'de' ? 'Maßnahme' : 'Measure'} ${m + 1}</h4>${list(lang, measureFields, measure)}</div>`,
)}`,
)}`;
}

/**
 * A submitted report shown back to the partner: its blocks in the order written, under its own
 * headings, and „nicht angegeben“ wherever the partner stated nothing. It renders what was
 * stored (the parsed submission), including tables and charts sent through the API.
 */
import { html } from 'hono/html';
import type { FuzzyDate, Period } from '../domain/fuzzy-date';
import { parseReportSubmission, type ReportBlock, type ReportSection, type ReportSubmission } from '../domain/report';
import type { Figure, FigureValue } from '../domain/report-figure';
import { classifiedValue, isNotStated, type Classified, type NotStated } from '../domain/report-values';
import { t, type Lang } from './i18n';
import { fieldOfActionLabels, figureStatusLabels, statusLabels, type Pair } from './report-form';

type Html = ReturnType<typeof html>;

/** A stored version as the partner sent it; one stored in an earlier shape is shown as stored. */
export function storedCopy(lang: Lang, content: unknown) {
  const parsed = parseReportSubmission(content);
  if (parsed.ok) return reportCopy(lang, parsed.report);
  return html`<pre class="submitted-copy">${JSON.stringify(content, null, 2)}</pre>`;
}

export function reportCopy(lang: Lang, report: ReportSubmission) {
  const de = lang === 'de';
  const i = de ? 0 : 1;
  const none = html`<em class="not-stated">${t(lang, 'notStated')}</em>`;
  const orNone = <T>(value: T | NotStated, show: (v: T) => string | Html) => (isNotStated(value) ? none : show(value as T));
  const label = (labels: Record<string, Pair>, value: string) => labels[value]?.[i] ?? value;
  const classified = <T extends string>(value: Classified<T | T[]>, labels: Record<string, Pair>) => {
    const known = classifiedValue(value);
    if (known === undefined) return none;
    const text = (Array.isArray(known.value) ? known.value : [known.value]).map((v) => label(labels, v)).join(de ? ' bzw. ' : ' or ');
    return known.source === 'partner' ? text : html`${text} <em>(${de ? 'vom Ministerium zugeordnet' : 'assigned by the ministry'})</em>`;
  };
  const item = (key: string, value: unknown) =>
    html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${key}</dt><dd class="kern-description-list-item__value submitted-copy">${value}</dd></div>`;
  const period = (value: Period) => value.text;

  const valueCell = (figure: Figure) => {
    if (figure.value !== undefined) return valueText(figure.value);
    if (figure.dueAt !== undefined) return `${de ? 'folgt bis' : 'to follow by'} ${dateText(figure.dueAt)}`;
    return figure.reason ?? none;
  };
  const figures = (list: Figure[] | undefined) =>
    list === undefined || list.length === 0
      ? ''
      : html`<table class="kern-table figures"><caption class="kern-label">${de ? 'Kennzahlen' : 'Figures'}</caption>
<thead class="kern-table__head"><tr class="kern-table__row"><th class="kern-table__header" scope="col">${de ? 'Was gezählt wird' : 'What is counted'}</th><th class="kern-table__header" scope="col">${de ? 'Wert' : 'Value'}</th><th class="kern-table__header" scope="col">${de ? 'Einheit' : 'Unit'}</th><th class="kern-table__header" scope="col">${de ? 'Stichtag' : 'Reference date'}</th><th class="kern-table__header" scope="col">${de ? 'Art' : 'Kind'}</th></tr></thead>
<tbody class="kern-table__body">${list.map(
          (figure) => html`<tr class="kern-table__row"><td class="kern-table__cell">${figure.label}</td><td class="kern-table__cell">${valueCell(figure)}</td><td class="kern-table__cell">${orNone(figure.unit, (u) => u)}</td><td class="kern-table__cell">${orNone(figure.referenceDate, dateText)}</td><td class="kern-table__cell">${label(figureStatusLabels, figure.status)}</td></tr>`,
        )}</tbody></table>`;

  const block = (b: ReportBlock, level: number): Html => {
    const h = (text: unknown) => (level <= 3 ? html`<h4 class="kern-heading-small">${text}</h4>` : html`<h5 class="kern-heading-small">${text}</h5>`);
    switch (b.kind) {
      case 'text':
        return html`<div class="copy-block copy-text">${paragraphs(b.text)}${figures(b.figures)}</div>`;
      case 'measure':
        return html`<div class="copy-block nested copy-measure">${h(isNotStated(b.title) ? html`${de ? 'Maßnahme' : 'Measure'} <em class="not-stated">(${de ? 'Titel nicht angegeben' : 'title not stated'})</em>` : b.title)}
<dl class="kern-description-list">
${item(de ? 'Beschreibung' : 'Description', b.description)}
${item(de ? 'Stand der Umsetzung' : 'State of implementation', classified(b.status, statusLabels))}
${b.statusText === undefined ? '' : item(de ? 'Stand in Ihren Worten' : 'State in your words', b.statusText)}
${item(de ? 'Handlungsfeld' : 'Field of action', classified(b.fieldOfAction, fieldOfActionLabels))}
</dl>${figures(b.figures)}</div>`;
      case 'table':
      case 'chart':
        return html`<div class="copy-block copy-exhibit">${h(orNone(b.caption, (c) => c))}
${b.kind === 'chart' && b.description !== undefined ? paragraphs(b.description) : ''}
${b.data === undefined ? '' : html`<table class="kern-table"><thead class="kern-table__head"><tr class="kern-table__row">${b.data.columns.map((col) => html`<th class="kern-table__header" scope="col">${col}</th>`)}</tr></thead><tbody class="kern-table__body">${b.data.rows.map((row) => html`<tr class="kern-table__row">${row.map((cell) => html`<td class="kern-table__cell">${cell}</td>`)}</tr>`)}</tbody></table>`}
<p class="kern-body kern-body--small">${de ? 'Quelle' : 'Source'}: ${orNone(b.source, (s) => s)}</p></div>`;
    }
  };

  const section = (s: ReportSection, level: number): Html => html`<section class="copy-section">
${level === 1 ? html`<h3 class="kern-heading-small">${s.heading}</h3>` : html`<h4 class="kern-heading-small">${s.heading}</h4>`}
<dl class="kern-description-list">${item(de ? 'Handlungsfeld' : 'Field of action', classified(s.fieldOfAction, fieldOfActionLabels))}</dl>
${s.blocks.map((b) => block(b, level))}
${(s.subsections ?? []).map((child) => section(child as ReportSection, level + 1))}
</section>`;

  return html`<dl class="kern-description-list">
${item(de ? 'Berichtszeitraum' : 'Reporting period', orNone(report.reportingPeriod, period))}
${item(de ? 'Verfasst von' : 'Written by', orNone(report.author, (a) => html`${orNone(a.name, (n) => n)}, ${orNone(a.role, (r) => r)}`))}
</dl>
${report.blocks.length === 0 ? '' : html`<h3 class="kern-heading-small">${de ? 'Vor der ersten Überschrift' : 'Before the first heading'}</h3>${report.blocks.map((b) => block(b, 1))}`}
${report.sections.map((s) => section(s, 1))}
${(report.footnotes ?? []).length === 0 ? '' : html`<h3 class="kern-heading-small">${de ? 'Fußnoten' : 'Footnotes'}</h3><ol class="kern-list">${report.footnotes!.map((f) => html`<li>${f.mark}: ${f.text}</li>`)}</ol>`}`;
}

function paragraphs(text: string) {
  return text.split(/\n\s*\n/).map((paragraph) => html`<p class="kern-body submitted-copy">${paragraph}</p>`);
}

function valueText(value: FigureValue): string {
  return value.printed;
}

function dateText(date: FuzzyDate): string {
  return date.text ?? [date.day, date.month, date.year].filter((part) => part !== undefined).join('.');
}

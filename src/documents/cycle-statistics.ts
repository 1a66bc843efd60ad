/**
 * The statistics chapter's comparison across years and its reminder effectiveness: tables and
 * charts from the figures of every cycle in the database (src/domain/cycle-statistics.ts) and the
 * step that preceded each submission of the year (src/domain/reminder-effectiveness.ts). A share
 * whose base is empty reads "nicht angegeben" in the tables and is left out of the charts.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Share, YearStatistics } from '../domain/cycle-statistics';
import type { ReminderEffectiveness, StepShare } from '../domain/reminder-effectiveness';
import { config as chartConfig, toSvg } from './charts';
import { notStatedLabel, type Chart, type StatisticsFigures, type StatisticsTable } from './model';

export type CycleStatisticsInput = {
  /** Every cycle up to the report's year, ascending. */
  years: YearStatistics[];
  /** Of the report's year; undefined when it has no cycle history. */
  effectiveness: ReminderEffectiveness | undefined;
};

export type CycleStatisticsSection = { tables: StatisticsTable[]; figures: StatisticsFigures[]; charts: Chart[] };

const percent = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 });

/** "3 von 4 (75 %)"; with an empty base "nicht angegeben", never 0 %. */
export function shareText(share: Share): string {
  return share.of === 0 ? notStatedLabel : `${share.count} von ${share.of} (${percent.format((share.count / share.of) * 100)} %)`;
}

/** The step in the chapter's words: "2. Erinnerung", "Eskalation Stufe 1", … */
export function stepLabel(step: string): string {
  const n = /-(\d+)$/.exec(step)?.[1];
  if (step.startsWith('reminder-')) return `${n}. Erinnerung`;
  if (step.startsWith('escalation-')) return `Eskalation Stufe ${n}`;
  const labels: Record<string, string> = {
    invitation: 'Einladung',
    overdue: 'Hinweis auf Fristüberschreitung',
    'revision-request': 'Bitte um Überarbeitung',
    none: 'kein Hinweis zuvor',
  };
  return labels[step] ?? step;
}

export async function cycleStatisticsSection(input: CycleStatisticsInput): Promise<CycleStatisticsSection> {
  const tables: StatisticsTable[] = [];
  const figures: StatisticsFigures[] = [];
  const charts: Chart[] = [];
  // Two narrow tables rather than one wide one: eight columns do not fit a printed page.
  if (input.years.length > 0) {
    tables.push(
      {
        id: 'years-submissions',
        kind: 'table',
        caption: 'Einreichung je Berichtsjahr',
        columns: ['Berichtsjahr', 'Partner', 'Eingereicht', 'Pünktlich (von den eingereichten)'],
        rows: input.years.map((y) => [String(y.year), String(y.partners), shareText(y.submitted), shareText(y.onTime)]),
        footnotes: [
          'Pünktlich: die erste Fassung bis zum für das Berichtsjahr vereinbarten Abgabetermin oder bis zur gewährten Fristverlängerung. „nicht angegeben“: ohne Einreichungen gibt es keinen Anteil.',
        ],
      },
      {
        id: 'years-reminders',
        kind: 'table',
        caption: 'Erinnerungen und Eskalationen je Berichtsjahr',
        columns: ['Berichtsjahr', 'Erinnerungen', 'Partner mit Erinnerung', 'Eskalationen', 'Partner mit Eskalation'],
        rows: input.years.map((y) => [String(y.year), String(y.reminders), shareText(y.partnersReminded), escalationText(y.escalations), shareText(y.partnersEscalated)]),
        footnotes: [],
      },
    );
  }
  if (input.years.length > 0) figures.push(yearFigures(input.years));
  if (input.years.length > 1) charts.push({ id: 'years', title: 'Einreichung und Pünktlichkeit je Berichtsjahr', svg: await toSvg(yearsSpec(input.years)) });
  const effectiveness = input.effectiveness;
  if (effectiveness) {
    for (const round of ['initial', 'revision'] as const) {
      const shares = effectiveness[round];
      if (shares.length === 0) continue;
      tables.push({
        id: round === 'initial' ? 'steps' : 'revision-steps',
        kind: 'table',
        caption:
          round === 'initial'
            ? `Welcher Schritt der Einreichung vorausging (Berichtsjahr ${effectiveness.year})`
            : `Welcher Schritt der überarbeiteten Fassung vorausging (Berichtsjahr ${effectiveness.year})`,
        columns: ['Schritt', 'Einreichungen', 'Anteil', 'Median Tage bis zur Einreichung'],
        rows: shares.map((s) => [stepLabel(s.step), String(s.submissions), `${percent.format(s.share * 100)} %`, medianText(s)]),
        footnotes: ['Der letzte Hinweis, der vor der Einreichung versandt wurde; „kein Hinweis zuvor“: eingereicht, bevor ein Hinweis versandt war.'],
      });
    }
    if (effectiveness.submissions.length > 0) figures.push(stepFigures(effectiveness));
    if (effectiveness.initial.length > 0) {
      charts.push({ id: 'steps', title: 'Einreichungen nach dem vorausgegangenen Schritt', svg: await toSvg(stepsSpec(effectiveness.initial)) });
    }
  }
  return { tables, figures, charts };
}

/** A share in percent (one decimal) for a spreadsheet cell; "nicht angegeben" without a base. */
function percentCell(share: Share): number | string {
  return share.of === 0 ? notStatedLabel : Math.round((share.count / share.of) * 1000) / 10;
}

function yearFigures(years: YearStatistics[]): StatisticsFigures {
  const levels = [...new Set(years.flatMap((y) => y.escalations.map((e) => e.level)))].sort((a, b) => a - b);
  return {
    id: 'years',
    title: 'Berichtsjahre',
    columns: [
      'Berichtsjahr',
      'Partner',
      'Eingereicht',
      'Eingereicht %',
      'Pünktlich',
      'Pünktlich % der eingereichten',
      'Angenommen',
      'Erlassen',
      'Zur Überarbeitung zurückgegeben',
      'Erinnerungen',
      'Partner mit Erinnerung',
      ...levels.map((level) => `Eskalationen Stufe ${level}`),
      'Partner mit Eskalation',
    ],
    rows: years.map((y) => [
      y.year,
      y.partners,
      y.submitted.count,
      percentCell(y.submitted),
      y.onTime.count,
      percentCell(y.onTime),
      y.accepted.count,
      y.waived.count,
      y.revised.count,
      y.reminders,
      y.partnersReminded.count,
      ...levels.map((level) => y.escalations.find((e) => e.level === level)?.notices ?? 0),
      y.partnersEscalated.count,
    ]),
  };
}

function stepFigures(effectiveness: ReminderEffectiveness): StatisticsFigures {
  const rows = (['initial', 'revision'] as const).flatMap((round) =>
    effectiveness[round].map((s) => [
      round === 'initial' ? 'erste Fassung' : 'überarbeitete Fassung',
      stepLabel(s.step),
      s.submissions,
      Math.round(s.share * 1000) / 10,
      // No notice before the submission: there are no days to count, which is not "not stated".
      s.medianDays ?? 'entfällt',
    ]),
  );
  return {
    id: 'steps',
    title: `Vorausgegangene Schritte ${effectiveness.year}`,
    columns: ['Fassung', 'Schritt', 'Einreichungen', 'Anteil %', 'Median Tage bis zur Einreichung'],
    rows,
  };
}

function escalationText(escalations: YearStatistics['escalations']): string {
  const total = escalations.reduce((sum, e) => sum + e.notices, 0);
  if (escalations.length === 0) return '0';
  return `${total} (${escalations.map((e) => `Stufe ${e.level}: ${e.notices}`).join(', ')})`;
}

function medianText(share: StepShare): string {
  return share.medianDays === null ? '–' : percent.format(share.medianDays);
}

function yearsSpec(years: YearStatistics[]): TopLevelSpec {
  const point = (year: number, Kennzahl: string, share: Share) =>
    share.of === 0 ? [] : [{ Berichtsjahr: String(year), Kennzahl, Prozent: (share.count / share.of) * 100 }];
  const values = years.flatMap((y) => [...point(y.year, 'eingereicht', y.submitted), ...point(y.year, 'pünktlich (von den eingereichten)', y.onTime)]);
  return {
    width: 300,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'Berichtsjahr', type: 'ordinal', axis: { labelAngle: 0 } },
      y: { field: 'Prozent', type: 'quantitative', scale: { domain: [0, 100] }, title: 'Prozent' },
      color: {
        field: 'Kennzahl',
        type: 'nominal',
        scale: { domain: ['eingereicht', 'pünktlich (von den eingereichten)'], range: ['#2f6f9f', '#d08c2a'] },
        legend: { orient: 'bottom', title: null, labelLimit: 0 },
      },
    },
    config: chartConfig,
  };
}

function stepsSpec(shares: StepShare[]): TopLevelSpec {
  const values = shares.map((s) => ({ Schritt: stepLabel(s.step), Einreichungen: s.submissions }));
  return {
    width: 300,
    data: { values },
    layer: [
      { mark: { type: 'bar', color: '#2f6f9f' } },
      { mark: { type: 'text', align: 'left', dx: 3 }, encoding: { text: { field: 'Einreichungen', type: 'quantitative' } } },
    ],
    encoding: {
      y: { field: 'Schritt', type: 'nominal', sort: null, title: null, axis: { labelLimit: 0 } },
      x: { field: 'Einreichungen', type: 'quantitative', axis: { tickMinStep: 1 } },
    },
    config: chartConfig,
  };
}

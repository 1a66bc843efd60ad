import { notStatedLabel, reportStandingLabels, type CompiledReport, type Rate, type Stated } from '../model';

/**
 * The figures of the compiled report as tables: one definition shared by the CSV, XLSX and JSON
 * exports, so the three cannot disagree. A value that was not stated is the cell "nicht angegeben",
 * never an empty cell or a zero.
 */
export type Cell = string | number;
export type FigureTable = { id: string; title: string; columns: string[]; rows: () => Iterable<Cell[]> };

/** What the figure exports (CSV, XLSX, JSON) read of the compiled report: plain data, sent to a worker thread as it is. */
export type ReportFigures = Pick<CompiledReport, 'year' | 'asOf' | 'statistics' | 'statisticsFigures' | 'missing' | 'partnerFigures' | 'indicatorFigures'>;

export function figuresOf(report: CompiledReport): ReportFigures {
  const { year, asOf, statistics, statisticsFigures, missing, partnerFigures, indicatorFigures } = report;
  return { year, asOf, statistics, statisticsFigures, missing, partnerFigures, indicatorFigures };
}

export function figureTables(report: ReportFigures): FigureTable[] {
  const s = report.statistics;
  const rate = (label: string, r: Rate): Cell[] => [label, r.count, r.of];
  return [
    {
      id: 'summary',
      title: 'Übersicht',
      columns: ['Kennzahl', 'Anzahl', 'von'],
      rows: () => [
        ['Partner', s.partners, s.partners],
        rate('Berichte eingereicht', s.submitted),
        rate('Berichte angenommen', s.accepted),
        rate('Pünktlich eingereicht', s.onTime),
        ['Erinnerungen versandt', s.remindersSent, s.partners],
        rate('Partner mit Erinnerung', s.partnersReminded),
        rate('Partner mit Eskalation', s.partnersEscalated),
        ...s.escalationLevels.map((l): Cell[] => [`Partner mit höchster Eskalationsstufe ${l.level}`, l.partners, s.partners]),
        ...s.indicators.flatMap((c): Cell[][] => [
          [`Kennzahlen angegeben: ${c.category}`, c.stated, c.stated + c.notStated],
          [`Kennzahlen nicht angegeben: ${c.category}`, c.notStated, c.stated + c.notStated],
        ]),
      ],
    },
    {
      id: 'partners',
      title: 'Partner',
      columns: ['Nr.', 'Partner', 'Stand', 'Erste Einreichung', 'Fällig', 'Pünktlich', 'Erinnerungen', 'Eskalationsstufe'],
      rows: function* () {
        for (const p of report.partnerFigures) {
          yield [
            p.number,
            p.organisation,
            reportStandingLabels[p.standing],
            cell(p.firstSubmittedAt),
            cell(p.dueAt),
            p.onTime.stated ? (p.onTime.value ? 'ja' : 'nein') : notStatedLabel,
            p.remindersSent,
            p.escalationLevel,
          ];
        }
      },
    },
    {
      id: 'indicators',
      title: 'Kennzahlen',
      columns: ['Nr.', 'Partner', 'Kategorie', 'Kennzahl', 'Wert', 'Wert wie angegeben', 'Einheit', 'Stichtag', 'Hinweis'],
      rows: function* () {
        for (const f of report.indicatorFigures) {
          yield [f.number, f.organisation, f.category, f.label, cell(f.value), cell(f.valueText), cell(f.unit), cell(f.referenceDate), f.note.stated ? f.note.value : ''];
        }
      },
    },
    ...report.statisticsFigures.map((f) => ({ id: f.id, title: f.title, columns: f.columns, rows: () => f.rows })),
  ];
}

function cell(value: Stated<string | number>): Cell {
  return value.stated ? value.value : notStatedLabel;
}

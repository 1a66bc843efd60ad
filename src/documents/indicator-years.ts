/**
 * The statistics chapter's indicators across partners and years: tables, a chart and the export
 * tables from the per-year summaries of src/domain/indicator-years.ts. What a partner did not state
 * is counted and printed as "nicht angegeben", never as 0 or a gap; how values are counted is
 * printed under the tables.
 */
import type { TopLevelSpec } from 'vega-lite';
import { unitKey, unstatedCategory, type ComparableValues, type FigureCategory, type IndicatorCategoryYear, type IndicatorYear } from '../domain/indicator-years';
import { config as chartConfig, toSvg } from './charts';
import type { CycleStatisticsSection } from './cycle-statistics';
import { categoryLabels } from './from-report';
import { notStatedLabel, type StatisticsTable } from './model';

/** Groups of comparable values printed in the PDF/DOCX table; the exports hold every group. */
export const maxValueGroupsPrinted = 40;

const number = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 });

export function indicatorCategoryLabel(category: FigureCategory | null): string {
  return category === null ? `Kategorie ${notStatedLabel}` : categoryLabels[category];
}

const countingRules = [
  'Angegeben: Partner mit mindestens einer Kennzahl der Kategorie, die einen Wert nennt (Zahl, Spanne, Schwelle oder in Worten). Nicht angegeben: alle übrigen Partner mit angenommenem Bericht des Jahres; „ohne Wert“: sie nennen die Kennzahl, aber keinen Wert (wird nachgereicht, nicht mehr erhoben).',
  'Eine Kategorie, die der Partner offen ließ und das Ministerium zugeordnet hat, zählt unter dieser Kategorie und ist als Zuordnung des Ministeriums ausgewiesen.',
];

const valueRules = [
  'Vergleichbar sind nur erhobene Einzelwerte mit Einheit, innerhalb derselben Kategorie und derselben Einheit. Spannen („19 bis 30“), Schwellen („unter 25“, „mindestens B2“), Angaben in Worten, Ziel- und Prognosewerte, Werte „je“ Person und Werte ohne Einheit werden oben gezählt, aber weder addiert noch in den Median genommen.',
  'Anteile (%) beziehen sich bei jedem Partner auf ein anderes Ganzes: für sie wird nur der Median angegeben, keine Summe. Der Median ist über die Werte gebildet, nicht über Partner. Überschneidungen zwischen Partnern (z. B. dieselben Sprachen) erkennt die Summe nicht.',
];

export async function indicatorYearsSection(years: IndicatorYear[]): Promise<CycleStatisticsSection> {
  if (years.length === 0) return { tables: [], figures: [], charts: [] };
  const categories = categoriesOf(years);
  const tables: StatisticsTable[] = [
    {
      id: 'indicator-years',
      kind: 'table',
      caption: 'Kennzahlen der Partner je Kategorie und Berichtsjahr',
      columns: ['Kategorie', 'Berichtsjahr', 'Angegeben', 'Nicht angegeben', 'Form der Angaben'],
      rows: categories.flatMap((category) =>
        years.map((year) => {
          const entry = entryOf(year, category);
          return [indicatorCategoryLabel(category), String(year.year), statedText(entry, year), notStatedText(entry), formText(entry)];
        }),
      ),
      footnotes: countingRules,
    },
  ];
  const groups = valueGroups(years);
  const printed = groups.slice(0, maxValueGroupsPrinted);
  if (printed.length > 0) {
    tables.push({
      id: 'indicator-values',
      kind: 'table',
      caption: 'Vergleichbare Werte je Kategorie, Einheit und Berichtsjahr',
      columns: ['Kategorie', 'Einheit', 'Berichtsjahr', 'Werte (Partner)', 'Summe', 'Median'],
      rows: printed.flatMap((group) =>
        years.map((year) => {
          const values = entryOf(year, group.category).comparable.find((c) => c.unit.toLowerCase() === group.unitKey);
          const label = [indicatorCategoryLabel(group.category), group.unit, String(year.year)];
          if (!values) return [...label, notStatedLabel, '–', '–'];
          return [...label, valuesText(values), values.sum === undefined ? 'entfällt (Anteil)' : number.format(values.sum), number.format(values.median)];
        }),
      ),
      footnotes: [
        ...valueRules,
        'Aufgeführt sind Einheiten, die in einem Jahr mindestens zwei Partner angegeben haben.' +
          (groups.length > printed.length ? ` Die übrigen ${groups.length - printed.length} Gruppen stehen in der Tabelle „indicator-values“ (XLSX, CSV).` : ''),
      ],
    });
  }
  return {
    tables,
    figures: [
      {
        id: 'indicator-years',
        title: 'Kennzahlen je Jahr',
        columns: [
          'Berichtsjahr',
          'Kategorie',
          'Partner mit angenommenem Bericht',
          'Partner mit Angabe',
          'Partner ohne Angabe (nicht angegeben)',
          'davon Kennzahl ohne Wert',
          'Angaben als Zahl',
          'Angaben als Spanne',
          'Angaben als Schwelle',
          'Angaben in Worten',
          'davon Ziel oder Prognose',
          'Kategorie vom Ministerium zugeordnet',
        ],
        rows: years.flatMap((year) =>
          year.categories.map((c) => [
            year.year,
            indicatorCategoryLabel(c.category),
            year.partnersReporting,
            c.partnersStated,
            c.partnersNotStated,
            c.partnersWithoutValue,
            c.numbers,
            c.ranges,
            c.thresholds,
            c.words,
            c.targetsOrForecasts,
            c.assignedByStaff,
          ]),
        ),
      },
      {
        id: 'indicator-values',
        title: 'Vergleichbare Werte je Jahr',
        columns: ['Berichtsjahr', 'Kategorie', 'Einheit', 'Anteil', 'Werte', 'Partner', 'davon ungefähr', 'Summe', 'Median', 'Kleinster Wert', 'Größter Wert'],
        rows: years.flatMap((year) =>
          year.categories.flatMap((c) =>
            c.comparable.map((v) => [
              year.year,
              indicatorCategoryLabel(c.category),
              v.unit,
              v.share ? 'ja' : 'nein',
              v.values,
              v.partners,
              v.approximate,
              v.sum ?? 'entfällt (Anteil)',
              v.median,
              v.min,
              v.max,
            ]),
          ),
        ),
      },
    ],
    charts: [{ id: 'indicator-years', title: 'Partner mit Angabe je Kennzahl-Kategorie und Berichtsjahr', svg: await toSvg(statedSpec(years, categories)) }],
  };
}

/** Every category of any year, in the order of the first year that has it (schema order, "not stated" last). */
function categoriesOf(years: IndicatorYear[]): (FigureCategory | null)[] {
  const seen = new Set<FigureCategory | null>();
  for (const year of years) for (const c of year.categories) seen.add(c.category);
  return [...seen].sort((a, b) => (a === null ? 1 : b === null ? -1 : 0));
}

function entryOf(year: IndicatorYear, category: FigureCategory | null): IndicatorCategoryYear {
  return year.categories.find((c) => c.category === category) ?? unstatedCategory(category, year.partnersReporting);
}

function statedText(entry: IndicatorCategoryYear, year: IndicatorYear): string {
  if (year.partnersReporting === 0) return notStatedLabel;
  return `${entry.partnersStated} von ${year.partnersReporting} (${percent.format((entry.partnersStated / year.partnersReporting) * 100)} %)`;
}

function notStatedText(entry: IndicatorCategoryYear): string {
  return entry.partnersWithoutValue === 0 ? String(entry.partnersNotStated) : `${entry.partnersNotStated}, davon ${entry.partnersWithoutValue} ohne Wert`;
}

function formText(entry: IndicatorCategoryYear): string {
  const parts = [
    counted(entry.numbers, 'Zahl', 'Zahlen'),
    counted(entry.ranges, 'Spanne', 'Spannen'),
    counted(entry.thresholds, 'Schwelle', 'Schwellen'),
    counted(entry.words, 'in Worten', 'in Worten'),
  ].filter((part) => part !== '');
  const notes = [
    entry.targetsOrForecasts > 0 ? `${entry.targetsOrForecasts} davon Ziel oder Prognose` : '',
    entry.assignedByStaff > 0 ? `${entry.assignedByStaff} vom Ministerium zugeordnet` : '',
  ].filter((part) => part !== '');
  if (parts.length === 0 && notes.length === 0) return '–';
  return [parts.join(', '), ...notes].filter((part) => part !== '').join('; ');
}

function counted(n: number, one: string, many: string): string {
  return n === 0 ? '' : `${n} ${n === 1 ? one : many}`;
}

function valuesText(values: ComparableValues): string {
  return `${values.values} (${values.partners})${values.approximate > 0 ? `, ${values.approximate} ungefähr` : ''}`;
}

type ValueGroup = { category: FigureCategory | null; unit: string; unitKey: string; partners: number };

/** The (category, unit) groups at least two partners gave in some year, most partners first. */
function valueGroups(years: IndicatorYear[]): ValueGroup[] {
  const groups = new Map<string, ValueGroup>();
  for (const year of years) {
    for (const c of year.categories) {
      for (const v of c.comparable) {
        const key = `${c.category ?? ''}\u0000${unitKey(v.unit)}`;
        const group = groups.get(key) ?? { category: c.category, unit: v.unit, unitKey: unitKey(v.unit), partners: 0 };
        group.partners = Math.max(group.partners, v.partners);
        groups.set(key, group);
      }
    }
  }
  return [...groups.values()].filter((g) => g.partners >= 2).sort((a, b) => b.partners - a.partners || a.unit.localeCompare(b.unit, 'de'));
}

function statedSpec(years: IndicatorYear[], categories: (FigureCategory | null)[]): TopLevelSpec {
  const values = years.flatMap((year) =>
    year.partnersReporting === 0
      ? []
      : categories.map((category) => ({
          Kategorie: indicatorCategoryLabel(category),
          Berichtsjahr: String(year.year),
          Prozent: (entryOf(year, category).partnersStated / year.partnersReporting) * 100,
        })),
  );
  return {
    width: 300,
    height: { step: Math.max(14, 8 * years.length) },
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'Kategorie', type: 'nominal', sort: categories.map(indicatorCategoryLabel), title: null, axis: { labelLimit: 0 } },
      yOffset: { field: 'Berichtsjahr', type: 'ordinal' },
      x: { field: 'Prozent', type: 'quantitative', scale: { domain: [0, 100] }, title: 'Prozent der Partner mit angenommenem Bericht' },
      color: { field: 'Berichtsjahr', type: 'ordinal', scale: { scheme: 'blues' }, legend: { orient: 'bottom', title: 'Berichtsjahr' } },
    },
    config: chartConfig,
  };
}

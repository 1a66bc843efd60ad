import type * as Vega from 'vega';
import type * as VegaLite from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { fontFamily } from './fonts';
import { reportStandingLabels, type Chart, type Statistics } from './model';

/**
 * The statistics chapter's charts: Vega-Lite specifications rendered to SVG on the server
 * (Vega's headless renderer, no browser). Every chart is drawn from the same Statistics the
 * tables and exports show, so a chart cannot disagree with a figure.
 */

// Exported for the other statistics charts (cycle-statistics.ts), so all charts look alike.
export const config = {
  font: fontFamily,
  view: { stroke: null },
  // Vega estimates text widths without a canvas; no limit keeps labels from being cut on a wrong guess.
  axis: { labelFontSize: 11, titleFontSize: 11, labelLimit: 0 },
  legend: { labelFontSize: 11, titleFontSize: 11 },
};

export async function statisticsCharts(statistics: Statistics): Promise<Chart[]> {
  const standings = statistics.standings.map((s) => ({ Stand: reportStandingLabels[s.standing], Partner: s.partners }));
  const punctuality = [
    { Abgabe: 'pünktlich', Partner: statistics.onTime.count },
    { Abgabe: 'verspätet', Partner: statistics.onTime.of - statistics.onTime.count },
    { Abgabe: 'nicht eingereicht', Partner: statistics.partners - statistics.submitted.count },
  ];
  const indicators = statistics.indicators.flatMap((c) => [
    { Kategorie: c.category, Angabe: 'angegeben', Kennzahlen: c.stated },
    { Kategorie: c.category, Angabe: 'nicht angegeben', Kennzahlen: c.notStated },
  ]);
  const specs: { id: string; title: string; spec: TopLevelSpec }[] = [
    {
      id: 'standings',
      title: 'Stand der Berichte',
      spec: horizontalBars(standings, 'Stand', 'Partner'),
    },
    {
      id: 'punctuality',
      title: 'Abgabe der Berichte',
      spec: horizontalBars(punctuality, 'Abgabe', 'Partner'),
    },
    {
      id: 'indicators',
      title: 'Kennzahlen je Kategorie: angegeben und nicht angegeben',
      spec: {
        width: 300,
        data: { values: indicators },
        mark: 'bar',
        encoding: {
          y: { field: 'Kategorie', type: 'nominal', sort: null, title: null, axis: { labelLimit: 0 } },
          x: { field: 'Kennzahlen', type: 'quantitative', stack: 'zero', axis: { tickMinStep: 1 } },
          color: {
            field: 'Angabe',
            type: 'nominal',
            scale: { domain: ['angegeben', 'nicht angegeben'], range: ['#2f6f9f', '#c8c8c8'] },
            legend: { orient: 'bottom', title: null },
          },
        },
        config,
      },
    },
  ];
  return Promise.all(specs.map(async ({ id, title, spec }) => ({ id, title, svg: await toSvg(spec) })));
}

function horizontalBars(values: Record<string, string | number>[], category: string, count: string): TopLevelSpec {
  return {
    width: 300,
    data: { values },
    layer: [
      { mark: { type: 'bar', color: '#2f6f9f' } },
      { mark: { type: 'text', align: 'left', dx: 3 }, encoding: { text: { field: count, type: 'quantitative' } } },
    ],
    encoding: {
      y: { field: category, type: 'nominal', sort: null, title: null, axis: { labelLimit: 0 } },
      x: { field: count, type: 'quantitative', axis: { tickMinStep: 1 } },
    },
    config,
  };
}

let libraries: Promise<[typeof Vega, typeof VegaLite]> | undefined;

/**
 * Vega and Vega-Lite load with the first chart, not with this module: the worker imports the
 * compilation activities before its first poll, and these libraries cost it about 0.2 CPU seconds
 * there (issue 14). Only a compilation draws charts.
 */
function chartLibraries(): Promise<[typeof Vega, typeof VegaLite]> {
  libraries ??= Promise.all([import('vega'), import('vega-lite')]);
  return libraries;
}

export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await chartLibraries();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

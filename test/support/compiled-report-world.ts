import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client';
import { importPartnerFile } from '../../src/db/queries/partners';
import { upsertCycle } from '../../src/db/queries/reporting';
import { reportingCycles } from '../../src/db/schema';
import { defaultReportingPolicy } from '../../src/domain/default-policy';
import type { AcceptedReport, PartnerOfCycle } from '../../src/documents/compile';
import type { ReportStanding } from '../../src/documents/model';

const demoPartnersFile = new URL('../../src/dev/demo-partners.json', import.meta.url);

/**
 * The seed's 28 partners (src/dev/demo-partners.json) in a 2018 cycle where four reports were
 * accepted (three seed fixtures and one with a figure not yet stated), one was submitted but not
 * accepted, one is overdue and escalated, and the rest are still awaited.
 */
type DemoPartner = { number: number; name: string; accessionDate: string; reportHeading?: string; memberCities?: string[] };

export const demoPartners: DemoPartner[] = (
  JSON.parse(readFileSync(demoPartnersFile, 'utf8')) as { partners: DemoPartner[] }
).partners;

/** The seed's partners imported as `partnerflow partner import` imports them. */
export async function importDemoPartners(db: Database): Promise<void> {
  const imported = await importPartnerFile(db, 'demo-partners.json', readFileSync(demoPartnersFile, 'utf8'));
  if ('errors' in imported) throw new Error(imported.errors.join('\n'));
}

/** The reporting cycle of `year` opened with the default policy, due on 31 March: its id. */
export async function openCycleOf(db: Database, year: number): Promise<number> {
  await upsertCycle(db, { year, periodStart: `${year}-01-01`, periodEnd: `${year}-12-31`, dueDate: `${year}-03-31`, policy: defaultReportingPolicy, open: true });
  const [cycle] = await db.select({ id: reportingCycles.id }).from(reportingCycles).where(eq(reportingCycles.year, year));
  if (!cycle) throw new Error(`no cycle ${year}`);
  return cycle.id;
}

export const readFixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/reports/${name}`, import.meta.url), 'utf8'));

/**
 * Minimal report plus one figure the partner will only deliver later: its value is not stated.
 * Its field of action was left open by the partner and assigned by the ministry's staff.
 */
export function reportWithFigureToFollow(): unknown {
  const report = readFixture('minimal.json') as { sections: { blocks: unknown[] }[] };
  report.sections[0]?.blocks.push({
    kind: 'measure',
    title: 'Mitarbeitendenbefragung',
    fieldOfAction: { stated: false, assigned: { value: 'STRATEGIE', by: 'Referat 511', at: '2018-05-02' } },
    status: 'geplant',
    description: 'Eine freiwillige, anonyme Befragung zum Anteil der Beschäftigten mit Einwanderungsgeschichte ist geplant.',
    figures: [
      {
        label: 'Anteil der Beschäftigten mit Einwanderungsgeschichte',
        category: 'workforce_share',
        unit: '%',
        referenceDate: { year: 2018 },
        status: 'nachgereicht_bis',
        dueAt: { year: 2019, month: 3, text: 'März 2019' },
      },
    ],
  });
  return report;
}

const dueAt = '2018-03-31T22:00:00.000Z';
const onTime = '2018-03-20T09:00:00.000Z';
const late = '2018-04-20T09:00:00.000Z';

type Story = { standing: ReportStanding; submittedAt?: string; reminders?: number; escalation?: number; content?: unknown };

export const cycleStories: Record<number, Story> = {
  2: { standing: 'accepted', submittedAt: onTime, reminders: 1, content: readFixture('02-kreis-lippe.json') },
  5: { standing: 'submitted', submittedAt: onTime, content: readFixture('minimal.json') },
  6: { standing: 'overdue', reminders: 3, escalation: 2 },
  9: { standing: 'accepted', submittedAt: late, reminders: 2, escalation: 1, content: reportWithFigureToFollow() },
  16: { standing: 'accepted', submittedAt: late, reminders: 2, escalation: 1, content: readFixture('16-landschaftsverband-rheinland.json') },
  22: { standing: 'accepted', submittedAt: onTime, content: readFixture('22-bezirksregierung-muenster.json') },
};

export function fixturePartners(): PartnerOfCycle[] {
  return demoPartners.map((p) => {
    const story = cycleStories[p.number];
    return {
      number: p.number,
      organisation: p.name,
      memberCities: p.memberCities ?? [],
      accessionDate: p.accessionDate,
      reportHeading: p.reportHeading,
      standing: story?.standing ?? 'awaiting_submission',
      firstSubmittedAt: story?.submittedAt,
      dueAt,
      remindersSent: story?.reminders ?? 0,
      escalationLevel: story?.escalation ?? 0,
    };
  });
}

/** Every stored report, accepted or not, newest partner first: the compiler must sort and filter. */
export function fixtureReports(): AcceptedReport[] {
  return Object.entries(cycleStories)
    .filter(([, story]) => story.content !== undefined)
    .map(([number, story]) => ({ number: Number(number), content: story.content }))
    .reverse();
}

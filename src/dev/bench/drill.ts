import { planDeadline } from '../../domain/deadline-schedule';
import { parseReportingPolicy, type ReportingPolicy } from '../../domain/policy';

/**
 * The compressed cycle the benchmark runs: the shape of the default policy (invitation, two
 * reminders, escalation to the partner's leadership and the ministry) with offsets in seconds.
 * Waves are `gap` apart: invitation at the opening, reminders one and two gaps later, the
 * escalation a third gap later, half a gap after the due moment.
 */
export type DrillWave = { stepIds: string[]; label: string; plannedAt: Date; emailsPerPartner: number };

export type Drill = { policy: ReportingPolicy; dueAt: Date; waves: DrillWave[]; timezone: string };

/**
 * `timezone`: the drill's zone. Its policy sends on every day around the clock (`sendingDays:
 * 'every'`), so a drill runs on a Sunday or a holiday too: it measures delivery, not the calendar.
 */
export function compressedDrill(openedAt: Date, gapSeconds: number, timezone: string): Drill {
  if (!Number.isInteger(gapSeconds / 2) || gapSeconds < 2) throw new RangeError(`gap: must be an even number of seconds, not ${gapSeconds}`);
  const half = gapSeconds / 2;
  const dueAt = new Date(openedAt.getTime() + 5 * half * 1000);
  const seconds = (n: number) => `PT${n}S`;
  const step = (id: string, kind: string, template: string, direction: 'before' | 'after', n: number, recipients: string[], escalationLevel = 0) => ({
    id,
    kind,
    template,
    offset: { direction, duration: seconds(n), count: 'calendar' },
    recipients,
    escalationLevel,
    ...(kind === 'invitation' && { sendIfLate: true }),
  });
  const window = { sendTime: '09:00', sendingWindow: { start: '00:00', end: '24:00' }, sendingDays: 'every', timezone };
  const policy = parseReportingPolicy(
    {
      deadline: {
        ...window,
        steps: [
          step('invitation', 'invitation', 'report-invitation', 'before', 5 * half, ['partner_main_contact']),
          step('reminder-1', 'reminder', 'report-reminder', 'before', 3 * half, ['partner_main_contact']),
          step('reminder-2', 'reminder', 'report-reminder', 'before', half, ['partner_main_contact']),
          step('escalation-partner', 'escalation', 'report-escalation-partner', 'after', half, ['partner_leadership'], 1),
          step('escalation-ministry', 'escalation', 'report-escalation-ministry', 'after', half, ['ministry_caseworker'], 1),
        ],
      },
      revision: {
        period: { duration: 'P14D', count: 'calendar' },
        deadline: { ...window, steps: [step('revision-reminder', 'reminder', 'report-reminder', 'before', 3 * 86_400, ['partner_main_contact'])] },
      },
    },
    'drill policy',
  );
  const plan = planDeadline({ policy: policy.deadline, dueAt });
  const plannedAt = (stepId: string) => {
    const send = plan.sends.find((s) => s.stepId === stepId);
    if (!send) throw new Error(`drill policy: step ${stepId} is not planned (${plan.dropped.map((d) => d.reason).join('; ')})`);
    return send.sendAt;
  };
  const waves: DrillWave[] = [
    { label: 'invitation', stepIds: ['invitation'], plannedAt: plannedAt('invitation'), emailsPerPartner: 1 },
    { label: 'reminder 1', stepIds: ['reminder-1'], plannedAt: plannedAt('reminder-1'), emailsPerPartner: 1 },
    { label: 'reminder 2', stepIds: ['reminder-2'], plannedAt: plannedAt('reminder-2'), emailsPerPartner: 1 },
    {
      label: 'escalation',
      stepIds: ['escalation-partner', 'escalation-ministry'],
      plannedAt: plannedAt('escalation-partner'),
      emailsPerPartner: 2,
    },
  ];
  return { policy, dueAt, waves, timezone };
}

/** The ledger key's step: `annual-report/<partner>/<year>/<round>/<step>#<occurrence>/<role>/<id>`. */
export function stepOfLedgerKey(idempotencyKey: string): string | undefined {
  return /^annual-report\/\d+\/\d+\/[^/]+\/([^/#]+)#\d+\//.exec(idempotencyKey)?.[1];
}

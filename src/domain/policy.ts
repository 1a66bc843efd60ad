import { isIanaTimeZone } from './time-zones';
import { z } from 'zod';
import { sendingCalendarOf, timeOfDayMillis } from './calendar';
import { planDeadline } from './deadline-schedule';
import { dueAtEndOfDay } from './due-date';
import { isoDurationSchema, nominalSeconds, parseDuration, wholeDays } from './duration';
import { formatIssues } from './issues';
import { annualReportFamily, noticeTemplates, recipientRoles, type NoticeFamily } from './notice-families';

/**
 * Deadline policies as data: which notices go out when, relative to a due date. Everything a
 * person could get wrong is rejected at parse time, with a message that names the step and says why.
 */

export const stepKinds = ['invitation', 'reminder', 'overdue', 'escalation'] as const;
export type StepKind = (typeof stepKinds)[number];

const dayCounts = ['calendar', 'working'] as const;

const oneOf = (values: readonly string[]) => (issue: { input?: unknown }) =>
  issue.input === undefined
    ? 'is required'
    : `must be one of ${values.join(', ')}, not ${JSON.stringify(issue.input)}`;

const stepIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a slug of lowercase letters, digits and single hyphens, e.g. "reminder-2w"');

// Aborting, like durations: the window and sendTime rules below compare these values.
const timeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time of day as HH:MM, e.g. 09:00', abort: true });
const windowEndSchema = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'must be a time of day as HH:MM (up to 24:00), e.g. 17:00', abort: true });

const dayCountSchema = z.enum(dayCounts, { error: oneOf(dayCounts) }).default('calendar');

export const stepOffsetSchema = z.strictObject({
  direction: z.enum(['before', 'after'], { error: oneOf(['before', 'after']) }),
  duration: isoDurationSchema,
  count: dayCountSchema,
});

const repeatSchema = z.strictObject({
  every: isoDurationSchema,
  /** Total occurrences including the first; bounded so a workflow's history stays small. */
  times: z.int().min(1, 'must be at least 1 (the first occurrence counts)').max(100, 'must be at most 100'),
  until: stepIdSchema.optional(),
});

/** The schema of one step of a family's policy: its templates and roles, and no other. */
function deadlineStepSchemaFor<const T extends string, const R extends (typeof recipientRoles)[number]>(family: {
  templates: readonly T[];
  roles: readonly R[];
}) {
  return z.strictObject({
    id: stepIdSchema,
    kind: z.enum(stepKinds, { error: oneOf(stepKinds) }),
    template: z.enum(family.templates as unknown as [T, ...T[]], { error: oneOf(family.templates) }),
    offset: stepOffsetSchema,
    recipients: z
      .array(z.enum(family.roles as unknown as [R, ...R[]], { error: oneOf(family.roles) }))
      .min(1, 'must name at least one recipient role')
      .refine((roles) => new Set(roles).size === roles.length, 'must not name a role twice'),
    escalationLevel: z.int().min(0, 'must be 0 or higher').default(0),
    repeat: repeatSchema.optional(),
    /** If the step already lies in the past when tracking starts, send it once at once instead of skipping it. */
    sendIfLate: z.boolean().default(false),
  });
}

/**
 * The one schema factory of deadline policies: a family's policy may use only that family's
 * templates and roles; every other rule is the same for all families.
 */
export function deadlinePolicySchemaFor<const T extends string, const R extends (typeof recipientRoles)[number]>(family: {
  templates: readonly T[];
  roles: readonly R[];
}) {
  return z
    .strictObject({
      steps: z.array(deadlineStepSchemaFor(family)).min(1, 'a policy needs at least one step, or nothing would ever be sent'),
      /** Local time of day at which day-granular steps fire. */
      sendTime: timeOfDaySchema.default('09:00'),
      sendingWindow: z.strictObject({ start: timeOfDaySchema, end: windowEndSchema }).default({ start: '08:00', end: '17:00' }),
      /** 'working' (absent): NRW working days only; 'every': every day, for drills and rehearsals. */
      sendingDays: z.enum(['working', 'every']).optional(),
      timezone: z
        .string()
        .refine(isIanaTimeZone, 'must be an IANA time zone, e.g. Europe/Berlin')
        .default('Europe/Berlin'),
    })
    .superRefine((parsed, ctx) => {
      // The rules read kinds, offsets and ids only: the same for every family's templates and roles.
      const policy = parsed as unknown as DeadlinePolicy;
      if (!checkSendingTimes(policy, ctx)) return;
      if (!checkSteps(policy.steps, ctx)) return;
      // Planning needs a sound policy: only once nothing else is wrong (ctx.issues holds the rest).
      if (ctx.issues.length === 0) checkEverSent(policy, ctx);
    });
}

/** Any family's policy, as the tracker and the planner take it. */
const anyDeadlinePolicySchema = deadlinePolicySchemaFor({ templates: noticeTemplates, roles: recipientRoles });

/** The annual report's deadline policy. */
export const deadlinePolicySchema = deadlinePolicySchemaFor(annualReportFamily);

export const revisionPeriodSchema = z
  .strictObject({ duration: isoDurationSchema, count: dayCountSchema })
  .superRefine((period, ctx) => {
    const problem = workingDaysProblem(period.duration, period.count);
    if (problem) ctx.addIssue({ code: 'custom', path: ['duration'], message: problem });
  });

export const reportingPolicySchema = z
  .strictObject({
    deadline: deadlinePolicySchema,
    revision: z.strictObject({
      /** How long the partner gets after a revision request. */
      period: revisionPeriodSchema,
      deadline: deadlinePolicySchema,
    }),
  })
  .superRefine(({ revision }, ctx) => {
    const period = nominalSeconds(parseDuration(revision.period.duration), revision.period.count);
    revision.deadline.steps.forEach((step, index) => {
      if (step.offset.direction === 'before' && -position(step) >= period) {
        ctx.addIssue(
          stepIssue(
            ['revision', 'deadline', 'steps', index],
            step.id,
            `${describe(step.offset)} lies before the revision is even requested: the partner only gets ${revision.period.duration}`,
          ),
        );
      }
    });
  });

export type StepOffset = z.output<typeof stepOffsetSchema>;
export type DeadlinePolicy = z.output<typeof anyDeadlinePolicySchema>;
export type DeadlineStep = DeadlinePolicy['steps'][number];
export type DeadlinePolicyInput = z.input<typeof deadlinePolicySchema>;
export type ReportingPolicy = z.output<typeof reportingPolicySchema>;
export type ReportingPolicyInput = z.input<typeof reportingPolicySchema>;

export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  readonly code = 'invalid-policy';
  constructor(readonly problems: string[]) {
    super(`Invalid policy:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  }
}

/** Parses a reporting policy (from a file, the database, a request); throws PolicyError with "path: reason" lines. */
export function parseReportingPolicy(input: unknown, prefix?: string): ReportingPolicy {
  const parsed = reportingPolicySchema.safeParse(input);
  if (!parsed.success) throw new PolicyError(formatIssues(parsed.error, prefix));
  return parsed.data;
}


type Issue = { code: 'custom'; path: (string | number)[]; message: string; params?: { label: string } };
type Context = { addIssue(issue: Issue): void };

const kindNoun: Record<StepKind, string> = {
  invitation: 'an invitation',
  reminder: 'a reminder',
  overdue: 'an overdue notice',
  escalation: 'an escalation',
};

function stepIssue(path: (string | number)[], stepId: string, message: string): Issue {
  return { code: 'custom', path, message, params: { label: stepId } };
}

/** Checks the window and send time; false when no mail could go out at all. */
function checkSendingTimes(policy: Pick<DeadlinePolicy, 'sendTime' | 'sendingWindow'>, ctx: Context): boolean {
  const { start, end } = policy.sendingWindow;
  if (timeOfDayMillis(start) >= timeOfDayMillis(end)) {
    ctx.addIssue({
      code: 'custom',
      path: ['sendingWindow'],
      message: `start (${start}) must be earlier than end (${end}), or no mail could ever go out`,
    });
    return false;
  }
  const sendTime = timeOfDayMillis(policy.sendTime);
  if (sendTime < timeOfDayMillis(start) || sendTime >= timeOfDayMillis(end)) {
    ctx.addIssue({
      code: 'custom',
      path: ['sendTime'],
      message: `${policy.sendTime} lies outside the sending window ${start}–${end}, so every day-granular step would be deferred`,
    });
  }
  return true;
}

/** Checks each step, then the steps against each other; false when any problem was found. */
function checkSteps(steps: DeadlineStep[], ctx: Context): boolean {
  const firstIndexById = new Map<string, number>();
  let stepProblems = 0;
  steps.forEach((step, index) => {
    const report = (message: string) => {
      stepProblems += 1;
      ctx.addIssue(stepIssue(['steps', index], step.id, message));
    };

    const earlier = firstIndexById.get(step.id);
    if (earlier === undefined) firstIndexById.set(step.id, index);
    else report(`the id "${step.id}" is already used by steps[${earlier}]; step ids must be unique`);

    const announces = step.kind === 'invitation' || step.kind === 'reminder';
    if (announces && step.offset.direction === 'after') {
      report(`${kindNoun[step.kind]} must fall before the due date it announces, but ${describe(step.offset)} falls after it`);
    }
    if (!announces && step.offset.direction === 'before') {
      const what = step.kind === 'overdue' ? 'reports as missed' : 'escalates';
      report(`${kindNoun[step.kind]} must fall after the due date it ${what}, but ${describe(step.offset)} falls before it`);
    }

    if (step.kind === 'escalation' && step.escalationLevel < 1) {
      report(`an escalation must have escalationLevel 1 or higher, not ${step.escalationLevel}`);
    }
    if (step.kind !== 'escalation' && step.escalationLevel !== 0) {
      report(`${kindNoun[step.kind]} does not escalate, so its escalationLevel must be 0, not ${step.escalationLevel}`);
    }

    const offsetProblem = workingDaysProblem(step.offset.duration, step.offset.count);
    if (offsetProblem) report(`offset.duration ${offsetProblem}`);
    const everyProblem = step.repeat && workingDaysProblem(step.repeat.every, step.offset.count);
    if (everyProblem) report(`repeat.every ${everyProblem} (a repetition counts days the way its offset does)`);
  });

  // Comparing steps in time only makes sense once each step on its own is sound.
  if (stepProblems > 0) return false;
  const invitation = steps.find((step) => step.kind === 'invitation');
  steps.forEach((step, index) => {
    const report = (message: string) => {
      stepProblems += 1;
      ctx.addIssue(stepIssue(['steps', index], step.id, message));
    };
    if (step.kind === 'reminder' && invitation !== undefined && position(step) <= position(invitation)) {
      report(
        `a reminder at ${describe(step.offset)} would come before (or with) the invitation "${invitation.id}" at ${describe(invitation.offset)}; nobody can be reminded of what they were not yet invited to`,
      );
    }
    const until = step.repeat?.until;
    if (until !== undefined) {
      const stopper = steps.find((candidate) => candidate.id === until);
      if (stopper === undefined) report(`repeat.until names "${until}", but no step has that id`);
      else if (position(stopper) <= position(step)) {
        report(
          `repeat.until names "${until}" at ${describe(stopper.offset)}, which is not later than this step (${describe(step.offset)}); only a later step can stop a repetition`,
        );
      }
    }
    const lowerLater = steps.find(
      (other) => other.escalationLevel < step.escalationLevel && position(other) > position(step),
    );
    if (lowerLater !== undefined) {
      report(
        `escalation level ${step.escalationLevel} at ${describe(step.offset)} comes before level ${lowerLater.escalationLevel} of "${lowerLater.id}" at ${describe(lowerLater.offset)}; escalation levels must not decrease over time`,
      );
    }
  });
  return stepProblems === 0;
}

/**
 * Due dates that every step should serve: a week of ordinary working days and weekend days, so
 * a step that goes out for none of them can never be sent (rather than only around holidays).
 */
const probeDueDates = ['2031-06-02', '2031-06-03', '2031-06-04', '2031-06-05', '2031-06-06', '2031-06-07', '2031-06-08'];

/** Refuses a step that no due date would ever send, naming the step and the planner's reason. */
function checkEverSent(policy: DeadlinePolicy, ctx: Context): void {
  const key = JSON.stringify(policy);
  let problems = neverSentByPolicy.get(key);
  if (problems === undefined) {
    problems = neverSentSteps(policy);
    if (neverSentByPolicy.size >= 64) neverSentByPolicy.clear();
    neverSentByPolicy.set(key, problems);
  }
  for (const problem of problems) ctx.addIssue(stepIssue(['steps', problem.index], problem.stepId, problem.message));
}

/**
 * The answers of neverSentSteps by policy (as JSON). Planning seven due dates is most of what
 * parsing a policy costs, and a worker parses the same stored policy for every report it starts.
 */
const neverSentByPolicy = new Map<string, { index: number; stepId: string; message: string }[]>();

function neverSentSteps(policy: DeadlinePolicy): { index: number; stepId: string; message: string }[] {
  const calendar = sendingCalendarOf(policy);
  const plans = probeDueDates.map((day) => planDeadline({ policy, dueAt: dueAtEndOfDay(day, policy.timezone), calendar }));
  return policy.steps.flatMap((step, index) => {
    if (plans.some((plan) => plan.sends.some((send) => send.stepId === step.id))) return [];
    const reason = plans[0]?.dropped.find((drop) => drop.stepId === step.id)?.reason ?? 'is never planned';
    return [{ index, stepId: step.id, message: `can never be sent (for a due date of ${probeDueDates[0]}: ${reason})` }];
  });
}

/** Counting working days only makes sense in whole days ('P3D'); explains why not, if not. */
function workingDaysProblem(duration: string, count: 'calendar' | 'working'): string | undefined {
  if (count !== 'working' || wholeDays(parseDuration(duration)) !== undefined) return undefined;
  return `must be whole days written as PnD (e.g. P1D) when counting working days, not "${duration}"`;
}

/**
 * Where a step lies relative to the due date, in nominal seconds (negative: before). Only for
 * ordering steps before a due date is known; the schedule itself uses real calendar dates.
 */
function position(step: DeadlineStep): number {
  const length = nominalSeconds(parseDuration(step.offset.duration), step.offset.count);
  return step.offset.direction === 'before' ? -length : length;
}

function describe(offset: StepOffset): string {
  const text = `"${offset.direction} ${offset.duration}"`;
  return offset.count === 'working' ? `${text} in working days` : text;
}

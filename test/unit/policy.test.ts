import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sendingCalendarOf } from '../../src/domain/calendar';
import { defaultReportingPolicy, defaultReportingPolicyInput } from '../../src/domain/default-policy';
import { formatIssues } from '../../src/domain/issues';
import {
  deadlinePolicySchema,
  parseReportingPolicy,
  PolicyError,
  reportingPolicySchema,
  type ReportingPolicyInput,
} from '../../src/domain/policy';

type Mutable = ReportingPolicyInput & Record<string, unknown>;

/** Problems ("path: reason" lines) of the default policy after `change`; [] if it parses. */
function problemsAfter(change: (policy: Mutable) => void): string[] {
  const policy = structuredClone(defaultReportingPolicyInput) as unknown as Mutable;
  change(policy);
  const parsed = reportingPolicySchema.safeParse(policy);
  return parsed.success ? [] : formatIssues(parsed.error);
}

const step = (policy: Mutable, index: number) => {
  const found = policy.deadline.steps[index];
  if (!found) throw new Error(`no step ${index}`);
  return found as Record<string, unknown> & typeof found;
};

describe('the default reporting policy', () => {
  it('lists invitation, two reminders, the overdue notice and two escalation levels in order', () => {
    expect(
      defaultReportingPolicy.deadline.steps.map((s) => [
        s.id,
        s.kind,
        s.template,
        `${s.offset.direction} ${s.offset.duration} ${s.offset.count}`,
        s.recipients.join('+'),
        s.escalationLevel,
        s.sendIfLate,
      ]),
    ).toEqual([
      ['invitation', 'invitation', 'report-invitation', 'before P6W calendar', 'partner_main_contact', 0, true],
      ['reminder-2w', 'reminder', 'report-reminder', 'before P2W calendar', 'partner_main_contact', 0, false],
      ['reminder-3d', 'reminder', 'report-reminder', 'before P3D calendar', 'partner_main_contact', 0, false],
      ['overdue', 'overdue', 'report-overdue', 'after P1D working', 'partner_main_contact', 0, false],
      ['escalation-1-partner', 'escalation', 'report-escalation-partner', 'after P2W calendar', 'partner_leadership', 1, false],
      ['escalation-1-ministry', 'escalation', 'report-escalation-ministry', 'after P2W calendar', 'ministry_caseworker', 1, false],
      ['escalation-2-ministry', 'escalation', 'report-escalation-ministry', 'after P4W calendar', 'head_of_unit', 2, false],
      ['escalation-2-partner', 'escalation', 'report-escalation-partner', 'after P4W calendar', 'partner_leadership', 2, false],
    ]);
    expect(defaultReportingPolicy.deadline).toMatchObject({
      sendTime: '09:00',
      sendingWindow: { start: '08:00', end: '17:00' },
      timezone: 'Europe/Berlin',
    });
  });

  it('gives a revision 14 calendar days with a reminder 3 days before and a notice the working day after', () => {
    expect(defaultReportingPolicy.revision.period).toEqual({ duration: 'P14D', count: 'calendar' });
    expect(
      defaultReportingPolicy.revision.deadline.steps.map((s) => [s.id, s.template, s.offset]),
    ).toEqual([
      ['revision-reminder', 'report-reminder', { direction: 'before', duration: 'P3D', count: 'calendar' }],
      ['revision-overdue', 'report-overdue', { direction: 'after', duration: 'P1D', count: 'working' }],
    ]);
  });

  it('survives a JSON round trip (it is stored as jsonb)', () => {
    expect(reportingPolicySchema.parse(JSON.parse(JSON.stringify(defaultReportingPolicy)))).toEqual(
      defaultReportingPolicy,
    );
  });
});

describe('policy defaults', () => {
  it('fills sendTime, window, zone, day count, level and sendIfLate', () => {
    const policy = deadlinePolicySchema.parse({
      steps: [
        {
          id: 'reminder',
          kind: 'reminder',
          template: 'report-reminder',
          offset: { direction: 'before', duration: 'P3D' },
          recipients: ['partner_main_contact'],
        },
      ],
    });
    expect(policy).toEqual({
      sendTime: '09:00',
      sendingWindow: { start: '08:00', end: '17:00' },
      timezone: 'Europe/Berlin',
      steps: [
        {
          id: 'reminder',
          kind: 'reminder',
          template: 'report-reminder',
          offset: { direction: 'before', duration: 'P3D', count: 'calendar' },
          recipients: ['partner_main_contact'],
          escalationLevel: 0,
          sendIfLate: false,
        },
      ],
    });
    expect(sendingCalendarOf(policy)).toEqual({ timezone: 'Europe/Berlin', window: { start: '08:00', end: '17:00' } });
  });

  it('sends on every day only when the policy says so, and names the field of an unknown choice', () => {
    const step = { id: 'r', kind: 'reminder', template: 'report-reminder', offset: { direction: 'before', duration: 'P3D' }, recipients: ['partner_main_contact'] };
    const everyDay = deadlinePolicySchema.parse({ sendingDays: 'every', steps: [step] });
    expect(sendingCalendarOf(everyDay).days).toBe('every');
    expect(sendingCalendarOf(deadlinePolicySchema.parse({ sendingDays: 'working', steps: [step] })).days).toBeUndefined();
    const refused = deadlinePolicySchema.safeParse({ sendingDays: 'weekends', steps: [step] });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['sendingDays']);
  });
});

describe('policy validation', () => {
  it('rejects a reminder after the due date, naming the step', () => {
    expect(
      problemsAfter((p) => {
        Object.assign(step(p, 2), { id: 'reminder-late', offset: { direction: 'after', duration: 'P3D' } });
      }),
    ).toEqual([
      'deadline.steps[2] (reminder-late): a reminder must fall before the due date it announces, but "after P3D" falls after it',
    ]);
  });

  it('rejects an invitation after the due date', () => {
    expect(problemsAfter((p) => void (step(p, 0).offset.direction = 'after'))).toEqual([
      'deadline.steps[0] (invitation): an invitation must fall before the due date it announces, but "after P6W" falls after it',
    ]);
  });

  it('rejects an overdue notice before the due date', () => {
    expect(problemsAfter((p) => void (step(p, 3).offset = { direction: 'before', duration: 'P1D', count: 'working' }))).toEqual([
      'deadline.steps[3] (overdue): an overdue notice must fall after the due date it reports as missed, but "before P1D" in working days falls before it',
    ]);
  });

  it('rejects an escalation before the due date', () => {
    expect(problemsAfter((p) => void (step(p, 4).offset.direction = 'before'))).toEqual([
      'deadline.steps[4] (escalation-1-partner): an escalation must fall after the due date it escalates, but "before P2W" falls before it',
    ]);
  });

  it('rejects an unknown template, listing the known ones', () => {
    expect(problemsAfter((p) => void Object.assign(step(p, 0), { template: 'report-invite' }))).toEqual([
      'deadline.steps[0].template: must be one of report-invitation, report-reminder, report-overdue, report-escalation-partner, report-escalation-ministry, report-received, report-revision-requested, report-extension-granted, report-accepted, report-waived, not "report-invite"',
    ]);
  });

  it('rejects duplicate step ids', () => {
    expect(problemsAfter((p) => void (step(p, 2).id = 'reminder-2w'))).toEqual([
      'deadline.steps[2] (reminder-2w): the id "reminder-2w" is already used by steps[1]; step ids must be unique',
    ]);
  });

  it('rejects repeat.until naming no step', () => {
    expect(problemsAfter((p) => void (step(p, 1).repeat = { every: 'P1D', times: 5, until: 'reminder-1d' }))).toEqual([
      'deadline.steps[1] (reminder-2w): repeat.until names "reminder-1d", but no step has that id',
    ]);
  });

  it('rejects a repetition stopped by an earlier step', () => {
    expect(problemsAfter((p) => void (step(p, 2).repeat = { every: 'P1D', times: 5, until: 'reminder-2w' }))).toEqual([
      'deadline.steps[2] (reminder-3d): repeat.until names "reminder-2w" at "before P2W", which is not later than this step ("before P3D"); only a later step can stop a repetition',
    ]);
  });

  it('rejects a repetition stopped by itself', () => {
    expect(problemsAfter((p) => void (step(p, 2).repeat = { every: 'P1D', times: 5, until: 'reminder-3d' }))).toEqual([
      'deadline.steps[2] (reminder-3d): repeat.until names "reminder-3d" at "before P3D", which is not later than this step ("before P3D"); only a later step can stop a repetition',
    ]);
  });

  it('accepts a repetition stopped by a later step', () => {
    expect(problemsAfter((p) => void (step(p, 2).repeat = { every: 'P1D', times: 5, until: 'overdue' }))).toEqual([]);
  });

  it('rejects escalation levels that decrease over time', () => {
    expect(
      problemsAfter((p) => {
        step(p, 4).escalationLevel = 2;
        step(p, 6).escalationLevel = 1;
        step(p, 7).escalationLevel = 1;
      }),
    ).toEqual([
      'deadline.steps[4] (escalation-1-partner): escalation level 2 at "after P2W" comes before level 1 of "escalation-2-ministry" at "after P4W"; escalation levels must not decrease over time',
    ]);
  });

  it('rejects an overdue notice after the first escalation (level 0 after level 1)', () => {
    expect(problemsAfter((p) => void (step(p, 3).offset = { direction: 'after', duration: 'P3W' }))).toEqual([
      'deadline.steps[4] (escalation-1-partner): escalation level 1 at "after P2W" comes before level 0 of "overdue" at "after P3W"; escalation levels must not decrease over time',
      'deadline.steps[5] (escalation-1-ministry): escalation level 1 at "after P2W" comes before level 0 of "overdue" at "after P3W"; escalation levels must not decrease over time',
    ]);
  });

  it('rejects an escalation without a level and a reminder with one', () => {
    expect(
      problemsAfter((p) => {
        step(p, 1).escalationLevel = 1;
        step(p, 4).escalationLevel = 0;
      }),
    ).toEqual([
      'deadline.steps[1] (reminder-2w): a reminder does not escalate, so its escalationLevel must be 0, not 1',
      'deadline.steps[4] (escalation-1-partner): an escalation must have escalationLevel 1 or higher, not 0',
    ]);
  });

  it('rejects working-day counts that are not whole days', () => {
    expect(problemsAfter((p) => void (step(p, 3).offset.duration = 'PT12H'))).toEqual([
      'deadline.steps[3] (overdue): offset.duration must be whole days written as PnD (e.g. P1D) when counting working days, not "PT12H"',
    ]);
    expect(problemsAfter((p) => void (step(p, 3).offset.duration = 'P1W'))).toEqual([
      'deadline.steps[3] (overdue): offset.duration must be whole days written as PnD (e.g. P1D) when counting working days, not "P1W"',
    ]);
    expect(problemsAfter((p) => void (step(p, 3).repeat = { every: 'PT1H', times: 3 }))).toEqual([
      'deadline.steps[3] (overdue): repeat.every must be whole days written as PnD (e.g. P1D) when counting working days, not "PT1H" (a repetition counts days the way its offset does)',
    ]);
  });

  it.each([
    ['P0D', 'must be longer than zero, not "P0D"'],
    ['PT0S', 'must be longer than zero, not "PT0S"'],
    ['P1DT2H', 'must use either date parts (Y, M, W, D) or time parts (T…H, M, S), not both: "P1DT2H" mixes them'],
    ['P1.5D', 'must be an ISO-8601 duration of whole numbers such as P6W, P3D or PT30S, not "P1.5D"'],
    ['-P1D', 'must be an ISO-8601 duration of whole numbers such as P6W, P3D or PT30S, not "-P1D"'],
    ['PT', 'must be an ISO-8601 duration of whole numbers such as P6W, P3D or PT30S, not "PT"'],
    ['6 weeks', 'must be an ISO-8601 duration of whole numbers such as P6W, P3D or PT30S, not "6 weeks"'],
  ])('rejects the duration %s', (duration, reason) => {
    expect(problemsAfter((p) => void (step(p, 0).offset.duration = duration))).toEqual([
      `deadline.steps[0].offset.duration: ${reason}`,
    ]);
  });

  it.each(['PT30S', 'PT2M', 'PT1H', 'P1Y', 'P2M', 'P1Y2M3W4D'])('accepts the duration %s', (duration) => {
    expect(
      problemsAfter((p) => {
        step(p, 0).offset.duration = duration;
        // Without the reminders, which a short invitation would follow.
        p.deadline.steps.splice(1, 2);
      }),
    ).toEqual([]);
  });

  it('rejects a sending window that closes before it opens', () => {
    expect(problemsAfter((p) => void (p.deadline.sendingWindow = { start: '17:00', end: '08:00' }))).toEqual([
      'deadline.sendingWindow: start (17:00) must be earlier than end (08:00), or no mail could ever go out',
    ]);
    expect(problemsAfter((p) => void (p.deadline.sendingWindow = { start: '08:00', end: '08:00' }))).toEqual([
      'deadline.sendingWindow: start (08:00) must be earlier than end (08:00), or no mail could ever go out',
    ]);
  });

  it('rejects a sendTime outside the window, whose end is exclusive', () => {
    expect(problemsAfter((p) => void (p.deadline.sendTime = '17:00'))).toEqual([
      'deadline.sendTime: 17:00 lies outside the sending window 08:00–17:00, so every day-granular step would be deferred',
    ]);
    expect(problemsAfter((p) => void (p.deadline.sendTime = '07:59'))).toEqual([
      'deadline.sendTime: 07:59 lies outside the sending window 08:00–17:00, so every day-granular step would be deferred',
    ]);
    expect(problemsAfter((p) => void (p.deadline.sendTime = '08:00'))).toEqual([]);
    expect(problemsAfter((p) => void (p.deadline.sendTime = '16:59'))).toEqual([]);
  });

  it('rejects malformed times of day and zones', () => {
    expect(
      problemsAfter((p) => {
        p.deadline.sendTime = '9:00';
        p.deadline.timezone = 'Europe/Bonn';
      }),
    ).toEqual([
      'deadline.sendTime: must be a time of day as HH:MM, e.g. 09:00',
      'deadline.timezone: must be an IANA time zone, e.g. Europe/Berlin',
    ]);
  });

  it('rejects a revision reminder that would fall before the revision is requested', () => {
    expect(
      problemsAfter((p) => {
        const reminder = p.revision.deadline.steps[0];
        if (reminder) reminder.offset.duration = 'P3W';
      }),
    ).toEqual([
      'revision.deadline.steps[0] (revision-reminder): "before P3W" lies before the revision is even requested: the partner only gets P14D',
    ]);
  });

  it('rejects a revision period in working weeks', () => {
    expect(problemsAfter((p) => void (p.revision.period = { duration: 'P2W', count: 'working' }))).toEqual([
      'revision.period.duration: must be whole days written as PnD (e.g. P1D) when counting working days, not "P2W"',
    ]);
  });

  it('rejects empty or repeated recipients, bad ids, unknown keys and a zero repeat count', () => {
    expect(
      problemsAfter((p) => {
        step(p, 0).recipients = [];
        step(p, 1).recipients = ['partner_main_contact', 'partner_main_contact'];
        step(p, 2).id = 'Reminder 3d';
        Object.assign(step(p, 3), { sendiflate: true });
        step(p, 4).repeat = { every: 'P1D', times: 0 };
      }),
    ).toEqual([
      'deadline.steps[0].recipients: must name at least one recipient role',
      'deadline.steps[1].recipients: must not name a role twice',
      'deadline.steps[2].id: must be a slug of lowercase letters, digits and single hyphens, e.g. "reminder-2w"',
      'deadline.steps[3]: Unrecognized key: "sendiflate"',
      'deadline.steps[4].repeat.times: must be at least 1 (the first occurrence counts)',
    ]);
  });
});

describe('parseReportingPolicy', () => {
  it('returns the parsed policy', () => {
    expect(parseReportingPolicy(defaultReportingPolicyInput)).toEqual(defaultReportingPolicy);
  });

  it('throws a PolicyError whose problems are prefixed lines', () => {
    const broken = structuredClone(defaultReportingPolicyInput) as unknown as Mutable;
    step(broken, 2).offset.direction = 'after';
    let error: unknown;
    try {
      parseReportingPolicy(broken, 'policy.json');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).code).toBe('invalid-policy');
    expect((error as PolicyError).problems).toEqual([
      'policy.json.deadline.steps[2] (reminder-3d): a reminder must fall before the due date it announces, but "after P3D" falls after it',
    ]);
  });
});

describe('formatIssues', () => {
  const schema = z.object({ partners: z.array(z.object({ 'e-mail': z.email('must be an email address') })) });

  it('writes array indexes in brackets and odd keys quoted', () => {
    const error = schema.safeParse({ partners: [{ 'e-mail': 'ok@example.org' }, { 'e-mail': 'nope' }] }).error;
    expect(error && formatIssues(error)).toEqual(['partners[1]["e-mail"]: must be an email address']);
  });

  it('names the whole input when the path is empty, or uses the prefix', () => {
    const error = schema.safeParse('text').error;
    expect(error && formatIssues(error)).toEqual(['(input): Invalid input: expected object, received string']);
    expect(error && formatIssues(error, 'body')).toEqual(['body: Invalid input: expected object, received string']);
  });
});

import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { defaultSendingCalendar, type SendingCalendar } from '../../src/domain/calendar';
import {
  catchUpSelection,
  supersedingSend,
  occurrenceKey,
  planDeadline,
  previewSchedule,
  type DeadlinePlan,
  type PlannedSend,
} from '../../src/domain/deadline-schedule';
import { defaultReportingPolicy } from '../../src/domain/default-policy';
import { deadlinePolicySchema, type DeadlinePolicyInput } from '../../src/domain/policy';

/** The last millisecond of a local date in Berlin: a report due on 31.03. is on time all that day. */
const endOfDay = (date: string) => DateTime.fromISO(date, { zone: 'Europe/Berlin' }).endOf('day').toJSDate();

const planDefault = (dueDate: string) =>
  planDeadline({ policy: defaultReportingPolicy.deadline, dueAt: endOfDay(dueDate), calendar: defaultSendingCalendar });

/** `stepId#occurrence sendAt` per send, the compact form the expectations below are written in. */
const sendTimes = (plan: DeadlinePlan) => plan.sends.map((s) => `${occurrenceKey(s)} ${s.sendAt.toISOString()}`);

const policy = (steps: DeadlinePolicyInput['steps'], extra: Partial<DeadlinePolicyInput> = {}) =>
  deadlinePolicySchema.parse({ steps, ...extra });

describe('the default policy for a report due Sunday 31.03.2019 (the day clocks go forward)', () => {
  const plan = planDefault('2019-03-31');

  it('plans every step at 09:00 local and defers weekend ones to Monday 08:00', () => {
    expect(
      plan.sends.map((s) => [s.stepId, s.plannedAt.toISOString(), s.sendAt.toISOString()]),
    ).toEqual([
      // 17.02. is a Sunday (CET, UTC+1).
      ['invitation', '2019-02-17T08:00:00.000Z', '2019-02-18T07:00:00.000Z'],
      ['reminder-2w', '2019-03-17T08:00:00.000Z', '2019-03-18T07:00:00.000Z'],
      // Thursday 28.03., still winter time: 09:00 CET.
      ['reminder-3d', '2019-03-28T08:00:00.000Z', '2019-03-28T08:00:00.000Z'],
      // The working day after: Monday 01.04., now summer time, still 09:00 local.
      ['overdue', '2019-04-01T07:00:00.000Z', '2019-04-01T07:00:00.000Z'],
      ['escalation-1-partner', '2019-04-14T07:00:00.000Z', '2019-04-15T06:00:00.000Z'],
      ['escalation-1-ministry', '2019-04-14T07:00:00.000Z', '2019-04-15T06:00:00.000Z'],
      ['escalation-2-ministry', '2019-04-28T07:00:00.000Z', '2019-04-29T06:00:00.000Z'],
      ['escalation-2-partner', '2019-04-28T07:00:00.000Z', '2019-04-29T06:00:00.000Z'],
    ]);
    expect(plan.dropped).toEqual([]);
  });

  it('carries each step’s notice, recipients and escalation level', () => {
    expect(plan.sends.map((s) => [s.kind, s.template, s.recipients, s.escalationLevel, s.occurrence])).toEqual([
      ['invitation', 'report-invitation', ['partner_main_contact'], 0, 0],
      ['reminder', 'report-reminder', ['partner_main_contact'], 0, 0],
      ['reminder', 'report-reminder', ['partner_main_contact'], 0, 0],
      ['overdue', 'report-overdue', ['partner_main_contact'], 0, 0],
      ['escalation', 'report-escalation-partner', ['partner_leadership'], 1, 0],
      ['escalation', 'report-escalation-ministry', ['ministry_caseworker'], 1, 0],
      ['escalation', 'report-escalation-ministry', ['head_of_unit'], 2, 0],
      ['escalation', 'report-escalation-partner', ['partner_leadership'], 2, 0],
    ]);
  });

  it('previews as local rows with weekday and the moment a deferral moved', () => {
    expect(previewSchedule(plan, defaultSendingCalendar)).toEqual([
      { sendAt: '2019-02-18 08:00 (Mon)', step: 'invitation', occurrence: 0, template: 'report-invitation', recipients: ['partner_main_contact'], deferredFrom: '2019-02-17 09:00 (Sun)', broughtForwardFrom: null },
      { sendAt: '2019-03-18 08:00 (Mon)', step: 'reminder-2w', occurrence: 0, template: 'report-reminder', recipients: ['partner_main_contact'], deferredFrom: '2019-03-17 09:00 (Sun)', broughtForwardFrom: null },
      { sendAt: '2019-03-28 09:00 (Thu)', step: 'reminder-3d', occurrence: 0, template: 'report-reminder', recipients: ['partner_main_contact'], deferredFrom: null, broughtForwardFrom: null },
      { sendAt: '2019-04-01 09:00 (Mon)', step: 'overdue', occurrence: 0, template: 'report-overdue', recipients: ['partner_main_contact'], deferredFrom: null, broughtForwardFrom: null },
      { sendAt: '2019-04-15 08:00 (Mon)', step: 'escalation-1-partner', occurrence: 0, template: 'report-escalation-partner', recipients: ['partner_leadership'], deferredFrom: '2019-04-14 09:00 (Sun)', broughtForwardFrom: null },
      { sendAt: '2019-04-15 08:00 (Mon)', step: 'escalation-1-ministry', occurrence: 0, template: 'report-escalation-ministry', recipients: ['ministry_caseworker'], deferredFrom: '2019-04-14 09:00 (Sun)', broughtForwardFrom: null },
      { sendAt: '2019-04-29 08:00 (Mon)', step: 'escalation-2-ministry', occurrence: 0, template: 'report-escalation-ministry', recipients: ['head_of_unit'], deferredFrom: '2019-04-28 09:00 (Sun)', broughtForwardFrom: null },
      { sendAt: '2019-04-29 08:00 (Mon)', step: 'escalation-2-partner', occurrence: 0, template: 'report-escalation-partner', recipients: ['partner_leadership'], deferredFrom: '2019-04-28 09:00 (Sun)', broughtForwardFrom: null },
    ]);
  });
});

describe('due dates around holidays', () => {
  it('due Good Friday 19.04.2019: the overdue notice waits for Tuesday after Easter', () => {
    expect(sendTimes(planDefault('2019-04-19')).slice(2, 4)).toEqual([
      'reminder-3d#0 2019-04-16T07:00:00.000Z',
      'overdue#0 2019-04-23T07:00:00.000Z',
    ]);
  });

  it('due Easter Monday 22.04.2019: the last reminder, pushed past the due date by Good Friday, is brought forward to Thursday', () => {
    const plan = planDefault('2019-04-22');
    expect(sendTimes(plan)).toEqual([
      'invitation#0 2019-03-11T08:00:00.000Z',
      'reminder-2w#0 2019-04-08T07:00:00.000Z',
      'reminder-3d#0 2019-04-18T07:00:00.000Z',
      'overdue#0 2019-04-23T07:00:00.000Z',
      'escalation-1-partner#0 2019-05-06T07:00:00.000Z',
      'escalation-1-ministry#0 2019-05-06T07:00:00.000Z',
      'escalation-2-ministry#0 2019-05-20T07:00:00.000Z',
      'escalation-2-partner#0 2019-05-20T07:00:00.000Z',
    ]);
    expect(plan.dropped).toEqual([]);
    const reminder = previewSchedule(plan, defaultSendingCalendar).find((row) => row.step === 'reminder-3d');
    expect(reminder).toMatchObject({ sendAt: '2019-04-18 09:00 (Thu)', deferredFrom: null, broughtForwardFrom: '2019-04-19 09:00 (Fri)' });
  });

  it('due Easter Monday 22.04.2019 under the earlier rule (workflows begun before it): the last reminder is dropped', () => {
    const plan = planDeadline({ policy: defaultReportingPolicy.deadline, dueAt: endOfDay('2019-04-22'), calendar: defaultSendingCalendar, bringForward: false });
    expect(sendTimes(plan)).not.toContain('reminder-3d#0 2019-04-18T07:00:00.000Z');
    expect(plan.dropped).toEqual([
      {
        stepId: 'reminder-3d',
        occurrence: 0,
        reason:
          'would go out 2019-04-23 08:00 (Tue) (deferred from 2019-04-19 09:00 (Fri)), not before the due date 2019-04-22 23:59 (Mon) it announces',
      },
    ]);
  });

  it('due 26.12.2022 (Monday after a Christmas weekend): the reminder of Friday 23.12. stays, none is lost', () => {
    const plan = planDefault('2022-12-26');
    expect(plan.dropped).toEqual([]);
    expect(sendTimes(plan).filter((line) => line.startsWith('reminder-3d'))).toEqual(['reminder-3d#0 2022-12-23T08:00:00.000Z']);
  });

  it('due Tuesday 23.04.2019: a Saturday reminder goes out the due morning, after Easter Monday', () => {
    const plan = planDefault('2019-04-23');
    expect(sendTimes(plan).slice(2, 4)).toEqual([
      'reminder-3d#0 2019-04-23T06:00:00.000Z',
      'overdue#0 2019-04-24T07:00:00.000Z',
    ]);
    expect(plan.dropped).toEqual([]);
  });

  it('due Christmas Eve and New Year’s Eve: the overdue notice skips the holidays', () => {
    expect(sendTimes(planDefault('2019-12-24'))[3]).toBe('overdue#0 2019-12-27T08:00:00.000Z');
    expect(sendTimes(planDefault('2019-12-31'))[3]).toBe('overdue#0 2020-01-02T08:00:00.000Z');
    // A reminder 3 days before 27.12. falls on 24.12., a working day.
    expect(sendTimes(planDefault('2019-12-27'))[2]).toBe('reminder-3d#0 2019-12-24T08:00:00.000Z');
  });

  it('counts the working day after over Fronleichnam (NRW) and Allerheiligen', () => {
    expect(sendTimes(planDefault('2019-06-19'))[3]).toBe('overdue#0 2019-06-21T07:00:00.000Z');
    expect(sendTimes(planDefault('2019-10-31'))[3]).toBe('overdue#0 2019-11-04T08:00:00.000Z');
  });
});

describe('daylight saving time', () => {
  it('due Sunday 27.10.2019 (clocks go back): 09:00 local on both sides of the change', () => {
    expect(sendTimes(planDefault('2019-10-27')).slice(2, 5)).toEqual([
      'reminder-3d#0 2019-10-24T07:00:00.000Z',
      'overdue#0 2019-10-28T08:00:00.000Z',
      'escalation-1-partner#0 2019-11-11T07:00:00.000Z',
    ]);
  });

  it('a one-day offset across the spring change keeps 09:00 local', () => {
    const plan = planDeadline({
      policy: policy([
        { id: 'notice', kind: 'overdue', template: 'report-overdue', offset: { direction: 'after', duration: 'P1D' }, recipients: ['partner_main_contact'] },
        { id: 'later', kind: 'escalation', template: 'report-escalation-ministry', offset: { direction: 'after', duration: 'P2D' }, recipients: ['head_of_unit'], escalationLevel: 1 },
      ]),
      dueAt: endOfDay('2019-03-30'),
      calendar: defaultSendingCalendar,
    });
    expect(plan.sends.map((s) => [s.plannedAt.toISOString(), s.sendAt.toISOString()])).toEqual([
      // Sunday 31.03. 09:00 CEST, deferred to Monday 08:00 CEST.
      ['2019-03-31T07:00:00.000Z', '2019-04-01T06:00:00.000Z'],
      ['2019-04-01T07:00:00.000Z', '2019-04-01T07:00:00.000Z'],
    ]);
  });
});

describe('29 February', () => {
  it('due on the leap-day Saturday 29.02.2020', () => {
    expect(sendTimes(planDefault('2020-02-29')).slice(2, 4)).toEqual([
      'reminder-3d#0 2020-02-26T08:00:00.000Z',
      'overdue#0 2020-03-02T08:00:00.000Z',
    ]);
  });

  it('a year before 29.02.2024 is 28.02.2023, a year after 29.02.2020 is 28.02.2021', () => {
    const yearly = policy([
      { id: 'early', kind: 'invitation', template: 'report-invitation', offset: { direction: 'before', duration: 'P1Y' }, recipients: ['partner_main_contact'] },
      { id: 'late', kind: 'escalation', template: 'report-escalation-ministry', offset: { direction: 'after', duration: 'P1Y' }, recipients: ['head_of_unit'], escalationLevel: 1 },
    ]);
    const plan2024 = planDeadline({ policy: yearly, dueAt: endOfDay('2024-02-29'), calendar: defaultSendingCalendar });
    expect(plan2024.sends[0]?.sendAt.toISOString()).toBe('2023-02-28T08:00:00.000Z');
    const plan2020 = planDeadline({ policy: yearly, dueAt: endOfDay('2020-02-29'), calendar: defaultSendingCalendar });
    // 28.02.2021 is a Sunday: Monday 01.03.2021 08:00 CET.
    expect([plan2020.sends[1]?.plannedAt.toISOString(), plan2020.sends[1]?.sendAt.toISOString()]).toEqual([
      '2021-02-28T08:00:00.000Z',
      '2021-03-01T07:00:00.000Z',
    ]);
  });

  it('a month before 31.03.2024 is 29.02.2024', () => {
    const plan = planDeadline({
      policy: policy([
        { id: 'early', kind: 'reminder', template: 'report-reminder', offset: { direction: 'before', duration: 'P1M' }, recipients: ['partner_main_contact'] },
      ]),
      dueAt: endOfDay('2024-03-31'),
      calendar: defaultSendingCalendar,
    });
    expect(sendTimes(plan)).toEqual(['early#0 2024-02-29T08:00:00.000Z']);
  });
});

describe('drills with time-granular offsets', () => {
  const drill = policy([
    { id: 'invite', kind: 'invitation', template: 'report-invitation', offset: { direction: 'before', duration: 'PT2M' }, recipients: ['partner_main_contact'], sendIfLate: true },
    { id: 'remind', kind: 'reminder', template: 'report-reminder', offset: { direction: 'before', duration: 'PT30S' }, recipients: ['partner_main_contact'] },
    { id: 'overdue', kind: 'overdue', template: 'report-overdue', offset: { direction: 'after', duration: 'PT30S' }, recipients: ['partner_main_contact'] },
    { id: 'escalate', kind: 'escalation', template: 'report-escalation-ministry', offset: { direction: 'after', duration: 'PT2M' }, recipients: ['head_of_unit'], escalationLevel: 1 },
  ]);

  it('offsets the exact due instant, no sendTime involved', () => {
    const plan = planDeadline({ policy: drill, dueAt: new Date('2019-03-28T12:00:07.250Z'), calendar: defaultSendingCalendar });
    expect(sendTimes(plan)).toEqual([
      'invite#0 2019-03-28T11:58:07.250Z',
      'remind#0 2019-03-28T11:59:37.250Z',
      'overdue#0 2019-03-28T12:00:37.250Z',
      'escalate#0 2019-03-28T12:02:07.250Z',
    ]);
  });

  it('still respects the window: a drill at 16:59 finishes the next morning', () => {
    const plan = planDeadline({ policy: drill, dueAt: new Date('2019-03-28T15:59:00.000Z'), calendar: defaultSendingCalendar });
    expect(sendTimes(plan)).toEqual([
      'invite#0 2019-03-28T15:57:00.000Z',
      'remind#0 2019-03-28T15:58:30.000Z',
      'overdue#0 2019-03-28T15:59:30.000Z',
      'escalate#0 2019-03-29T07:00:00.000Z',
    ]);
  });
});

describe('repetition', () => {
  it('repeats a reminder every two days, capped at three occurrences in total', () => {
    const plan = planDeadline({
      policy: policy([
        { id: 'nudge', kind: 'reminder', template: 'report-reminder', offset: { direction: 'before', duration: 'P10D' }, recipients: ['partner_main_contact'], repeat: { every: 'P2D', times: 3 } },
      ]),
      dueAt: endOfDay('2019-05-31'),
      calendar: defaultSendingCalendar,
    });
    expect(sendTimes(plan)).toEqual([
      'nudge#0 2019-05-21T07:00:00.000Z',
      'nudge#1 2019-05-23T07:00:00.000Z',
      // 25.05. is a Saturday.
      'nudge#2 2019-05-27T06:00:00.000Z',
    ]);
  });

  it('drops repetitions that would reach the due date', () => {
    const plan = planDeadline({
      policy: policy([
        { id: 'nudge', kind: 'reminder', template: 'report-reminder', offset: { direction: 'before', duration: 'P5D' }, recipients: ['partner_main_contact'], repeat: { every: 'P2D', times: 4 } },
      ]),
      dueAt: endOfDay('2019-05-29'),
      calendar: defaultSendingCalendar,
    });
    expect(sendTimes(plan)).toEqual([
      'nudge#0 2019-05-24T07:00:00.000Z',
      // 26.05. is a Sunday.
      'nudge#1 2019-05-27T06:00:00.000Z',
      'nudge#2 2019-05-28T07:00:00.000Z',
    ]);
    expect(plan.dropped).toEqual([
      {
        stepId: 'nudge',
        occurrence: 3,
        // 30.05.2019 is Ascension Day.
        reason:
          'is planned for 2019-05-30 09:00 (Thu), not before the due date 2019-05-29 23:59 (Wed) it announces',
      },
    ]);
  });

  it('stops daily overdue notices (counted in working days) once the escalation is due', () => {
    const plan = planDeadline({
      policy: policy([
        { id: 'overdue', kind: 'overdue', template: 'report-overdue', offset: { direction: 'after', duration: 'P1D', count: 'working' }, recipients: ['partner_main_contact'], repeat: { every: 'P1D', times: 10, until: 'escalation' } },
        { id: 'escalation', kind: 'escalation', template: 'report-escalation-ministry', offset: { direction: 'after', duration: 'P1W' }, recipients: ['ministry_caseworker'], escalationLevel: 1 },
      ]),
      dueAt: endOfDay('2019-04-26'),
      calendar: defaultSendingCalendar,
    });
    // Due Friday 26.04.; 01.05. is a holiday; the escalation is due Friday 03.05. 09:00.
    expect(sendTimes(plan)).toEqual([
      'overdue#0 2019-04-29T07:00:00.000Z',
      'overdue#1 2019-04-30T07:00:00.000Z',
      'overdue#2 2019-05-02T07:00:00.000Z',
      'escalation#0 2019-05-03T07:00:00.000Z',
    ]);
    expect(plan.dropped.map((d) => occurrenceKey(d))).toEqual([3, 4, 5, 6, 7, 8, 9].map((k) => `overdue#${k}`));
    expect(plan.dropped[0]?.reason).toBe(
      'repetition stops once "escalation" is due (2019-05-03 09:00 (Fri)), and this one would go out 2019-05-03 09:00 (Fri)',
    );
  });

  it('repeats a drill step by exact seconds', () => {
    const plan = planDeadline({
      policy: policy([
        { id: 'ping', kind: 'overdue', template: 'report-overdue', offset: { direction: 'after', duration: 'PT30S' }, recipients: ['partner_main_contact'], repeat: { every: 'PT30S', times: 3 } },
      ]),
      dueAt: new Date('2019-03-28T12:00:00.000Z'),
      calendar: defaultSendingCalendar,
    });
    expect(sendTimes(plan)).toEqual([
      'ping#0 2019-03-28T12:00:30.000Z',
      'ping#1 2019-03-28T12:01:00.000Z',
      'ping#2 2019-03-28T12:01:30.000Z',
    ]);
  });
});

describe('ordering and calendars', () => {
  it('sorts by send time, then by the order of the policy', () => {
    const plan = planDeadline({
      policy: policy([
        { id: 'second', kind: 'escalation', template: 'report-escalation-ministry', offset: { direction: 'after', duration: 'P2D' }, recipients: ['head_of_unit'], escalationLevel: 1 },
        { id: 'first', kind: 'overdue', template: 'report-overdue', offset: { direction: 'after', duration: 'P1D' }, recipients: ['partner_main_contact'] },
        { id: 'also-second', kind: 'escalation', template: 'report-escalation-partner', offset: { direction: 'after', duration: 'P2D' }, recipients: ['partner_leadership'], escalationLevel: 1 },
      ]),
      dueAt: endOfDay('2019-03-26'),
      calendar: defaultSendingCalendar,
    });
    expect(plan.sends.map((s) => s.stepId)).toEqual(['first', 'second', 'also-second']);
  });

  it('uses the calendar it is given over the policy’s own window and zone', () => {
    const narrow: SendingCalendar = { timezone: 'Europe/Berlin', window: { start: '10:00', end: '12:00' } };
    const plan = planDeadline({ policy: defaultReportingPolicy.deadline, dueAt: endOfDay('2019-03-31'), calendar: narrow });
    expect(sendTimes(plan)[2]).toBe('reminder-3d#0 2019-03-28T09:00:00.000Z');
  });

  it('defaults to the policy’s own calendar', () => {
    const dueAt = endOfDay('2019-03-31');
    expect(planDeadline({ policy: defaultReportingPolicy.deadline, dueAt })).toEqual(
      planDeadline({ policy: defaultReportingPolicy.deadline, dueAt, calendar: defaultSendingCalendar }),
    );
  });
});

describe('catchUpSelection', () => {
  const all = planDefault('2019-03-31').sends;
  const pick = (...ids: string[]) => all.filter((s) => ids.includes(s.stepId));
  const summary = (selection: { send: PlannedSend; recipients: string[] }[]) =>
    selection.map(({ send, recipients }) => `${send.stepId}: ${recipients.join('+')}`);

  it('after a long outage sends each recipient only the latest notice meant for them', () => {
    expect(summary(catchUpSelection(all))).toEqual([
      'overdue: partner_main_contact',
      'escalation-1-ministry: ministry_caseworker',
      'escalation-2-ministry: head_of_unit',
      'escalation-2-partner: partner_leadership',
    ]);
  });

  it('keeps simultaneous sends to different people', () => {
    expect(summary(catchUpSelection(pick('escalation-1-partner', 'escalation-1-ministry')))).toEqual([
      'escalation-1-partner: partner_leadership',
      'escalation-1-ministry: ministry_caseworker',
    ]);
  });

  it('trims a send to the recipients no later send covers', () => {
    const both = { ...all[3]!, stepId: 'overdue-both', recipients: ['partner_main_contact', 'partner_leadership'] } satisfies PlannedSend;
    const later = all[4]!; // escalation-1-partner → partner_leadership
    expect(summary(catchUpSelection([later, both]))).toEqual([
      'overdue-both: partner_main_contact',
      'escalation-1-partner: partner_leadership',
    ]);
  });

  it('never lets a later step replace a pinned invitation: it goes out, and claims its recipients', () => {
    const [invitation, reminder2w, reminder3d] = pick('invitation', 'reminder-2w', 'reminder-3d');
    const due = [invitation!, reminder2w!, reminder3d!];
    expect(summary(catchUpSelection(due))).toEqual(['reminder-3d: partner_main_contact']);
    const pinned = catchUpSelection(due, new Set(['invitation#0']));
    expect(summary(pinned)).toEqual(['invitation: partner_main_contact']);
    expect(supersedingSend(reminder3d!, pinned)?.stepId).toBe('invitation');
  });

  it('leaves other recipients to the usual rule when an invitation is pinned', () => {
    const due = pick('invitation', 'reminder-3d', 'overdue', 'escalation-1-partner', 'escalation-1-ministry');
    expect(summary(catchUpSelection(due, new Set(['invitation#0'])))).toEqual([
      'invitation: partner_main_contact',
      'escalation-1-partner: partner_leadership',
      'escalation-1-ministry: ministry_caseworker',
    ]);
  });

  it('returns nothing for nothing', () => {
    expect(catchUpSelection([])).toEqual([]);
  });
});

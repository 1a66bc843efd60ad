import { describe, expect, it } from 'vitest';
import type { CycleHistory, NoticeSent, ReportHistory } from '../../src/domain/cycle-history';
import { defaultReportingPolicy } from '../../src/domain/default-policy';
import { reminderEffectiveness } from '../../src/domain/reminder-effectiveness';
import { daysFrom, noticeSent, reportHistory } from '../support/cycle-history';

const dueAt = new Date('2026-03-31T21:59:59.999Z');
const at = daysFrom(dueAt);
// The default ladder's notices, as the ledger records them (days relative to the due date).
const notice = (stepId: string, template: string, days: number, round = 'initial'): NoticeSent => noticeSent(dueAt, stepId, template, days, round);
const invitation = notice('invitation', 'report-invitation', -42);
const reminder2w = notice('reminder-2w', 'report-reminder', -14);
const reminder3d = notice('reminder-3d', 'report-reminder', -3);
const overdue = notice('overdue', 'report-overdue', 1);
const escalation1 = [notice('escalation-1-partner', 'report-escalation-partner', 14), notice('escalation-1-ministry', 'report-escalation-ministry', 14)];
const escalation2 = notice('escalation-2-ministry', 'report-escalation-ministry', 28);

function report(partner: number, notices: NoticeSent[], submittedDays: number[], extra: Partial<ReportHistory> = {}): ReportHistory {
  return reportHistory(partner, dueAt, {
    phase: submittedDays.length > 0 ? 'accepted' : 'overdue',
    versions: submittedDays.map((days, index) => ({
      version: index + 1,
      submittedAt: at(days),
      review: index === submittedDays.length - 1 ? 'accepted' : 'revision_requested',
      reviewedAt: at(days + 1),
    })),
    notices,
    ...extra,
  });
}

const history: CycleHistory = {
  year: 2025,
  dueDate: '2026-03-31',
  policy: defaultReportingPolicy,
  reports: [
    report(1, [invitation], [-30]),
    report(2, [invitation, reminder2w], [-10]),
    report(3, [invitation, reminder2w, reminder3d], [-1]),
    report(4, [invitation, reminder2w, reminder3d], [-2]),
    report(5, [invitation, reminder2w, reminder3d, overdue, ...escalation1], [20]),
    // Sent back the day after; revised after the revision round's reminder (round 'revision-1').
    report(6, [invitation, reminder2w, reminder3d, overdue, notice('revision-reminder', 'report-reminder', 9, 'revision-1')], [5, 10]),
    // Tracked late: no notice before its report; the later notices of the ladder do not count.
    report(7, [escalation2], [-50]),
    // Never submitted: no submission to attribute.
    report(8, [invitation, reminder2w, reminder3d, overdue, ...escalation1, escalation2], []),
  ],
};

describe('reminderEffectiveness', () => {
  const result = reminderEffectiveness(history);

  it('attributes each submission to the last notice before it', () => {
    expect(result.submissions.map((s) => [s.partner, s.version, s.round, s.step])).toEqual([
      [1, 1, 'initial', 'invitation'],
      [2, 1, 'initial', 'reminder-1'],
      [3, 1, 'initial', 'reminder-2'],
      [4, 1, 'initial', 'reminder-2'],
      [5, 1, 'initial', 'escalation-1'],
      [6, 1, 'initial', 'overdue'],
      [6, 2, 'revision', 'reminder-1'],
      [7, 1, 'initial', 'none'],
    ]);
  });

  it('counts submissions per step with their share and the median days from step to submission', () => {
    expect(result.initial).toEqual([
      { step: 'invitation', submissions: 1, share: 1 / 7, medianDays: 12 },
      { step: 'reminder-1', submissions: 1, share: 1 / 7, medianDays: 4 },
      // 2 and 1 days: median 1.5.
      { step: 'reminder-2', submissions: 2, share: 2 / 7, medianDays: 1.5 },
      { step: 'overdue', submissions: 1, share: 1 / 7, medianDays: 4 },
      { step: 'escalation-1', submissions: 1, share: 1 / 7, medianDays: 6 },
      { step: 'none', submissions: 1, share: 1 / 7, medianDays: null },
    ]);
    expect(result.revision).toEqual([{ step: 'reminder-1', submissions: 1, share: 1, medianDays: 1 }]);
  });

  it('names the revision request when no reminder of the round came before the revised version', () => {
    const quick = reminderEffectiveness({ ...history, reports: [report(9, [invitation], [-20, -15])] });
    // Reviewed a day after the first version (day -19), revised four days later.
    expect(quick.revision).toEqual([{ step: 'revision-request', submissions: 1, share: 1, medianDays: 4 }]);
  });

  it('says nothing, rather than zero shares, for a cycle without submissions', () => {
    expect(reminderEffectiveness({ ...history, reports: [report(8, [invitation], [])] })).toEqual({ year: 2025, initial: [], revision: [], submissions: [] });
  });
});

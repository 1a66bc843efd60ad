import { describe, expect, it } from 'vitest';
import type { IntendedEmail } from '../../src/dev/chaos/drill-cycle';
import { countEmails, settled, type LedgerState } from '../../src/dev/chaos/email-count';
import { messageIdOf } from '../../src/dev/chaos/message-id-sink';
import { chaosTable } from '../../src/dev/chaos/table';
import { faultInjectionSchema } from '../../src/faults';

const email = (n: number): IntendedEmail => ({
  idempotencyKey: `annual-report/${n}/2026/initial/reminder#0/partner_main_contact/${n}`,
  messageId: `<m${n}@example.org>`,
  workflowId: `annual-report/${n}/2026`,
  stepId: 'reminder',
  plannedAt: 0,
});
const sent = (possibleDuplicate = false): LedgerState => ({ status: 'sent', possibleDuplicate, sentAt: 1 });

describe('the chaos email counter', () => {
  it('counts deliveries by Message-ID, second copies, the ones the ledger explains, and the lost', () => {
    const intended = [email(1), email(2), email(3), email(4)];
    const receipts = ['<m1@example.org>', '<m2@example.org>', '<m2@example.org>', '<m3@example.org>', '<m3@example.org>', '<stray@x>'].map((messageId) => ({ messageId, receivedAt: 0 }));
    const ledger = new Map([
      [email(1).idempotencyKey, sent()],
      [email(2).idempotencyKey, sent(true)],
      [email(3).idempotencyKey, sent(false)],
    ]);
    expect(countEmails(intended, receipts, ledger)).toEqual({
      intended: 4,
      delivered: 3,
      duplicated: 2,
      duplicatesExplained: 1,
      lost: 1,
      neverAttempted: 1,
      notSentByRule: {},
      unexpected: 1,
    });
  });

  it('does not count a step its workflow superseded after an outage as lost, but only if the later mail arrived', () => {
    const reminder = (n: number) => ({ ...email(n), workflowId: `w${n}`, plannedAt: 10 });
    const overdue = (n: number) => ({ ...email(n + 100), workflowId: `w${n}`, stepId: 'overdue', plannedAt: 20 });
    const intended = [reminder(1), overdue(1), reminder(2), overdue(2)];
    const receipts = [{ messageId: overdue(1).messageId, receivedAt: 0 }];
    const decisions = new Map([
      [reminder(1).idempotencyKey, { outcome: 'superseded' }],
      [reminder(2).idempotencyKey, { outcome: 'superseded' }],
    ]);
    const count = countEmails(intended, receipts, new Map(), decisions);
    // Partner 2's overdue notice never came: its superseded reminder is lost as well.
    expect({ lost: count.lost, notSentByRule: count.notSentByRule }).toEqual({ lost: 2, notSentByRule: { superseded: 1 } });
  });

  it('counts a reminder superseded by the invitation a late start pinned only if that invitation arrived', () => {
    const step = (n: number, stepId: string, plannedAt: number): IntendedEmail => ({
      idempotencyKey: `annual-report/${n}/2026/initial/${stepId}#0/partner_main_contact/${n}`,
      messageId: `<${stepId}${n}@example.org>`,
      workflowId: `w${n}`,
      stepId,
      plannedAt,
    });
    const intended = [step(1, 'invitation', 0), step(1, 'reminder-1', 10), step(2, 'invitation', 0), step(2, 'reminder-1', 10)];
    const receipts = [{ messageId: step(1, 'invitation', 0).messageId, receivedAt: 0 }];
    const byInvitation = { outcome: 'superseded', supersededBy: 'invitation#0' };
    const decisions = new Map([
      [step(1, 'reminder-1', 10).idempotencyKey, byInvitation],
      [step(2, 'reminder-1', 10).idempotencyKey, byInvitation],
    ]);
    const count = countEmails(intended, receipts, new Map(), decisions);
    // Partner 2's invitation never came: it and the reminder it replaced are both lost.
    expect({ lost: count.lost, notSentByRule: count.notSentByRule }).toEqual({ lost: 2, notSentByRule: { superseded: 1 } });
  });

  it('is settled only when every intended mail arrived and no ledger row is still open', () => {
    const receipts = [{ messageId: '<m1@example.org>', receivedAt: 0 }];
    expect(settled([email(1)], receipts, new Map([[email(1).idempotencyKey, sent()]]))).toBe(true);
    expect(settled([email(1), email(2)], receipts, new Map())).toBe(false);
    expect(settled([email(1)], receipts, new Map([['other', { status: 'sending', possibleDuplicate: false, sentAt: undefined }]]))).toBe(false);
  });

  it('reads the Message-ID from the header block only, folded or not', () => {
    expect(messageIdOf(Buffer.from('Subject: x\r\nMessage-ID:\r\n <abc.partnerflow@example.org>\r\n\r\nMessage-ID: <body@x>'))).toBe('<abc.partnerflow@example.org>');
    expect(messageIdOf(Buffer.from('Subject: x\r\n\r\nMessage-ID: <body@x>'))).toBeUndefined();
  });

  it('prints one Markdown row per scenario, a dash where nothing was affected', () => {
    const table = chaosTable([
      { scenario: 'worker-kills', faultsInjected: 20, workflows: 1000, emailsIntended: 3000, emailsDelivered: 3000, duplicated: 2, duplicatesExplained: 2, notSentByRule: 3, lost: 0, secondsToRecover: 7.25 },
      { scenario: 'temporal-kill', faultsInjected: 0, workflows: 5, emailsIntended: 15, emailsDelivered: 15, duplicated: 0, duplicatesExplained: 0, notSentByRule: 0, lost: 0, secondsToRecover: null, note: 'none' },
    ]).split('\n');
    expect(table).toHaveLength(4);
    expect(table[2]).toMatch(/^\| worker-kills +\| 20 +\| 1000 +\| 3000 +\| 3000 +\| 2 \(2\) +\| 3 +\| 0 +\| 7\.3 +\| +\|$/);
    expect(table[3]).toMatch(/\| – +\| none \|$/);
  });
});

describe('FAULT_INJECTION', () => {
  it('takes <point>:kill and refuses anything else with the reason', () => {
    expect(faultInjectionSchema.parse('notice.afterSmtpAccepted:kill')).toEqual({ point: 'notice.afterSmtpAccepted', action: 'kill' });
    const refused = faultInjectionSchema.safeParse('notice.nowhere:kill');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe('must be <point>:kill with a point among notice.afterSmtpAccepted, report.beforeStateRecorded, cycle.afterOpeningSlice, compilation.afterVolumePlaced, not "notice.nowhere:kill"');
  });
});

/** The benchmark's compressed drill: its waves at exact moments, in a zone where the whole run may send. */
import { describe, expect, it } from 'vitest';
import { isAllowedMoment, sendingCalendarOf } from '../../src/domain/calendar';
import { compressedDrill, stepOfLedgerKey } from '../../src/dev/bench/drill';
import { messageIdOf } from '../../src/dev/bench/smtp-sink';

describe('compressed drill', () => {
  it('plans the invitation at the opening and each later wave one gap after the last', () => {
    // Tuesday 2 December 2031, 10:00 in Berlin.
    const openedAt = new Date('2031-12-02T09:00:00Z');
    const drill = compressedDrill(openedAt, 40, 'Europe/Berlin');
    expect(drill.timezone).toBe('Europe/Berlin');
    expect(drill.dueAt.toISOString()).toBe('2031-12-02T09:01:40.000Z');
    expect(drill.waves.map((w) => [w.label, w.plannedAt.toISOString(), w.emailsPerPartner])).toEqual([
      ['invitation', '2031-12-02T09:00:00.000Z', 1],
      ['reminder 1', '2031-12-02T09:00:40.000Z', 1],
      ['reminder 2', '2031-12-02T09:01:20.000Z', 1],
      ['escalation', '2031-12-02T09:02:00.000Z', 2],
    ]);
  });

  it('sends around the clock: 23:00 on a working day is no reason to wait', () => {
    const drill = compressedDrill(new Date('2031-12-02T22:00:00Z'), 30, 'Europe/Berlin');
    expect(drill.waves[0]?.plannedAt.toISOString()).toBe('2031-12-02T22:00:00.000Z');
  });

  it('runs on a Saturday afternoon and on a public holiday too: the drill policy sends on every day', () => {
    for (const opened of ['2031-12-06T13:00:00Z', '2031-12-25T15:00:00Z']) {
      const drill = compressedDrill(new Date(opened), 30, 'Europe/Berlin');
      expect(drill.waves[0]?.plannedAt.toISOString()).toBe(new Date(opened).toISOString());
      expect(isAllowedMoment(drill.waves[3]!.plannedAt, sendingCalendarOf(drill.policy.deadline))).toBe(true);
    }
  });

  it('tells a wave by the step in the ledger key, and reads the Message-ID the sink counts', () => {
    expect(stepOfLedgerKey('annual-report/17/2040/initial/reminder-1#0/partner_main_contact/33')).toBe('reminder-1');
    expect(stepOfLedgerKey('annual-report/17/2040/notice/acknowledgement/partner_main_contact/33')).toBeUndefined();
    expect(messageIdOf('Subject: Erinnerung\r\nMessage-ID:\r\n <abc.partnerflow@example.org>\r\nTo: x@example.org')).toBe('<abc.partnerflow@example.org>');
    expect(messageIdOf('Subject: no id')).toBeUndefined();
  });
});

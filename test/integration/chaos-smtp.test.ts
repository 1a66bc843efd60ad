import { eq } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import type { ChaosRow } from '../../src/dev/chaos/scenario';
import { droppedAfterData, permanentRefusals, refusedLogin, temporaryRefusals } from '../../src/dev/chaos/smtp-faults';

// Each scenario runs a compressed cycle on real parts: the suite's PostgreSQL, the time-skipping
// server, a worker and the scripted SMTP server. 2 partners: 16 intended mails, 4 of them to staff.
const parts = { postgresAdminUrl: inject('postgresAdminUrl') };
const partners = 2;
const intended = partners * 8;

async function run(scenario: { run: (options: { k: number; partners: number; log: (line: string) => void }) => Promise<ChaosRow> }, k: number) {
  const lines: string[] = [];
  const row = await scenario.run({ k, partners, log: (line) => lines.push(line) });
  return { row, lines };
}

describe('SMTP faults from a scripted server', () => {
  it('retries 421 and 451 and delivers every mail once', async () => {
    const { row } = await run(temporaryRefusals(parts), 3);
    expect(row).toMatchObject({
      faultsInjected: 6, // 3 addresses, 421 then 451 each
      workflows: partners,
      emailsIntended: intended,
      emailsDelivered: intended,
      duplicated: 0,
      lost: 0,
    });
    expect(row.note).toBe('0 recorded failed; 0 addresses on hold (0 staff)');
    expect(row.secondsToRecover).not.toBeNull();
  }, 120_000);

  it('does not retry 550 or 554: the first mail is recorded failed, the addresses, staff too, put on hold, and later mail to them held', async () => {
    // caseworker (554), main-1 (550), leadership-1 (554): the first mail to each is refused.
    const { row } = await run(permanentRefusals(parts), 3);
    // The caseworker gets one escalation per partner; main-1 four mails, leadership-1 two.
    const meant = partners + 4 + 2;
    expect(row).toMatchObject({
      emailsIntended: intended,
      emailsDelivered: intended - meant,
      duplicated: 0,
      lost: 0,
      secondsToRecover: null,
    });
    // One refusal per address, unless two mails to it were in flight before the first refusal put
    // it on hold (the caseworker's escalations of two partners); each refused mail once, none retried.
    const refused = row.faultsInjected;
    expect(refused).toBeGreaterThanOrEqual(3);
    expect(refused).toBeLessThan(meant);
    // Every other mail to them was held, not attempted.
    expect(row.note).toBe(`${refused} recorded failed; ${meant - refused} held (address on hold, not sent); 3 addresses on hold (1 staff)`);
  }, 120_000);

  it('resends a mail whose connection dropped after DATA under the same Message-ID, and the ledger explains each second copy', async () => {
    const { row } = await run(droppedAfterData(parts), 3);
    expect(row).toMatchObject({
      faultsInjected: 3,
      emailsIntended: intended,
      emailsDelivered: intended,
      duplicated: 3,
      duplicatesExplained: 3,
      lost: 0,
    });
    expect(row.note).toBe('0 recorded failed; 0 addresses on hold (0 staff)');
  }, 120_000);

  it('treats a refused login as one configuration error: nothing failed, nothing on hold, all delivered once it works', async () => {
    const { row, lines } = await run(refusedLogin(parts), 3);
    expect(lines[0]).toBe('SMTP_USER/SMTP_PASSWORD: the SMTP server refused the login (535 5.7.8 Authentication credentials invalid)');
    expect(row).toMatchObject({
      faultsInjected: 3,
      emailsIntended: intended,
      emailsDelivered: intended,
      duplicated: 0,
      lost: 0,
    });
    expect(row.note).toBe('0 recorded failed; 3 logins refused; 0 addresses on hold (0 staff)');
  }, 120_000);
});

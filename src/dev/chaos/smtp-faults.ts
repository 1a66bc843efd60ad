/**
 * SMTP faults from a scripted server, each over a compressed reporting cycle (time-skipping
 * Temporal server, real PostgreSQL, real SMTP): what the sink received is counted against the
 * ledger's intended mails. K is how many addresses (or logins) the fault hits.
 */
import { isNotNull } from 'drizzle-orm';
import { contacts, staff, type EmailLedgerEntry } from '../../db/schema';
import type { ChaosOptions, ChaosRow, ChaosScenario } from './scenario';
import type { ReceivedMessage, SmtpAnswer, SmtpScript } from './scripted-smtp';
import { leadershipAddress, ledgerOf, mainContactAddress, staffAddresses, startSmtpWorld, type SmtpWorld, type SmtpWorldParts } from './smtp-world';

/** The addresses a fault hits, in the order K takes them: partners' contacts first, staff among them. */
function targets(k: number, partners: number, staffFirst = false): string[] {
  const partnerAddresses = Array.from({ length: partners }, (_, i) => [mainContactAddress(i + 1), leadershipAddress(i + 1)]).flat();
  const all = staffFirst ? [staffAddresses.caseworker, ...partnerAddresses, staffAddresses.headOfUnit] : [...partnerAddresses, staffAddresses.caseworker, staffAddresses.headOfUnit];
  return all.slice(0, Math.min(k, all.length));
}

const accept: SmtpAnswer = { kind: 'accept' };

/** First attempt at each hit address answered 421 (connection closed), the second 451, then accepted. */
export function temporaryRefusals(parts: SmtpWorldParts = {}): ChaosScenario {
  return {
    name: 'smtp-421-451',
    defaultK: 6,
    defaultPartners: 10,
    async run(options) {
      const hit = new Set(targets(options.k, options.partners));
      const script: SmtpScript = (recipient, attempt) =>
        !hit.has(recipient) ? accept : attempt === 1 ? { kind: 'reply', code: 421 } : attempt === 2 ? { kind: 'reply', code: 451 } : accept;
      return runScenario(this.name, options, parts, { script }, async (world) => ({ note: heldNote(await heldAddresses(world)) }));
    },
  };
}

/** Every mail to a hit address refused for good, 550 or 554 (the first hit is the caseworker's). */
export function permanentRefusals(parts: SmtpWorldParts = {}): ChaosScenario {
  return {
    name: 'smtp-550-554',
    defaultK: 4,
    defaultPartners: 10,
    async run(options) {
      const hit = targets(options.k, options.partners, true);
      const script: SmtpScript = (recipient) => {
        const index = hit.indexOf(recipient);
        return index === -1 ? accept : { kind: 'reply', code: index % 2 === 0 ? 554 : 550 };
      };
      return runScenario(this.name, options, parts, { script }, async (world) => ({ note: heldNote(await heldAddresses(world)), noRecovery: true }));
    },
  };
}

/** The first message to each hit address is taken in, then the connection drops before the answer. */
export function droppedAfterData(parts: SmtpWorldParts = {}): ChaosScenario {
  return {
    name: 'smtp-drop-after-data',
    defaultK: 6,
    defaultPartners: 10,
    async run(options) {
      const hit = new Set(targets(options.k, options.partners));
      const script: SmtpScript = (recipient, attempt) => (hit.has(recipient) && attempt === 1 ? { kind: 'drop-after-data' } : accept);
      return runScenario(this.name, options, parts, { script }, async (world) => ({ note: heldNote(await heldAddresses(world)) }));
    },
  };
}

/**
 * The server refuses the first K logins (a wrong SMTP_PASSWORD, fixed while the cycle runs): one
 * configuration error, no mail failed, no address on hold, every mail delivered once the login works.
 */
export function refusedLogin(parts: SmtpWorldParts = {}): ChaosScenario {
  return {
    name: 'smtp-auth-refused',
    defaultK: 3,
    defaultPartners: 10,
    async run(options) {
      const login = { user: 'partnerflow', pass: 'relay-password', refuseLogins: options.k };
      return runScenario(this.name, options, parts, { script: () => accept, login }, async (world) => {
        const held = await heldAddresses(world);
        return { note: `${world.smtp.refusedLogins} logins refused; ${heldNote(held)}`, faultsInjected: world.smtp.refusedLogins };
      }, async (world) => {
        // What an operator sees first (`partnerflow check` verifies the same way): one line naming the settings.
        const { createMailer } = await import('../../email/transport');
        const mailer = createMailer(world.config.smtp);
        try {
          await mailer.verify();
        } catch (error) {
          options.log(error instanceof Error ? error.message : String(error));
        } finally {
          mailer.close();
        }
      });
    },
  };
}

export type ScenarioExtras = { note: string; faultsInjected?: number; noRecovery?: boolean };

async function runScenario(
  name: string,
  options: ChaosOptions,
  parts: SmtpWorldParts,
  smtp: Parameters<typeof startSmtpWorld>[0]['smtp'],
  extras: (world: SmtpWorld) => Promise<ScenarioExtras>,
  before?: (world: SmtpWorld) => Promise<void>,
): Promise<ChaosRow> {
  const world = await startSmtpWorld({ partners: options.partners, smtp, parts, log: options.log });
  try {
    await before?.(world);
    const { workflows } = await world.runCycle();
    const ledger = await ledgerOf(world.db);
    const extra = await extras(world);
    const counts = countDeliveries(ledger, world.smtp.received);
    const faults = world.smtp.faults;
    return {
      scenario: name,
      faultsInjected: extra.faultsInjected ?? faults.length,
      workflows: workflows.length,
      emailsIntended: counts.intended,
      emailsDelivered: counts.delivered,
      duplicated: counts.duplicated,
      duplicatesExplained: counts.duplicatesExplained,
      // Intended here are the ledger's rows, the sends the workflows decided on: none is left out by rule.
      notSentByRule: 0,
      lost: counts.lost,
      secondsToRecover: extra.noRecovery ? null : secondsToRecover(faults, world.smtp.received),
      note: [`${counts.failed} recorded failed`, ...(counts.held > 0 ? [`${counts.held} held (address on hold, not sent)`] : []), extra.note].join('; '),
    };
  } finally {
    await world.stop();
  }
}

export type DeliveryCounts = { intended: number; delivered: number; duplicated: number; duplicatesExplained: number; failed: number; held: number; lost: number };

/**
 * Each ledger row is one intended mail. Delivered: the sink holds its Message-ID. Duplicated: copies
 * beyond the first; explained when the ledger marks the row possible_duplicate. Lost: neither
 * delivered nor recorded as failed or held (a refusal recorded as failed, and later mail held for
 * that address until staff clear the hold, are shown to staff, not lost).
 */
export function countDeliveries(ledger: EmailLedgerEntry[], received: ReceivedMessage[]): DeliveryCounts {
  const copies = new Map<string, number>();
  for (const message of received) {
    const id = bare(message.messageId);
    copies.set(id, (copies.get(id) ?? 0) + 1);
  }
  let delivered = 0;
  let duplicated = 0;
  let duplicatesExplained = 0;
  let failed = 0;
  let held = 0;
  let lost = 0;
  for (const row of ledger) {
    const count = copies.get(bare(row.messageId)) ?? 0;
    if (count > 0) delivered += 1;
    duplicated += Math.max(0, count - 1);
    if (row.possibleDuplicate) duplicatesExplained += Math.max(0, count - 1);
    if (row.status === 'failed') failed += 1;
    if (row.status === 'held') held += 1;
    if (count === 0 && row.status !== 'failed' && row.status !== 'held') lost += 1;
  }
  return { intended: ledger.length, delivered, duplicated, duplicatesExplained, failed, held, lost };
}

/** From the last fault to the first copy that reached its address afterwards. */
function secondsToRecover(faults: SmtpWorld['smtp']['faults'], received: ReceivedMessage[]): number | null {
  const last = faults.at(-1);
  if (!last) return null;
  const recovered = received.find((message) => message.answered && message.receivedAt >= last.at && message.to.includes(last.recipient));
  return recovered ? (recovered.receivedAt.getTime() - last.at.getTime()) / 1000 : null;
}

function bare(messageId: string | undefined): string {
  return (messageId ?? '').replace(/^<|>$/g, '');
}

export async function heldAddresses(world: Pick<SmtpWorld, 'db'>) {
  const [heldContacts, heldStaff] = await Promise.all([
    world.db.select({ email: contacts.email, reason: contacts.emailFailureReason }).from(contacts).where(isNotNull(contacts.emailFailingSince)),
    world.db.select({ email: staff.email, reason: staff.emailFailureReason }).from(staff).where(isNotNull(staff.emailFailingSince)),
  ]);
  return { contacts: heldContacts, staff: heldStaff };
}

function heldNote(held: Awaited<ReturnType<typeof heldAddresses>>): string {
  return `${held.contacts.length + held.staff.length} addresses on hold (${held.staff.length} staff)`;
}

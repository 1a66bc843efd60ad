/** The email ledger as staff and admins read it: the last email of a workflow, all emails of one. */
import { asc, desc, eq, inArray } from 'drizzle-orm';
import { deliveryOutcomeOf, type DeliveryOutcomeLabel } from '../../domain/delivery-outcome';
import { listReportOverview, type ReportOverviewRow } from './reporting';
import type { Database, DbOrTx } from '../client';
import { emailLedger, type EmailLedgerEntry } from '../schema';

export type EmailDelivery = {
  ledgerId: number;
  idempotencyKey: string;
  template: string;
  recipientRole: string | null;
  /** When it was queued; `sentAt` once the SMTP server took it. */
  createdAt: string;
  sentAt: string | undefined;
  outcome: DeliveryOutcomeLabel;
  /** The ledger's own state, which decides what may be done with the row. */
  status: EmailLedgerEntry['status'];
  attempts: number;
  error: string | undefined;
};

export function deliveryOf(row: EmailLedgerEntry): EmailDelivery {
  return {
    ledgerId: row.id,
    idempotencyKey: row.idempotencyKey,
    template: row.template,
    recipientRole: row.recipientRole,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString(),
    outcome: deliveryOutcomeOf(row),
    status: row.status,
    attempts: row.attempts,
    error: row.lastError ?? undefined,
  };
}

/** The newest ledger row of each workflow, by workflow id (workflows that sent nothing are absent). */
export async function lastEmailByWorkflow(db: DbOrTx, workflowIds: string[]): Promise<Map<string, EmailDelivery>> {
  if (workflowIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([emailLedger.workflowId])
    .from(emailLedger)
    .where(inArray(emailLedger.workflowId, workflowIds))
    .orderBy(asc(emailLedger.workflowId), desc(emailLedger.createdAt), desc(emailLedger.id));
  return new Map(rows.map((row) => [row.workflowId ?? '', deliveryOf(row)]));
}

/** Every email a workflow sent or meant to send, oldest first. */
export async function emailsOfWorkflow(db: DbOrTx, workflowId: string): Promise<EmailDelivery[]> {
  const rows = await db.select().from(emailLedger).where(eq(emailLedger.workflowId, workflowId)).orderBy(asc(emailLedger.createdAt), asc(emailLedger.id));
  return rows.map(deliveryOf);
}

export async function findLedgerEntry(db: DbOrTx, ledgerId: number): Promise<EmailLedgerEntry | undefined> {
  const [row] = await db.select().from(emailLedger).where(eq(emailLedger.id, ledgerId));
  return row;
}

export type BoardRow = ReportOverviewRow & { lastEmail: EmailDelivery | undefined };

/** The board of `year`: every partner's report phase and escalation, with its last email and how it went; `partner`: that one's row only. */
export async function listBoard(db: Database, year: number, partner?: number): Promise<BoardRow[]> {
  const rows = await listReportOverview(db, year, partner);
  const last = await lastEmailByWorkflow(
    db,
    rows.flatMap((row) => (row.workflowId === undefined ? [] : [row.workflowId])),
  );
  return rows.map((row) => ({ ...row, lastEmail: row.workflowId === undefined ? undefined : last.get(row.workflowId) }));
}

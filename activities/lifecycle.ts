/** Every side effect of a partner's lifecycle: milestones and their answers, contacts, withdrawal, closing open reports. */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import type { TrackedMilestone } from '../src/domain/accession';
import { recordAudit } from '../src/db/queries/audit';
import { milestonesOfOrganisation } from '../src/db/queries/accession';
import { findPartnerByNumber } from '../src/db/queries/partners';
import { contacts, declarationMilestones, organisations } from '../src/db/schema';
import { closeReportUpdate } from '../workflows/contracts/annual-report';
import type { ActivityDeps } from './deps';

export type LifecycleEvent = {
  partnerNumber: number;
  occurredAt: string;
  actor: string;
  action: string;
  details?: Record<string, unknown>;
  eventKey: string;
};

export function createLifecycleActivities({ db }: ActivityDeps) {
  async function partnerOf(partnerNumber: number) {
    const partner = await findPartnerByNumber(db, partnerNumber);
    if (!partner) throw ApplicationFailure.nonRetryable(`partnerNumber: no partner with number ${partnerNumber}`, 'PartnerNotFound');
    return partner;
  }

  const audit = (event: LifecycleEvent) =>
    recordAudit(db, {
      occurredAt: new Date(event.occurredAt),
      actor: event.actor,
      entityType: 'partner',
      entityId: String(event.partnerNumber),
      action: event.action,
      details: event.details,
      eventKey: event.eventKey,
    });

  return {
    /** Read-only: the partner's name and the milestones of its accepted declaration (none for partners imported as joined). */
    async loadLifecycleContext(input: { partnerNumber: number }): Promise<{ partnerName: string; milestones: TrackedMilestone[] }> {
      const partner = await partnerOf(input.partnerNumber);
      const rows = await milestonesOfOrganisation(db, partner.id);
      return {
        partnerName: partner.name,
        milestones: rows.map((row) => ({
          id: `${row.measureCode ?? `M${row.measurePosition}`}/${row.position}`,
          measureTitle: row.measureTitle,
          text: row.text,
          dueText: row.dueText ?? row.dueDate,
          dueDate: row.dueDate,
          status: row.status,
          ...(row.revisedDueDate && { revisedDueDate: row.revisedDueDate }),
          ...(row.reachedOn && { reachedOn: row.reachedOn }),
        })),
      };
    },

    async recordLifecycleEvent(event: LifecycleEvent): Promise<void> {
      await partnerOf(event.partnerNumber);
      await audit(event);
    },

    /** Stores the answer on the milestone (the next annual report's skeleton reads it there). */
    async recordMilestoneAnswer(
      input: LifecycleEvent & { milestoneId: string; outcome: 'reached' | 'delayed'; date: string },
    ): Promise<void> {
      const partner = await partnerOf(input.partnerNumber);
      const rows = await milestonesOfOrganisation(db, partner.id);
      const row = rows.find((r) => `${r.measureCode ?? `M${r.measurePosition}`}/${r.position}` === input.milestoneId);
      await db.transaction(async (tx) => {
        if (row) {
          await tx
            .update(declarationMilestones)
            .set(
              input.outcome === 'reached'
                ? { status: 'reached', reachedOn: input.date, answeredAt: new Date(input.occurredAt) }
                : { status: 'delayed', revisedDueDate: input.date, answeredAt: new Date(input.occurredAt) },
            )
            .where(eq(declarationMilestones.id, row.milestoneId));
        }
        await recordAudit(tx, {
          occurredAt: new Date(input.occurredAt),
          actor: input.actor,
          entityType: 'partner',
          entityId: String(input.partnerNumber),
          action: `milestone-${input.outcome}`,
          details: { milestoneId: input.milestoneId, date: input.date, ...input.details },
          eventKey: input.eventKey,
        });
      });
    },

    /** Replaces the holder of a contact role in place (one per role). */
    async changeContact(input: LifecycleEvent & { role: 'main_contact' | 'leadership_signatory'; name: string; email: string; language?: 'de' | 'en' }): Promise<void> {
      const partner = await partnerOf(input.partnerNumber);
      await db.transaction(async (tx) => {
        const values = { name: input.name, email: input.email, ...(input.language && { language: input.language }), emailFailingSince: null, emailFailureReason: null };
        const updated = await tx
          .update(contacts)
          .set(values)
          .where(and(eq(contacts.organisationId, partner.id), eq(contacts.role, input.role)))
          .returning({ id: contacts.id });
        if (updated.length === 0) await tx.insert(contacts).values({ organisationId: partner.id, role: input.role, ...values });
        await recordAudit(tx, {
          occurredAt: new Date(input.occurredAt),
          actor: input.actor,
          entityType: 'partner',
          entityId: String(input.partnerNumber),
          action: 'contact-changed',
          details: { role: input.role, name: input.name },
          eventKey: input.eventKey,
        });
      });
    },

    async recordWithdrawal(input: LifecycleEvent & { reason: string; date: string }): Promise<void> {
      const partner = await partnerOf(input.partnerNumber);
      await db.transaction(async (tx) => {
        await tx.update(organisations).set({ status: 'left' }).where(eq(organisations.id, partner.id));
        await recordAudit(tx, {
          occurredAt: new Date(input.occurredAt),
          actor: input.actor,
          entityType: 'partner',
          entityId: String(input.partnerNumber),
          action: 'withdrawn',
          details: { reason: input.reason, date: input.date },
          eventKey: input.eventKey,
        });
      });
    },

    /**
     * Closes the partner's open annual reports through their own Update, so each ends the way a
     * clerk would close it (state saved, audit written). Reports already ended are left alone.
     */
    async closeAnnualReports(input: { workflowIds: string[]; reason: string }): Promise<string[]> {
      const { client } = Context.current();
      const closed: string[] = [];
      for (const workflowId of input.workflowIds) {
        const handle = client.workflow.getHandle(workflowId);
        try {
          const { status } = await handle.describe();
          if (status.name !== 'RUNNING') continue;
          await handle.executeUpdate(closeReportUpdate, { args: [{ by: 'Partnerflow', reason: input.reason }] });
          closed.push(workflowId);
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) continue;
          // Already final (say, accepted meanwhile): nothing to close.
          if (error instanceof Error && /already|cannot close/.test(error.message + String((error as { cause?: Error }).cause?.message))) continue;
          throw error;
        }
      }
      return closed;
    },
  };
}

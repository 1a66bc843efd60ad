import { ApplicationFailure, asyncLocalStorage, CancelledFailure } from '@temporalio/activity';
import { and, eq } from 'drizzle-orm';
import { isIanaTimeZone } from '../src/domain/time-zones';
import { z } from 'zod';
import { organisations, staff, type Organisation } from '../src/db/schema';
import { noticeFamilies, noticeFamilyIds, recipientRoles, type NoticeTemplate, type RecipientRole } from '../src/domain/notice-families';
import { formatIssues } from '../src/domain/issues';
import { localDate } from '../src/email/format';
import { dueDateEvent } from '../src/email/ics';
import { ClaimedElsewhereError, deliverOnce, recordGivenUp, type DeliveryOutcome, type LedgerEmail } from '../src/email/ledger';
import { recordAudit } from '../src/db/queries/audit';
import { recordNoticeSent } from '../src/observability/metrics';
import { familyMails, type AnyFamilyMail } from '../src/email/families';
import { senderDomain } from '../src/email/message-id';
import { MissingNoticeFieldError, type DeadlineContext } from '../src/email/notice-context';
import { resolveRecipients, type NoticeRecipient } from '../src/email/recipients';
import { renderNotice } from '../src/email/render';
import { SmtpConfigurationError, SmtpOutcomeUnknownError, SmtpPermanentError, SmtpTransientError, type EmailAttachment } from '../src/email/transport';
import type { ActivityDeps } from './deps';
import { keepAlive, type KeepAlive } from './keep-alive';
import { isDatabaseOutage } from '../src/db/outage';

/** How soon a notice that found the database down is tried again (see sendNotice). */
const DATABASE_OUTAGE_RETRY = '2 seconds';

/** The `sendNotice` activity's input; also read back from a workflow's history to send a notice again. */
export const sendNoticeInputSchema = z
  .object({
    /** The family of notices (annual report, declaration, …): its templates, links and calendar entry. */
    family: z.enum(noticeFamilyIds),
    /** Names the occasion, e.g. 'annual-report/7/2019/initial/reminder-2w#0'; the same prefix never sends twice. */
    keyPrefix: z.string().min(1),
    workflowId: z.string().min(1),
    template: z.string().min(1),
    partnerNumber: z.number().int().positive(),
    recipients: z.array(z.enum(recipientRoles)).min(1),
    /** The family's context without the personal fields, which are filled in per recipient. */
    context: z.record(z.string(), z.unknown()),
    /** The zone the dates in the mail and its calendar event are shown in (the policy's); default config.timezone. */
    timezone: z
      .string()
      .refine(isIanaTimeZone, 'must be an IANA time zone, e.g. Europe/Berlin')
      .optional(),
    /** For a step of a deadline: when the calendar let it go out, so its lag can be measured. */
    plannedFor: z.iso.datetime({ offset: true }).optional(),
    /** Attach the due date as the family's calendar entry (invitations do). */
    calendarEntry: z.boolean().default(false),
  })
  .superRefine((input, ctx) => {
    const family = noticeFamilies[input.family];
    if (!(family.templates as readonly string[]).includes(input.template)) {
      ctx.addIssue({ code: 'custom', path: ['template'], message: `must be a template of the ${family.id} family (${family.templates.join(', ')}), not "${input.template}"` });
    }
    input.recipients.forEach((role, index) => {
      if (!family.roles.includes(role)) {
        ctx.addIssue({ code: 'custom', path: ['recipients', index], message: `the ${family.id} family does not address ${role}` });
      }
    });
  });

export type SendNoticeInput = z.input<typeof sendNoticeInputSchema>;
type ParsedNoticeInput = z.output<typeof sendNoticeInputSchema> & { familyContext: DeadlineContext & Record<string, unknown> };

export type NoticeDeliveryStatus = DeliveryOutcome['status'] | 'no-recipient';

export type NoticeDelivery = {
  role: RecipientRole;
  /** The address it went to, or '' when nobody holds the role. */
  recipient: string;
  status: NoticeDeliveryStatus;
  messageId?: string;
  /** Sent again after an attempt whose outcome could not be known: the recipient may have two copies. */
  possibleDuplicate?: boolean;
  error?: string;
};

export type SendNoticeResult = { deliveries: NoticeDelivery[] };

export function createNoticeActivities(deps: ActivityDeps) {
  const { db, config, mailer } = deps;

  return {
    // Idempotency: one email-ledger row per recipient, key `${keyPrefix}/${role}/${contactOrStaffId}`.
    async sendNotice(rawInput: SendNoticeInput): Promise<SendNoticeResult> {
      const alive = keepAlive();
      try {
        return await sendNoticeOnce(rawInput, alive);
      } catch (error) {
        // The notice's retry interval grows long for SMTP's sake (4xx for hours); a database that is
        // down is retried every few seconds instead, so the mail follows within seconds of its return.
        if (isDatabaseOutage(error)) {
          const cause = error instanceof Error ? error : undefined;
          const message = `database unreachable: ${cause?.message ?? String(error)}`;
          throw ApplicationFailure.create({ message, type: 'DatabaseUnreachable', nextRetryDelay: DATABASE_OUTAGE_RETRY, cause });
        }
        throw error;
      } finally {
        alive.stop();
      }
    },

    // Idempotency: only rows still without an outcome change, and the audit entry has an event key.
    /** A notice whose sends gave up (retries exhausted): its open ledger rows become 'failed', audited, for staff to see. */
    async recordNoticeGivenUp(input: { keyPrefix: string; workflowId: string; template: string; reason: string }): Promise<number> {
      const rows = await recordGivenUp(db, input.keyPrefix, input.reason);
      await recordAudit(db, {
        occurredAt: new Date(),
        actor: 'system',
        entityType: 'notice',
        entityId: input.keyPrefix,
        action: 'notice-gave-up',
        details: { workflowId: input.workflowId, template: input.template, reason: input.reason, recipients: rows.map((row) => row.recipientRole) },
        eventKey: `${input.keyPrefix}/gave-up`,
      });
      return rows.length;
    },
  };

  async function sendNoticeOnce(rawInput: SendNoticeInput, alive: KeepAlive): Promise<SendNoticeResult> {
    const input = parseInput(rawInput);
    // The organisation with its assigned caseworker (assignedCaseworker's rule: active, else none),
    // in one plain select: a relational findFirst and a second query cost several times the CPU, per notice.
    const [found] = await db
      .select({ organisation: organisations, caseworker: { name: staff.name, email: staff.email } })
      .from(organisations)
      .leftJoin(staff, and(eq(staff.id, organisations.caseworkerId), eq(staff.active, true)))
      .where(eq(organisations.number, input.partnerNumber));
    const organisation = found?.organisation;
    if (!organisation) {
      throw ApplicationFailure.nonRetryable(
        `partnerNumber: no partner with number ${input.partnerNumber}`,
        'PartnerNotFound',
      );
    }
    const mail = familyMails[input.family];
    const subject = { partnerNumber: input.partnerNumber, organisationId: organisation.id, context: input.familyContext };
    const statusUrl = mail.statusUrl(config, subject);
    // A personal link is issued only for a notice that goes to the partner's own people.
    let formUrl: string | undefined;
    const caseworker = found.caseworker ?? undefined;

    const documents = (await mail.documents?.(db, { organisationId: organisation.id, template: input.template as never })) ?? [];
    const deliveries: NoticeDelivery[] = [];
    const planned = new Map<string, PlannedEmail>();
    for (const role of new Set(input.recipients)) {
      const recipients = await resolveRecipients(db, organisation, role);
      if (recipients.length === 0) deliveries.push({ role, recipient: '', status: 'no-recipient' });
      for (const recipient of recipients) {
        // Someone holding two roles (main contact and signatory) gets the notice once.
        const address = recipient.email.toLowerCase();
        const earlier = planned.get(address);
        if (earlier) {
          earlier.roles.push(role);
          continue;
        }
        if (recipient.kind === 'contact') formUrl ??= await mail.partnerLink({ config, db }, { ...subject, occasion: input.keyPrefix });
        // Staff mail never shows the partner's link (its templates print statusUrl); the field is filled all the same.
        const partnerUrl = formUrl ?? statusUrl;
        const links = { formUrl: partnerUrl, statusUrl, link: recipient.kind === 'contact' ? partnerUrl : statusUrl };
        const email = noticeEmail(input, mail, organisation, recipient, links, caseworker);
        if (documents.length > 0) email.attachments = [...(email.attachments ?? []), ...documents];
        planned.set(address, { roles: [role], recipient, email });
      }
    }

    const transientFailures: string[] = [];
    for (const { roles, recipient, email } of planned.values()) {
      alive.working(email.idempotencyKey);
      stopIfWorkerShutsDown();
      const record = (result: Omit<NoticeDelivery, 'role' | 'recipient'>) =>
        deliveries.push(...roles.map((role) => ({ role, recipient: recipient.email, ...result })));
      try {
        const outcome = await deliverOnce(deps, email);
        record({
          status: outcome.status,
          messageId: outcome.messageId,
          ...(outcome.status === 'sent' && outcome.possibleDuplicate && { possibleDuplicate: true }),
          ...((outcome.status === 'failed' || outcome.status === 'held') && { error: outcome.error }),
        });
      } catch (error) {
        // A refused address is an answer, not a reason to stop: the others still get their mail.
        if (error instanceof SmtpPermanentError) {
          record({ status: 'failed', error: error.message });
        } else if (error instanceof SmtpConfigurationError) {
          // Our login, not this address: every other recipient would be refused the same way. One
          // line naming the settings; nothing is failed or put on hold, and the retry sends it all once fixed.
          throw ApplicationFailure.retryable(error.message, 'SmtpConfiguration');
        } else if (error instanceof SmtpTransientError || error instanceof SmtpOutcomeUnknownError || error instanceof ClaimedElsewhereError) {
          transientFailures.push(`${recipient.email}: ${error.message}`);
        } else {
          throw error;
        }
      }
    }
    if (transientFailures.length > 0) {
      // Retryable: on the next attempt the ledger skips whoever already has their mail.
      throw ApplicationFailure.retryable(
        `SMTP failed temporarily for ${transientFailures.length} recipient(s):\n${transientFailures.join('\n')}`,
        'SmtpTransient',
      );
    }
    if (input.plannedFor !== undefined && deliveries.some((delivery) => delivery.status === 'sent')) {
      recordNoticeSent({ template: input.template, plannedFor: input.plannedFor, escalationLevel: input.familyContext.escalationLevel });
    }
    return { deliveries };
  }

  /** Renders the notice for one recipient; throws before anything is sent if the context is incomplete. */
  function noticeEmail(
    input: ParsedNoticeInput,
    mail: AnyFamilyMail,
    organisation: Organisation,
    recipient: NoticeRecipient,
    links: { formUrl: string; statusUrl: string; /** The link this recipient may use. */ link: string },
    caseworker: { name: string; email: string } | undefined,
  ): LedgerEmail {
    const ctx = {
      ...input.familyContext,
      recipientName: recipient.name,
      partnerName: organisation.name,
      formUrl: links.formUrl,
      statusUrl: links.statusUrl,
      timezone: timezoneOf(input),
      contactPersonName: caseworker?.name,
      contactPersonEmail: caseworker?.email,
    };
    const rendered = render(() => renderNotice(input.template as NoticeTemplate, recipient.language, ctx));
    const personId = recipient.kind === 'contact' ? recipient.contactId : recipient.staffId;
    return {
      idempotencyKey: `${input.keyPrefix}/${recipient.role}/${personId}`,
      workflowId: input.workflowId,
      organisationId: organisation.id,
      contactId: recipient.kind === 'contact' ? recipient.contactId : undefined,
      staffId: recipient.kind === 'staff' ? recipient.staffId : undefined,
      recipientRole: recipient.role,
      template: input.template,
      language: recipient.language,
      to: { name: recipient.name, address: recipient.email },
      ...rendered,
      // RFC 3834: tells auto-responders not to answer, so vacation replies do not pile up.
      headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': recipient.language },
      attachments: input.calendarEntry ? [calendarAttachment(input, mail, organisation.id, `${rendered.subject}\n${links.link}`, links.link)] : undefined,
    };
  }

  function timezoneOf(input: ParsedNoticeInput): string {
    return input.timezone ?? config.timezone;
  }

  function calendarAttachment(
    input: ParsedNoticeInput,
    mail: AnyFamilyMail,
    organisationId: number,
    description: string,
    url: string,
  ): EmailAttachment {
    const dueAt = new Date(input.familyContext.dueAt);
    const timezone = timezoneOf(input);
    const entry = mail.calendarEntry({ partnerNumber: input.partnerNumber, organisationId, context: input.familyContext, dueDay: localDate(dueAt, timezone) });
    return {
      filename: entry.filename,
      contentType: 'text/calendar; method=PUBLISH; charset=UTF-8',
      content: dueDateEvent({
        uid: `${entry.uid}@${senderDomain(mailer.from)}`,
        dueAt,
        timezone,
        summary: entry.summary,
        description,
        url,
        stamp: firstScheduledAt(),
      }),
    };
  }
}

type PlannedEmail = { roles: RecipientRole[]; recipient: NoticeRecipient; email: LedgerEmail };

/** The input, then the context against its family's schema; problems are "field: reason" lines. */
function parseInput(raw: unknown): ParsedNoticeInput {
  const parsed = sendNoticeInputSchema.safeParse(raw);
  if (!parsed.success) throw invalidInput(formatIssues(parsed.error));
  const context = familyMails[parsed.data.family].context.safeParse(parsed.data.context);
  if (!context.success) throw invalidInput(formatIssues(context.error, 'context'));
  // The family's schema checked the context, dueAt included.
  return { ...parsed.data, familyContext: context.data as DeadlineContext & Record<string, unknown> };
}

function invalidInput(lines: string[]): ApplicationFailure {
  return ApplicationFailure.nonRetryable(lines.join('\n'), 'InvalidNoticeInput');
}

function render<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof MissingNoticeFieldError) throw ApplicationFailure.nonRetryable(error.message, 'InvalidNoticeContext');
    throw error;
  }
}

/**
 * A worker shutting down cancels what still runs after its grace time: the notice stops between two
 * recipients (never inside a send), the attempt fails as cancelled and is retried on another worker
 * after its retry interval, not after a timeout; the ledger skips whoever has their mail. Any other cancellation (the report arrived)
 * lets the notice finish, as it always did.
 */
function stopIfWorkerShutsDown(): void {
  const reason: unknown = asyncLocalStorage.getStore()?.cancellationSignal.reason;
  if (reason instanceof CancelledFailure && reason.message === 'WORKER_SHUTDOWN') throw reason;
}

/** When Temporal first scheduled this activity: the same on every retry, so the ICS bytes are too. */
function firstScheduledAt(): Date {
  const scheduled = asyncLocalStorage.getStore()?.info.scheduledTimestampMs;
  // Called outside a worker (scripts, tests of the ledger), the clock is the best there is.
  return new Date(scheduled ?? Date.now());
}

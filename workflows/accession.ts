/**
 * One organisation's way into the network, as the ministry's office would tell it: invite it to
 * declare its measures and milestones, review the declaration (as often as it takes), make the
 * agreement from the accepted version, collect both signatures, welcome the new partner and start
 * its lifecycle. The organisation may withdraw and the ministry may reject at any step.
 * Every waiting step is a deadline of its family (declaration, signature) on the one tracker.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  patched,
  allHandlersFinished,
  condition,
  isCancellation,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { z } from 'zod';
import type { createActivities } from '../activities';
import type { AccessionContext } from '../activities/accession';
import {
  acceptDeclarationArgsSchema,
  endAccessionArgsSchema,
  finalAccessionPhases,
  requestChangesArgsSchema,
  saveDraftArgsSchema,
  setAccessionDateArgsSchema,
  signArgsSchema,
  type AcceptDeclarationArgs,
  type AccessionPhase,
  type EndAccessionArgs,
  type RequestChangesArgs,
  type SaveDraftArgs,
  type SetAccessionDateArgs,
  type SignArgs,
} from '../src/domain/accession';
import { milestonePolicySchema } from '../src/domain/accession-policy';
import { defaultMilestonePolicyInput } from '../src/domain/default-milestone-policy';
import { sendingCalendarOf, localDateIn } from '../src/domain/calendar';
import { maxDeclarationBytes, parseDeclaration } from '../src/domain/declaration';
import { revisionDueAt } from '../src/domain/due-date';
import { lifecycleSummary } from '../src/domain/workflow-summaries';
import type { NoticeFamilyId, NoticeTemplate, RecipientRole } from '../src/domain/notice-families';
import type { DeadlinePolicy } from '../src/domain/policy';
import {
  acceptDeclarationUpdate,
  accessionStatusQuery,
  accessionTimelineQuery,
  endAccessionUpdate,
  requestDeclarationChangesUpdate,
  saveDeclarationDraftUpdate,
  setAccessionDateUpdate,
  signAgreementUpdate,
  submitDeclarationUpdate,
  type AccessionInput,
  type AccessionStatusView,
  type AccessionWorkflow,
  type DeclarationReceipt,
  type DeclarationVersionView,
  type SignatureView,
} from './contracts/accession';
import type { DeliveryView, TimelineEntry } from './contracts/annual-report';
import { lifecycleWorkflowId, partnerLifecycleWorkflowType, type LifecycleInput } from './contracts/lifecycle';
import { AccessionState, EscalationLevel, LifecycleState, PartnerNumber, WorkflowKind } from './contracts/search-attributes';
import { DeadlineTracker, noticeSummary } from './deadline-tracker';
import { deliverNotice, type NoticeInput } from './notice-delivery';
import { handleResends, NoticeResends } from './notice-resends';
import { invalidInput, invalidState, now, parseArgs } from './refusals';
import { databaseActivity } from './activity-options';

type Activities = ReturnType<typeof createActivities>;

// Our own database (and typesetting the agreement): quick, retried with backoff until it works.
const {
  openAccession,
  recordAccessionStep,
  saveDeclarationDraft,
  storeDeclarationVersion,
  reviewDeclarationVersion,
  generateAgreement,
  recordSignature,
  completeAccession,
  endAccession,
} = proxyActivities<Activities>(databaseActivity);

type OneOffNotice = {
  key: string;
  family: NoticeFamilyId;
  template: NoticeTemplate;
  recipients: RecipientRole[];
  dueAt: string;
  extra: Record<string, unknown>;
};

/** Phases in which the organisation owes a declaration (first or revised). */
const declarationPhases: readonly AccessionPhase[] = ['invited', 'changes_requested'];

export const accessionWorkflow: AccessionWorkflow = async (input) => {
  let accession: Accession | undefined;
  const loaded = async (): Promise<Accession> => {
    if (accession) return accession;
    await condition(() => accession !== undefined);
    return accession as unknown as Accession;
  };
  const phase = (): AccessionPhase => accession?.phase ?? 'invited';
  const requireIdle = () => {
    if (accession?.busy) throw invalidState(`another change (${accession.busy}) is in progress; try again in a moment`);
  };
  const requireNotFinal = (action: string) => {
    if (finalAccessionPhases.includes(phase())) throw invalidState(`cannot ${action}: the accession is already ${phase()}`);
  };
  const requirePhase = (wanted: readonly AccessionPhase[], action: string) => {
    if (!wanted.includes(phase())) throw invalidState(`cannot ${action} while the accession is ${phase()}`);
  };

  setHandler(accessionStatusQuery, () => accession?.view() ?? startingView(input));
  // An admin's resend: no phase stops it (a closed accession's workflow may still be sending its last notice).
  handleResends(() => accession?.resends, 'the accession');
  setHandler(accessionTimelineQuery, () => accession?.timeline ?? []);

  setHandler(saveDeclarationDraftUpdate, async (args) => (accession ?? (await loaded())).saveDraft(parseArgs(saveDraftArgsSchema, args)), {
    validator: (args) => {
      requireIdle();
      const { draft } = parseArgs(saveDraftArgsSchema, args);
      requirePhase(declarationPhases, 'save a draft');
      // A draft is unchecked, but bounded like a declaration: it travels through history.
      if (JSON.stringify(draft).length > maxDeclarationBytes) throw invalidInput(`draft: must be at most ${maxDeclarationBytes} bytes`);
    },
  });
  setHandler(submitDeclarationUpdate, async (args) => (accession ?? (await loaded())).submit(args), {
    validator: ({ declaration }) => {
      requireIdle();
      requirePhase(declarationPhases, 'submit a declaration');
      const parsed = parseDeclaration(declaration);
      if (!parsed.ok) throw ApplicationFailure.nonRetryable(parsed.errors.join('\n'), 'InvalidDeclaration', { errors: parsed.errors });
    },
  });
  setHandler(acceptDeclarationUpdate, async (args) => (accession ?? (await loaded())).accept(parseArgs(acceptDeclarationArgsSchema, args)), {
    validator: (args) => {
      requireIdle();
      parseArgs(acceptDeclarationArgsSchema, args);
      requirePhase(['declaration_submitted'], 'accept the declaration');
    },
  });
  setHandler(
    requestDeclarationChangesUpdate,
    async (args) => (accession ?? (await loaded())).requestChanges(parseArgs(requestChangesArgsSchema, args)),
    {
      validator: (args) => {
        requireIdle();
        parseArgs(requestChangesArgsSchema, args);
        requirePhase(['declaration_submitted'], 'request changes');
      },
    },
  );
  setHandler(signAgreementUpdate, async (args) => (accession ?? (await loaded())).sign(parseArgs(signArgsSchema, args)), {
    validator: (args) => {
      requireIdle();
      const sign = parseArgs(signArgsSchema, args);
      requirePhase(['awaiting_signatures'], 'record a signature');
      accession?.checkSignature(sign);
    },
  });
  setHandler(setAccessionDateUpdate, async (args) => (accession ?? (await loaded())).setAccessionDate(parseArgs(setAccessionDateArgsSchema, args)), {
    validator: (args) => {
      requireIdle();
      parseArgs(setAccessionDateArgsSchema, args);
      requireNotFinal('set the accession date');
    },
  });
  setHandler(endAccessionUpdate, async (args) => (accession ?? (await loaded())).end(parseArgs(endAccessionArgsSchema, args)), {
    validator: (args) => {
      requireIdle();
      parseArgs(endAccessionArgsSchema, args);
      requireNotFinal(args.outcome === 'withdrawn' ? 'withdraw' : 'reject');
    },
  });

  upsertSearchAttributes([
    { key: WorkflowKind, value: 'accession' },
    { key: PartnerNumber, value: input.partnerNumber },
  ]);
  const context = await openAccession({ partnerNumber: input.partnerNumber, workflowId: workflowInfo().workflowId, occurredAt: now().toISOString() });
  accession = new Accession(input, context);
  return accession.run();
};

/** The state of one accession and what the office does with it. */
class Accession {
  phase: AccessionPhase = 'invited';
  busy: string | undefined;
  readonly timeline: TimelineEntry[] = [];
  private readonly versions: DeclarationVersionView[] = [];
  private readonly signatures: SignatureView[] = [];
  private readonly outbox: OneOffNotice[] = [];
  private readonly workflowId = workflowInfo().workflowId;
  private tracker: DeadlineTracker | undefined;
  private family: NoticeFamilyId = 'declaration';
  private revisions = 0;
  private draftSavedAt: string | undefined;
  private chosenAccessionDate: string | undefined;
  private accessionDate: string | undefined;
  private endReason: string | undefined;
  private persisted: Promise<void> = Promise.resolve();
  private steps = 0;
  /** What this accession sent, and the resends admins ask for (sent beside the office's loop). */
  readonly resends = new NoticeResends({
    sender: 'this accession',
    deliver: (input, summary) => this.deliverSafely(input, summary),
    queued: ({ by, ...details }) => this.event('notice-resend', `staff:${by}`, details),
    sent: (input, deliveries) =>
      this.timeline.push({ kind: 'notice', at: now().toISOString(), template: input.template as NoticeTemplate, recipients: input.recipients as RecipientRole[], deliveries }),
  });

  constructor(
    private readonly input: AccessionInput,
    private readonly context: AccessionContext,
  ) {
    const { declaration } = input.policy;
    this.tracker = this.trackerFor('declaration', 'declaration', revisionDueAt(now(), declaration.period, declaration.deadline.timezone), declaration.deadline);
  }

  async run(): Promise<AccessionStatusView> {
    const resender = this.resends.run();
    await this.step('invited', 'invitation-planned', 'system', { dueAt: this.tracker?.dueAt.toISOString() });
    for (;;) {
      const notice = this.outbox.shift();
      if (notice) {
        await this.sendOneOff(notice);
      } else if (finalAccessionPhases.includes(this.phase)) {
        await condition(() => this.outbox.length > 0 || allHandlersFinished());
        if (this.outbox.length === 0) break;
      } else if (this.tracker && this.awaitsTrackedStep()) {
        const current = this.tracker;
        await current.run(() => !this.awaitsTrackedStep() || this.outbox.length > 0 || this.tracker !== current);
      } else {
        const seen = this.phase;
        const signed = this.signatures.length;
        await condition(() => this.outbox.length > 0 || this.phase !== seen || this.signatures.length !== signed);
      }
    }
    this.resends.close();
    await resender;
    await this.persisted;
    return this.view();
  }

  /** Declarations are chased until submitted, the agreement until both sides have signed. */
  private awaitsTrackedStep(): boolean {
    return declarationPhases.includes(this.phase) || this.phase === 'awaiting_signatures';
  }

  /**
   * Once the organisation has signed, the agreement's notices go to the ministry's side only:
   * nobody reminds a signatory who has signed.
   */
  private stillToTell(recipients: RecipientRole[]): RecipientRole[] {
    if (this.phase !== 'awaiting_signatures' || !this.signatures.some((s) => s.party === 'partner')) return recipients;
    return recipients.filter((role) => role !== 'partner_main_contact' && role !== 'partner_leadership');
  }

  saveDraft({ draft, by }: SaveDraftArgs): Promise<{ savedAt: string }> {
    return this.exclusively('draft', async () => {
      const savedAt = now().toISOString();
      this.steps += 1;
      await saveDeclarationDraft({ workflowId: this.workflowId, draft, savedAt, by: by ?? 'partner', eventKey: this.eventKey('draft-saved') });
      this.draftSavedAt = savedAt;
      this.event('draft-saved', by ?? 'partner');
      return { savedAt };
    });
  }

  submit({ declaration, submittedBy }: { declaration: unknown; submittedBy?: string }): Promise<DeclarationReceipt> {
    return this.exclusively('submission', async () => {
      const parsed = parseDeclaration(declaration);
      if (!parsed.ok) throw ApplicationFailure.nonRetryable(parsed.errors.join('\n'), 'InvalidDeclaration');
      const version = this.versions.length + 1;
      const submittedAt = now().toISOString();
      const by = submittedBy ?? 'partner';
      await storeDeclarationVersion({ workflowId: this.workflowId, version, content: parsed.declaration, submittedAt, submittedBy: by });
      this.versions.push({ version, submittedAt, submittedBy: by });
      this.draftSavedAt = undefined;
      this.notify(`received-v${version}`, 'declaration', 'declaration-received', ['partner_main_contact'], { version });
      await this.changePhase('declaration_submitted', 'declaration-submitted', by, { version });
      return { version, submittedAt };
    });
  }

  accept({ by, comment }: AcceptDeclarationArgs): Promise<AccessionStatusView> {
    return this.exclusively('acceptance', async () => {
      const version = this.review('accepted', by, comment);
      await reviewDeclarationVersion({ workflowId: this.workflowId, version, review: 'accepted', comment, by, at: now().toISOString() });
      await generateAgreement({
        workflowId: this.workflowId,
        version,
        parties: this.input.parties,
        partnerSignatoryRole: this.input.partnerSignatoryRole,
      });
      const { signature } = this.input.policy;
      this.tracker = this.trackerFor('signature', 'signature', revisionDueAt(now(), signature.period, signature.deadline.timezone), signature.deadline);
      await this.changePhase('awaiting_signatures', 'declaration-accepted', `staff:${by}`, { version, ...(comment && { comment }) });
      return this.view();
    });
  }

  requestChanges({ by, comments }: RequestChangesArgs): Promise<AccessionStatusView> {
    return this.exclusively('change request', async () => {
      const version = this.review('changes_requested', by, comments);
      await reviewDeclarationVersion({ workflowId: this.workflowId, version, review: 'changes_requested', comment: comments, by, at: now().toISOString() });
      this.revisions += 1;
      const { revision } = this.input.policy;
      const dueAt = revisionDueAt(now(), revision.period, revision.deadline.timezone);
      this.tracker = this.trackerFor(`revision-${this.revisions}`, 'declaration', dueAt, revision.deadline);
      this.notify(`revision-${this.revisions}`, 'declaration', 'declaration-revision-requested', ['partner_main_contact'], { comments });
      await this.changePhase('changes_requested', 'changes-requested', `staff:${by}`, { version, comments, dueAt: dueAt.toISOString() });
      return this.view();
    });
  }

  /** Refuses a second signature of the same side, and the ministry first where the policy says so. */
  checkSignature({ party, date }: SignArgs): void {
    if (this.signatures.some((s) => s.party === party)) throw invalidState(`the ${party} side has already signed`);
    if (party === 'ministry' && this.input.policy.signature.partnerSignsFirst && !this.signatures.some((s) => s.party === 'partner')) {
      throw invalidState('the policy requires the partner to sign first');
    }
    if (date !== undefined && date > localDateIn(now(), this.timezone())) throw invalidInput('date: must not be in the future');
  }

  sign(args: SignArgs): Promise<AccessionStatusView> {
    return this.exclusively('signature', async () => {
      this.checkSignature(args);
      const date = args.date ?? localDateIn(now(), this.timezone());
      await recordSignature({
        workflowId: this.workflowId,
        version: this.acceptedVersion(),
        party: args.party,
        signer: args.signer,
        role: args.role,
        signedOn: date,
        at: now().toISOString(),
      });
      this.signatures.push({ party: args.party, signer: args.signer, role: args.role, date });
      await this.step(this.phase, `signed-by-${args.party}`, args.by ? `staff:${args.by}` : args.party, { signer: args.signer, role: args.role, date });
      if (this.signatures.length === 2) await this.complete();
      return this.view();
    });
  }

  setAccessionDate({ by, date, reason }: SetAccessionDateArgs): Promise<AccessionStatusView> {
    return this.exclusively('accession date', async () => {
      this.chosenAccessionDate = date;
      await this.step(this.phase, 'accession-date-set', `staff:${by}`, { date, ...(reason && { reason }) });
      return this.view();
    });
  }

  end({ outcome, by, reason }: EndAccessionArgs): Promise<AccessionStatusView> {
    return this.exclusively(outcome === 'withdrawn' ? 'withdrawal' : 'rejection', async () => {
      this.endReason = reason;
      this.steps += 1;
      await endAccession({ workflowId: this.workflowId, outcome, reason, by: `staff:${by}`, at: now().toISOString(), eventKey: this.eventKey(outcome) });
      this.phase = outcome;
      this.event(outcome, `staff:${by}`, { reason });
      upsertSearchAttributes([{ key: AccessionState, value: outcome }]);
      this.notify(outcome, 'signature', 'accession-closed', ['partner_main_contact', 'ministry_caseworker'], { outcome, reason });
      return this.view();
    });
  }

  /** Both signed: the partner joins on the second signature's date (or staff's), is welcomed, and its lifecycle starts. */
  private async complete(): Promise<void> {
    const secondDate = this.signatures.map((s) => s.date).sort().at(-1) as string;
    const accessionDate = this.chosenAccessionDate ?? secondDate;
    this.accessionDate = accessionDate;
    this.steps += 1;
    await completeAccession({ workflowId: this.workflowId, accessionDate, signedOn: secondDate, at: now().toISOString(), eventKey: this.eventKey('completed') });
    this.phase = 'completed';
    this.event('completed', 'system', { accessionDate });
    upsertSearchAttributes([{ key: AccessionState, value: 'completed' }]);
    this.notify('welcome', 'signature', 'accession-welcome', ['partner_main_contact', 'partner_leadership'], { accessionDate });
    const lifecycle: LifecycleInput = {
      partnerNumber: this.input.partnerNumber,
      accessionDate,
      // The default parsed here, not at import: see default-milestone-policy.ts. Pure, so replay gets the same.
      milestonePolicy: this.input.policy.milestones ?? milestonePolicySchema.parse(defaultMilestonePolicyInput),
      origin: 'accession',
    };
    // Abandoned, not terminated, when this workflow ends: the lifecycle outlives the accession.
    await startChild(partnerLifecycleWorkflowType, {
      workflowId: lifecycleWorkflowId(this.input.partnerNumber),
      args: [lifecycle],
      staticSummary: lifecycleSummary(this.input.partnerNumber),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: [
        { key: WorkflowKind, value: 'lifecycle' },
        { key: PartnerNumber, value: this.input.partnerNumber },
        { key: LifecycleState, value: 'active' },
      ],
    });
    this.event('lifecycle-started', 'system', { workflowId: lifecycleWorkflowId(this.input.partnerNumber) });
  }

  view(): AccessionStatusView {
    const tracking = this.tracker && this.awaitsTrackedStep() ? this.tracker : undefined;
    const next = tracking?.pending()[0];
    return {
      partnerNumber: this.input.partnerNumber,
      partnerName: this.context.partnerName,
      phase: this.phase,
      round: this.tracker?.round ?? '',
      dueAt: finalAccessionPhases.includes(this.phase) ? '' : (this.tracker?.dueAt.toISOString() ?? ''),
      escalationLevel: this.tracker?.escalationLevel ?? 0,
      versions: this.versions.map((v) => ({ ...v })),
      draftSavedAt: this.draftSavedAt,
      signatures: this.signatures.map((s) => ({ ...s })),
      partnerSignsFirst: this.input.policy.signature.partnerSignsFirst,
      accessionDate: this.accessionDate ?? this.chosenAccessionDate,
      endReason: this.endReason,
      nextStep: next && { stepId: next.stepId, template: next.template, sendAt: next.sendAt.toISOString(), recipients: next.recipients },
    };
  }

  private acceptedVersion(): number {
    return [...this.versions].reverse().find((v) => v.review === 'accepted')?.version ?? this.versions.length;
  }

  private review(review: 'accepted' | 'changes_requested', by: string, comment: string | undefined): number {
    const latest = this.versions.at(-1);
    if (!latest) throw invalidState('no declaration has been submitted');
    Object.assign(latest, { review, comment, reviewedBy: by });
    return latest.version;
  }

  private timezone(): string {
    return this.input.policy.signature.deadline.timezone;
  }

  private async exclusively<T>(change: string, body: () => Promise<T>): Promise<T> {
    if (finalAccessionPhases.includes(this.phase)) throw invalidState(`cannot make the ${change}: the accession is already ${this.phase}`);
    this.busy = change;
    try {
      return await body();
    } finally {
      this.busy = undefined;
    }
  }

  private trackerFor(round: string, family: NoticeFamilyId, dueAt: Date, policy: DeadlinePolicy): DeadlineTracker {
    this.family = family;
    const tracker: DeadlineTracker = new DeadlineTracker({
      round,
      policy,
      dueAt,
      calendar: sendingCalendarOf(policy),
      record: (entry) => this.timeline.push({ ...entry, kind: 'deadline', round }),
      deliver: async ({ send, recipients: planned, catchUp }) => {
        const recipients = this.stillToTell(planned);
        if (recipients.length === 0) {
          this.event('notice-not-needed', undefined, { stepId: send.stepId, reason: 'the partner has signed' });
          return;
        }
        const deliveries = await this.deliverSafely({
          family,
          keyPrefix: `${this.workflowId}/${round}/${send.stepId}#${send.occurrence}`,
          workflowId: this.workflowId,
          template: send.template,
          partnerNumber: this.input.partnerNumber,
          recipients,
          timezone: tracker.timezone,
          context: { dueAt: tracker.dueAt.toISOString(), escalationLevel: send.escalationLevel },
          calendarEntry: send.kind === 'invitation',
          plannedFor: send.sendAt.toISOString(),
        });
        const entry = [...this.timeline]
          .reverse()
          .find((item) => item.kind === 'deadline' && item.round === round && item.stepId === send.stepId && item.occurrence === send.occurrence);
        if (entry?.kind === 'deadline') entry.deliveries = deliveries;
        if (catchUp) this.event('catch-up-sent', undefined, { stepId: send.stepId });
      },
      onDuePassed: async () => {
        await this.step(this.phase, `${round}-overdue`, 'system', { dueAt: tracker.dueAt.toISOString() });
      },
      onEscalation: async (level) => {
        upsertSearchAttributes([{ key: EscalationLevel, value: level }]);
        await this.step(this.phase, `${round}-escalated`, 'system', { level });
      },
    });
    return tracker;
  }

  private notify(key: string, family: NoticeFamilyId, template: NoticeTemplate, recipients: RecipientRole[], extra: Record<string, unknown>): void {
    // One-off notices name the date of the deadline they belong to (or now, once nothing is due).
    const dueAt = this.tracker && this.family === family ? this.tracker.dueAt.toISOString() : now().toISOString();
    this.outbox.push({ key, family, template, recipients, dueAt, extra });
  }

  private async sendOneOff(notice: OneOffNotice): Promise<void> {
    const deliveries = await this.deliverSafely({
      family: notice.family,
      keyPrefix: `${this.workflowId}/notice/${notice.key}`,
      workflowId: this.workflowId,
      template: notice.template,
      partnerNumber: this.input.partnerNumber,
      recipients: notice.recipients,
      timezone: this.timezone(),
      context: { dueAt: notice.dueAt, ...notice.extra },
    });
    this.timeline.push({ kind: 'notice', at: now().toISOString(), template: notice.template, recipients: notice.recipients, deliveries });
  }

  /** A notice that cannot be sent at all (after its retries) is recorded for staff instead of failing the accession. */
  private deliverSafely(input: NoticeInput, summary = noticeSummary(input.keyPrefix, this.workflowId)): Promise<DeliveryView[]> {
    this.resends.remember(input, summary);
    return deliverNotice(input, summary, {
      failed: (notice, reason) => this.event('notice-failed', undefined, { template: notice.template, reason }),
      recordsGiveUp: () => patched('record-notice-gave-up'),
    });
  }

  private event(action: string, by?: string, details?: Record<string, unknown>): void {
    this.timeline.push({ kind: 'event', at: now().toISOString(), action, by, details });
  }

  private eventKey(action: string): string {
    return `${this.workflowId}/${workflowInfo().runId}/${this.steps}/${action}`;
  }

  private async changePhase(next: AccessionPhase, action: string, actor: string, details?: Record<string, unknown>): Promise<void> {
    this.phase = next;
    upsertSearchAttributes([{ key: AccessionState, value: next }]);
    await this.step(next, action, actor, details);
  }

  // Steps are persisted in order, even when handlers and the main loop record them concurrently.
  private step(phase: AccessionPhase, action: string, actor: string, details?: Record<string, unknown>): Promise<void> {
    this.steps += 1;
    if (action !== 'invitation-planned') this.event(action, actor, details);
    const record = { workflowId: this.workflowId, phase, action, actor, details, occurredAt: now().toISOString(), eventKey: this.eventKey(action) };
    this.persisted = this.persisted.then(() => recordAccessionStep(record));
    return this.persisted;
  }
}

function startingView(input: AccessionInput): AccessionStatusView {
  return {
    partnerNumber: input.partnerNumber,
    partnerName: '',
    phase: 'invited',
    round: 'declaration',
    dueAt: '',
    escalationLevel: 0,
    versions: [],
    signatures: [],
    partnerSignsFirst: input.policy.signature.partnerSignsFirst,
  };
}


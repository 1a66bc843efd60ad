/**
 * One partner's life in the network, from accession on: each year's annual report when its cycle
 * opens, the declared milestones (asked about before they are due, escalated when unanswered),
 * contact changes, and withdrawal. Continues as new at each year's turn, carrying its state, so
 * its history stays small however many years the partnership lasts.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { z } from 'zod';
import type { createActivities } from '../activities';
import type { TrackedMilestone } from '../src/domain/accession';
import { localDateIn, sendingCalendarOf } from '../src/domain/calendar';
import { dueAtEndOfDay } from '../src/domain/due-date';
import { annualReportSummary } from '../src/domain/workflow-summaries';
import {
  contactChangeArgsSchema,
  cycleOpenedArgsSchema,
  milestoneAnswerArgsSchema,
  startOfNextYear,
  withdrawPartnerArgsSchema,
  yearIn,
} from '../src/domain/lifecycle';
import type { NoticeTemplate, RecipientRole } from '../src/domain/notice-families';
import { annualReportStart, annualReportWorkflowType, type DeliveryView, type TimelineEntry } from './contracts/annual-report';
import {
  answerMilestoneUpdate,
  changeContactUpdate,
  cycleOpenedSignal,
  lifecycleStatusQuery,
  lifecycleTimelineQuery,
  withdrawPartnerUpdate,
  type ContactChangeArgs,
  type ContactChangeView,
  type CycleOpenedArgs,
  type LifecycleInput,
  type LifecyclePhase,
  type LifecycleStatusView,
  type MilestoneAnswerArgs,
  type PartnerLifecycleWorkflow,
  type WithdrawPartnerArgs,
} from './contracts/lifecycle';
import { LifecycleState, PartnerNumber, WorkflowKind } from './contracts/search-attributes';
import { DeadlineTracker, noticeSummary } from './deadline-tracker';
import { deliverNotice, type NoticeInput } from './notice-delivery';
import { handleResends, NoticeResends } from './notice-resends';
import { formatIssues } from '../src/domain/issues';
import { invalidInput, now, parseArgs } from './refusals';
import { databaseActivity } from './activity-options';

type Activities = ReturnType<typeof createActivities>;

const { loadLifecycleContext, recordLifecycleEvent, recordMilestoneAnswer, changeContact, recordWithdrawal, closeAnnualReports, announceJoin } =
  proxyActivities<Activities>(databaseActivity);

/** Contact changes kept in the state carried from year to year; older ones are in the audit log. */
const CARRIED_CONTACT_CHANGES = 10;

type MilestoneState = TrackedMilestone & { tracker?: DeadlineTracker; rounds: number };

export const partnerLifecycleWorkflow: PartnerLifecycleWorkflow = async (input) => {
  const policy = input.milestonePolicy;
  const zone = policy.timezone;
  const workflowId = workflowInfo().workflowId;
  const year = input.year ?? yearIn(new Date(Date.now()), zone);
  const timeline: TimelineEntry[] = [];
  const reportedYears = [...(input.reportedYears ?? [])];
  const openReports: string[] = [...(input.openReports ?? [])];
  const contactChanges: ContactChangeView[] = [...(input.contactChanges ?? [])];
  const cycles: CycleOpenedArgs[] = [];
  let phase: LifecyclePhase = 'active';
  let withdrawal: LifecycleStatusView['withdrawal'];
  let partnerName = '';
  let milestones: MilestoneState[] = [];
  let busy: string | undefined;
  let steps = 0;
  const generation = input.generation ?? 1;

  const event = (action: string, by?: string, details?: Record<string, unknown>) =>
    timeline.push({ kind: 'event', at: now().toISOString(), action, by, details });
  const eventKey = (action: string) => `${workflowId}/${workflowInfo().runId}/${(steps += 1)}/${action}`;
  const view = (): LifecycleStatusView => ({
    partnerNumber: input.partnerNumber,
    partnerName,
    phase,
    accessionDate: input.accessionDate,
    year,
    origin: input.origin ?? 'accession',
    reportedYears: [...reportedYears],
    openReports: [...openReports],
    milestones: milestones.map(({ tracker, rounds: _rounds, ...milestone }) => {
      const next = tracker && milestone.status !== 'reached' && phase === 'active' ? tracker.pending()[0] : undefined;
      return {
        ...milestone,
        escalationLevel: tracker?.escalationLevel ?? 0,
        ...(next && { nextStep: { template: next.template, sendAt: next.sendAt.toISOString() } }),
      };
    }),
    contactChanges: [...contactChanges],
    withdrawal,
    generation,
  });
  const requireActive = (action: string) => {
    if (phase !== 'active') throw ApplicationFailure.nonRetryable(`state: cannot ${action}: the partner has withdrawn`, 'InvalidState');
    if (busy) throw ApplicationFailure.nonRetryable(`state: another change (${busy}) is in progress; try again in a moment`, 'InvalidState');
  };
  const exclusively = async <T>(change: string, body: () => Promise<T>): Promise<T> => {
    requireActive(change);
    busy = change;
    try {
      return await body();
    } finally {
      busy = undefined;
    }
  };

  setHandler(lifecycleStatusQuery, view);
  // What this run sent (a year's questions and notices); earlier runs' emails are resent from their histories.
  const resends = new NoticeResends({
    sender: 'this run of the lifecycle',
    deliver: (notice, summary) => deliverSafely(notice, summary),
    queued: ({ by, ...details }) => event('notice-resend', `staff:${by}`, details),
    sent: (notice, deliveries) =>
      timeline.push({ kind: 'notice', at: now().toISOString(), template: notice.template as NoticeTemplate, recipients: notice.recipients as RecipientRole[], deliveries }),
  });
  handleResends(() => resends, 'the lifecycle');
  const resender = resends.run();
  setHandler(lifecycleTimelineQuery, () => timeline);
  // A signal, not an Update: the cycle opener tells hundreds of partners and need not wait for each.
  setHandler(cycleOpenedSignal, (args) => {
    const parsed = cycleOpenedArgsSchema.safeParse(args);
    if (!parsed.success) {
      event('cycle-signal-refused', args?.by, { errors: formatIssues(parsed.error) });
      return;
    }
    cycles.push(parsed.data);
  });
  setHandler(
    answerMilestoneUpdate,
    (args) =>
      exclusively('milestone answer', async () => {
        const answer = parseArgs(milestoneAnswerArgsSchema, args) as MilestoneAnswerArgs;
        const milestone = milestones.find((m) => m.id === answer.milestoneId) as MilestoneState;
        const date = answer.outcome === 'reached' ? (answer.date ?? localToday(zone)) : answer.newDate;
        const actor = answer.by ? `staff:${answer.by}` : 'partner';
        await recordMilestoneAnswer({
          partnerNumber: input.partnerNumber,
          occurredAt: now().toISOString(),
          actor,
          action: `milestone-${answer.outcome}`,
          eventKey: eventKey(`milestone-${answer.outcome}`),
          milestoneId: milestone.id,
          outcome: answer.outcome,
          date,
          details: answer.outcome === 'delayed' && answer.newDueText ? { newDueText: answer.newDueText } : undefined,
        });
        if (answer.outcome === 'reached') {
          milestone.status = 'reached';
          milestone.reachedOn = date;
        } else {
          // A delayed milestone is asked about again before its new date: a new round of its deadline.
          milestone.status = 'delayed';
          milestone.revisedDueDate = date;
          if (answer.newDueText) milestone.dueText = answer.newDueText;
          milestone.rounds += 1;
          milestone.tracker = milestoneTracker(milestone);
        }
        event(`milestone-${answer.outcome}`, actor, { milestoneId: milestone.id, date });
        return view();
      }),
    {
      validator: (args) => {
        requireActive('answer a milestone');
        const answer = parseArgs(milestoneAnswerArgsSchema, args) as MilestoneAnswerArgs;
        const milestone = milestones.find((m) => m.id === answer.milestoneId);
        if (!milestone) throw invalidInput(`milestoneId: the partner declared no milestone "${answer.milestoneId}" (${milestones.map((m) => m.id).join(', ') || 'none'})`);
        if (milestone.status === 'reached') throw ApplicationFailure.nonRetryable(`state: milestone ${milestone.id} is already reached`, 'InvalidState');
        if (answer.outcome === 'delayed' && answer.newDate <= localToday(zone)) throw invalidInput('newDate: must lie in the future');
      },
    },
  );
  setHandler(
    changeContactUpdate,
    (args) =>
      exclusively('contact change', async () => {
        const change = parseArgs(contactChangeArgsSchema, args) as ContactChangeArgs;
        await changeContact({
          partnerNumber: input.partnerNumber,
          occurredAt: now().toISOString(),
          actor: `staff:${change.by}`,
          action: 'contact-changed',
          eventKey: eventKey('contact-changed'),
          role: change.role,
          name: change.name,
          email: change.email,
          language: change.language,
        });
        contactChanges.push({ at: now().toISOString(), role: change.role, name: change.name, by: change.by });
        contactChanges.splice(0, Math.max(0, contactChanges.length - CARRIED_CONTACT_CHANGES));
        event('contact-changed', `staff:${change.by}`, { role: change.role });
        return view();
      }),
    {
      validator: (args) => {
        requireActive('change a contact');
        parseArgs(contactChangeArgsSchema, args);
      },
    },
  );
  setHandler(
    withdrawPartnerUpdate,
    (args) =>
      exclusively('withdrawal', async () => {
        const { by, reason, date } = parseArgs(withdrawPartnerArgsSchema, args) as WithdrawPartnerArgs;
        const day = date ?? localToday(zone);
        await recordWithdrawal({
          partnerNumber: input.partnerNumber,
          occurredAt: now().toISOString(),
          actor: `staff:${by}`,
          action: 'withdrawn',
          eventKey: eventKey('withdrawn'),
          reason,
          date: day,
        });
        // Open reporting ends the way a clerk ends it: each open report is closed with the reason.
        const closed = await closeAnnualReports({ workflowIds: [...openReports], reason: `Austritt aus dem Partnernetzwerk: ${reason}` });
        openReports.splice(0, openReports.length);
        phase = 'withdrawn';
        withdrawal = { reason, date: day, by };
        upsertSearchAttributes([{ key: LifecycleState, value: 'withdrawn' }]);
        event('withdrawn', `staff:${by}`, { reason, closedReports: closed });
        await notifyStaff('partner-withdrawn-ministry', ['ministry_caseworker'], {
          reason,
          ...(closed.length > 0 && { closedReports: closed.map((id) => id.split('/').at(-1)).join(', ') }),
        });
        return view();
      }),
    {
      validator: (args) => {
        requireActive('withdraw');
        parseArgs(withdrawPartnerArgsSchema, args);
      },
    },
  );

  upsertSearchAttributes([
    { key: WorkflowKind, value: 'lifecycle' },
    { key: PartnerNumber, value: input.partnerNumber },
    { key: LifecycleState, value: 'active' },
  ]);
  const context = await loadLifecycleContext({ partnerNumber: input.partnerNumber });
  partnerName = context.partnerName;
  milestones = (input.milestones ?? context.milestones).map((m) => ({ ...m, rounds: 0 }));
  for (const milestone of milestones) if (milestone.status !== 'reached') milestone.tracker = milestoneTracker(milestone);
  if (generation === 1) {
    await recordLifecycleEvent({
      partnerNumber: input.partnerNumber,
      occurredAt: now().toISOString(),
      actor: 'system',
      action: 'lifecycle-started',
      details: { origin: input.origin ?? 'accession', accessionDate: input.accessionDate, milestones: milestones.length },
      eventKey: `${workflowId}/lifecycle-started`,
    });
    // A partner that joins while a cycle is open: that cycle's workflow decides by its join rule
    // whether the partner reports this year. Patched: lifecycles started before did not ask.
    if ((input.origin ?? 'accession') === 'accession' && patched('announce-join-to-open-cycles')) {
      const told = await announceJoin({ partnerNumber: input.partnerNumber, accessionDate: input.accessionDate });
      if (told.length > 0) event('joined-open-cycles', 'system', { years: told });
    }
  }

  const yearTurn = startOfNextYear(now(), zone);
  const turned = () => Date.now() >= yearTurn.getTime();
  const ended = () => phase !== 'active' || turned();

  // Each open milestone is chased on its own; a delayed one starts a new round (a new tracker).
  const chaseMilestones = milestones.map(async (milestone) => {
    while (!ended() && milestone.status !== 'reached' && milestone.tracker) {
      const current = milestone.tracker;
      await current.run(() => ended() || milestone.status === 'reached' || milestone.tracker !== current);
    }
  });

  // Reports: started as children of the lifecycle, not by the cycle opener. The lifecycle knows
  // whether the partner is still active (a withdrawn partner gets no report), starts each year's
  // report once (its id is the year's), and on withdrawal closes what it started. ABANDON, because
  // a report outlives the run that started it: a year's report runs into the next year, past the
  // continue-as-new at the turn of the year.
  const startReports = (async () => {
    for (;;) {
      await condition(() => cycles.length > 0 || ended(), Math.max(1, yearTurn.getTime() - Date.now()), { summary: 'year-turn' });
      if (ended()) return;
      const cycle = cycles.shift();
      if (!cycle || reportedYears.includes(cycle.year)) continue;
      reportedYears.push(cycle.year);
      const reportId = `annual-report/${input.partnerNumber}/${cycle.year}`;
      let child;
      try {
        child = await startChild(annualReportWorkflowType, {
          workflowId: reportId,
          ...annualReportStart({ partnerNumber: input.partnerNumber, year: cycle.year, ...(cycle.dueAt && { dueAt: cycle.dueAt }) }),
          staticSummary: annualReportSummary(input.partnerNumber, cycle.year),
          parentClosePolicy: ParentClosePolicy.ABANDON,
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        });
      } catch (error) {
        // Started already (by hand, or by a cycle opener that predates lifecycles): it is open all the same.
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        openReports.push(reportId);
        event('annual-report-already-started', cycle.by, { year: cycle.year, workflowId: reportId });
        continue;
      }
      openReports.push(reportId);
      event('annual-report-started', cycle.by, { year: cycle.year, workflowId: reportId });
      await recordLifecycleEvent({
        partnerNumber: input.partnerNumber,
        occurredAt: now().toISOString(),
        actor: cycle.by ? `staff:${cycle.by}` : 'system',
        action: 'annual-report-started',
        details: { year: cycle.year },
        eventKey: `${workflowId}/annual-report-started/${cycle.year}`,
      });
      // Once it ends, it is no longer open (it may also end after this run continued as new).
      void child.result().then(
        () => forget(reportId),
        () => forget(reportId),
      );
    }
  })();
  const forget = (reportId: string) => {
    const index = openReports.indexOf(reportId);
    if (index >= 0) openReports.splice(index, 1);
  };

  await condition(ended);
  await Promise.all([startReports, ...chaseMilestones]);
  await condition(allHandlersFinished);
  resends.close();
  await resender;
  // Withdrawn: nothing carries over, the lifecycle ends here.
  if (phase !== ('active' as LifecyclePhase)) return view();

  // The year turns: the same partner goes on in a fresh run with what it must remember.
  const carried: LifecycleInput = {
    partnerNumber: input.partnerNumber,
    accessionDate: input.accessionDate,
    milestonePolicy: policy,
    milestones: milestones.map(({ tracker: _tracker, rounds: _rounds, ...milestone }) => milestone),
    reportedYears,
    year: yearIn(yearTurn, zone),
    origin: input.origin ?? 'accession',
    contactChanges,
    generation: generation + 1,
    // Reports still open travel by id: the new run no longer holds their child handles.
    openReports: [...openReports],
  };
  return continueAsNew<PartnerLifecycleWorkflow>(carried);

  function milestoneTracker(milestone: MilestoneState): DeadlineTracker {
    const round = milestone.rounds === 0 ? `milestone-${milestone.id}` : `milestone-${milestone.id}-delay-${milestone.rounds}`;
    const dueAt = dueAtEndOfDay(milestone.revisedDueDate ?? milestone.dueDate, zone);
    const tracker: DeadlineTracker = new DeadlineTracker({
      round,
      policy,
      dueAt,
      calendar: sendingCalendarOf(policy),
      record: (entry) => timeline.push({ ...entry, kind: 'deadline', round }),
      deliver: async ({ send, recipients }) => {
        const deliveries = await deliverSafely({
          family: 'milestone',
          keyPrefix: `${workflowId}/${round}/${send.stepId}#${send.occurrence}`,
          plannedFor: send.sendAt.toISOString(),
          workflowId,
          template: send.template,
          partnerNumber: input.partnerNumber,
          recipients,
          timezone: zone,
          context: {
            dueAt: dueAt.toISOString(),
            escalationLevel: send.escalationLevel,
            milestoneId: milestone.id,
            milestoneText: milestone.text,
            measureTitle: milestone.measureTitle,
            dueText: milestone.dueText,
          },
          calendarEntry: send.kind === 'invitation',
        });
        const entry = [...timeline].reverse().find((item) => item.kind === 'deadline' && item.round === round && item.stepId === send.stepId);
        if (entry?.kind === 'deadline') entry.deliveries = deliveries;
      },
      onEscalation: async (level) => {
        await recordLifecycleEvent({
          partnerNumber: input.partnerNumber,
          occurredAt: now().toISOString(),
          actor: 'system',
          action: 'milestone-escalated',
          details: { milestoneId: milestone.id, level },
          eventKey: `${workflowId}/${round}/escalated-${level}`,
        });
      },
    });
    return tracker;
  }

  async function notifyStaff(template: NoticeTemplate, recipients: RecipientRole[], extra: Record<string, unknown>): Promise<void> {
    const deliveries = await deliverSafely({
      family: 'milestone',
      keyPrefix: `${workflowId}/notice/${template}`,
      workflowId,
      template,
      partnerNumber: input.partnerNumber,
      recipients,
      timezone: zone,
      context: { dueAt: now().toISOString(), ...extra },
    });
    timeline.push({ kind: 'notice', at: now().toISOString(), template, recipients, deliveries });
  }

  function deliverSafely(notice: NoticeInput, summary = noticeSummary(notice.keyPrefix, workflowId)): Promise<DeliveryView[]> {
    resends.remember(notice, summary);
    return deliverNotice(notice, summary, {
      failed: (input, reason) => event('notice-failed', undefined, { template: input.template, reason }),
      recordsGiveUp: () => patched('record-notice-gave-up'),
    });
  }
};

function localToday(zone: string): string {
  return localDateIn(now(), zone);
}


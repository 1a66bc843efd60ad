import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { accessionWorkflowId, accessionWorkflowType, type AccessionWorkflow } from '../../workflows/contracts/accession';
import { cycleOpenedSignal, lifecycleWorkflowId, partnerLifecycleWorkflowType, type LifecycleInput, type PartnerLifecycleWorkflow } from '../../workflows/contracts/lifecycle';
import { AccessionState, LifecycleState, PartnerNumber, WorkflowKind } from '../../workflows/contracts/search-attributes';
import type { Database } from '../db/client';
import { registerOrganisation } from '../db/queries/accession';
import { listPartners } from '../db/queries/partners';
import type { AccessionStart } from '../domain/accession';
import type { AccessionPolicy, MilestonePolicy } from '../domain/accession-policy';
import { defaultAccessionPolicy, defaultMilestonePolicy } from '../domain/default-policy';
import { accessionSummary, lifecycleSummary } from '../domain/workflow-summaries';

/**
 * Registers a new organisation (a prospect with its contacts) and starts its accession under the
 * well-known id. Throws AccessionRecordError when the number is taken.
 */
export async function startAccession(
  client: Client,
  db: Database,
  taskQueue: string,
  start: AccessionStart,
  policy: AccessionPolicy = defaultAccessionPolicy,
): Promise<WorkflowHandle<AccessionWorkflow>> {
  await registerOrganisation(db, start);
  return client.workflow.start<AccessionWorkflow>(accessionWorkflowType, {
    workflowId: accessionWorkflowId(start.number),
    taskQueue,
    args: [{ partnerNumber: start.number, policy, parties: start.agreement, partnerSignatoryRole: start.leadership.role }],
    staticSummary: accessionSummary(start.number),
    // A withdrawn or rejected organisation may try again later; never two at once.
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    typedSearchAttributes: [
      { key: PartnerNumber, value: start.number },
      { key: AccessionState, value: 'invited' },
      { key: WorkflowKind, value: 'accession' },
    ],
  });
}

export async function startLifecycle(client: Client, taskQueue: string, input: LifecycleInput): Promise<WorkflowHandle<PartnerLifecycleWorkflow>> {
  return client.workflow.start<PartnerLifecycleWorkflow>(partnerLifecycleWorkflowType, {
    workflowId: lifecycleWorkflowId(input.partnerNumber),
    taskQueue,
    args: [input],
    staticSummary: lifecycleSummary(input.partnerNumber),
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    typedSearchAttributes: [
      { key: PartnerNumber, value: input.partnerNumber },
      { key: LifecycleState, value: 'active' },
      { key: WorkflowKind, value: 'lifecycle' },
    ],
  });
}

export type ImportedLifecycles = { started: number[]; alreadyRunning: number[] };

/**
 * Partners who joined before Partnerflow (the import file's active partners with their historical
 * accession dates) get a lifecycle that waits for the next cycle: no accession workflow, no
 * welcome mail, and no back-dated reminders (milestone steps already past are skipped, not sent).
 * Safe to call again: running lifecycles are left alone.
 */
export async function startImportedPartnerLifecycles(
  client: Client,
  db: Database,
  taskQueue: string,
  milestonePolicy: MilestonePolicy = defaultMilestonePolicy,
): Promise<ImportedLifecycles> {
  const result: ImportedLifecycles = { started: [], alreadyRunning: [] };
  for (const partner of await listPartners(db)) {
    if (partner.status !== 'active' || partner.accessionDate === null) continue;
    try {
      await startLifecycle(client, taskQueue, { partnerNumber: partner.number, accessionDate: partner.accessionDate, milestonePolicy, origin: 'import' });
      result.started.push(partner.number);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      result.alreadyRunning.push(partner.number);
    }
  }
  return result;
}

/**
 * Tells each partner's lifecycle that a year's cycle is open (the cycle row must exist): each
 * lifecycle starts that partner's report as its child. Partners without a running lifecycle are
 * returned, for the caller to start their reports directly.
 */
export async function announceCycle(
  client: Client,
  partnerNumbers: number[],
  cycle: { year: number; by?: string },
): Promise<{ announced: number[]; withoutLifecycle: number[] }> {
  const result = { announced: [] as number[], withoutLifecycle: [] as number[] };
  for (const number of partnerNumbers) {
    try {
      await client.workflow.getHandle(lifecycleWorkflowId(number)).signal(cycleOpenedSignal, cycle);
      result.announced.push(number);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      result.withoutLifecycle.push(number);
    }
  }
  return result;
}

/**
 * The year's reporting cycle as its clients see it: one workflow per year (`cycle/<year>`) that
 * opens the cycle in batches, admits partners who join during it by the cycle's join rule, and
 * compiles the report on the configured date or when staff ask.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { z } from 'zod';
import type { compileCycleArgsSchema, openCycleArgsSchema, partnerJoinedArgsSchema, typesetArchiveArgsSchema } from '../../src/domain/cycle-requests';

export const cycleWorkflowType = 'cycleWorkflow';

/** One cycle workflow per reporting year. */
export function cycleWorkflowId(year: number): string {
  return `cycle/${year}`;
}

export type OpenCycleArgs = z.input<typeof openCycleArgsSchema>;
export type PartnerJoinedArgs = z.input<typeof partnerJoinedArgsSchema>;
export type CompileCycleArgs = z.input<typeof compileCycleArgsSchema>;
export type TypesetArchiveArgs = z.input<typeof typesetArchiveArgsSchema>;

/** What an opening did: reports announced to lifecycles, started directly, found started, deferred by the join rule. */
export type CycleStarts = { announced: number; startedDirectly: number; alreadyStarted: number; deferred: number };

export type CycleSweepView = { requestIds: string[]; opened: number; total: number; starts: CycleStarts; done: boolean };

export type CycleCompilationView = {
  requestId: string;
  /** 'scheduled' for the configured compile date, else the Update's. */
  trigger: 'scheduled' | 'request';
  status: 'queued' | 'compiling' | 'compiled' | 'failed';
  version?: number;
  /** The PDF and DOCX of the version, typeset after it is stored; absent in compilations that wrote them at once. */
  archive?: 'typesetting' | 'ready' | 'failed';
  /** Staff emailed (sent or already sent); absent when not asked to email. */
  emailed?: number;
  errors?: string[];
};

export type CycleJoinView = {
  partnerNumber: number;
  accessionDate: string;
  /** 'reports': this cycle's report started (due `dueDate`); 'next-year': after the cut-off. */
  decision: 'reports' | 'next-year' | 'failed';
  cutoff?: string;
  dueDate?: string;
  fromYear?: number;
  error?: string;
};

export type CycleProgressView = {
  year: number;
  /** 'opening' while a sweep over the partners runs. */
  phase: 'opening' | 'open';
  /** The last sweep (or the one running): opened n of N partners. */
  sweep?: CycleSweepView;
  /** Earlier sweeps' request ids, so a caller can tell its own finished. */
  doneRequests: string[];
  compileOn?: string;
  compilations: CycleCompilationView[];
  joins: CycleJoinView[];
  generation: number;
};

/** What a run carries into the next when its history grows long (continue-as-new). */
export type CycleCarried = {
  sweep?: CycleSweepView;
  doneRequests: string[];
  compilations: CycleCompilationView[];
  joins: CycleJoinView[];
  /** Compile dates already compiled, so a continued run does not compile the same date again. */
  compiledOn: string[];
  pendingOpen: OpenCycleArgs[];
  pendingJoins: PartnerJoinedArgs[];
  pendingCompiles: CompileCycleArgs[];
  /** Versions whose PDF and DOCX staff asked to typeset again; absent in runs carried before. */
  pendingTypesets?: TypesetArchiveArgs[];
  generation: number;
};

export type CycleWorkflowInput = {
  year: number;
  /** Partners per opening activity (default 250): small enough to heartbeat often, large enough to keep the history short. */
  batchSize?: number;
  carried?: CycleCarried;
};

export const openCycleSignal = defineSignal<[OpenCycleArgs]>('openCycle');
export const partnerJoinedSignal = defineSignal<[PartnerJoinedArgs]>('partnerJoined');
/** Accepted at once (validated synchronously); the compile runs after. Returns the request as queued. */
export const compileCycleUpdate = defineUpdate<CycleCompilationView, [CompileCycleArgs]>('compile');
/** Accepted at once; the version's PDF and DOCX are typeset after (the versions' formats show how it went). */
export const typesetArchiveUpdate = defineUpdate<{ version: number; status: 'queued' }, [TypesetArchiveArgs]>('typesetArchive');
export const cycleProgressQuery = defineQuery<CycleProgressView>('progress');

export type CycleWorkflow = (input: CycleWorkflowInput) => Promise<CycleProgressView>;

// Every workflow the worker hosts. Workflow files hold deterministic orchestration only.
//
// Each workflow's module (and what it imports) is evaluated when a workflow of that type starts,
// not when any workflow starts: the SDK evaluates this file once per workflow it caches, and
// importing all of them here made every annual report build the accession's and the lifecycle's
// schemas too. webpack resolves each `require` at bundle time and evaluates it on first call; the
// call is synchronous, so a workflow still registers its handlers in its first synchronous step.
// The exported names are the workflow types, as before.
/* eslint-disable no-restricted-globals -- webpack's require, resolved when the bundle is built */
import type * as AnnualReport from './annual-report';
import type * as SystemCheck from './system-check';
import type * as Accession from './accession';
import type * as PartnerLifecycle from './partner-lifecycle';
import type * as NoticeResend from './notice-resend';
import type * as Cycle from './cycle';

export const annualReportWorkflow: typeof AnnualReport.annualReportWorkflow = (...args) =>
  (require('./annual-report') as typeof AnnualReport).annualReportWorkflow(...args);

export const systemCheckWorkflow: typeof SystemCheck.systemCheckWorkflow = (...args) =>
  (require('./system-check') as typeof SystemCheck).systemCheckWorkflow(...args);

export const accessionWorkflow: typeof Accession.accessionWorkflow = (...args) =>
  (require('./accession') as typeof Accession).accessionWorkflow(...args);

export const partnerLifecycleWorkflow: typeof PartnerLifecycle.partnerLifecycleWorkflow = (...args) =>
  (require('./partner-lifecycle') as typeof PartnerLifecycle).partnerLifecycleWorkflow(...args);

export const noticeResendWorkflow: typeof NoticeResend.noticeResendWorkflow = (...args) =>
  (require('./notice-resend') as typeof NoticeResend).noticeResendWorkflow(...args);

export const cycleWorkflow: typeof Cycle.cycleWorkflow = (...args) =>
  (require('./cycle') as typeof Cycle).cycleWorkflow(...args);

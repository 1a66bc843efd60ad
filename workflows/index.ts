// Every workflow the worker hosts. Workflow files hold deterministic orchestration only.
export { annualReportWorkflow } from './annual-report';
export { systemCheckWorkflow } from './system-check';
export { accessionWorkflow } from './accession';
export { partnerLifecycleWorkflow } from './partner-lifecycle';
export { cycleWorkflow } from './cycle';

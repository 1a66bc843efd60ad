/**
 * Loaded (`--require`) into the SDK's workflow threads only, when WORKER_STACK_TRACES is off
 * (workflow-threads.ts): the SDK's promise hook is never installed. For the "Call Stack" view
 * (the `__stack_trace` query), the SDK hooks every promise a workflow creates: it builds an Error,
 * formats its stack through the bundle's source map and keeps it until the promise settles. At a
 * thousand report starts that was about 40 % of the workflow thread's busy time, and each cached
 * workflow held the stacks of its pending promises. Without the hook the SDK itself answers the
 * query with "Workflow stack traces are not enabled on this worker"; histories, replay and every
 * other query are unchanged.
 * Plain CommonJS, because `--require` is the preload that Node runs in worker threads too.
 */
'use strict';
// The same module the SDK's workflow thread loads next (resolved from this file, inside the project).
const { GlobalHandlers } = require('@temporalio/worker/lib/workflow/vm-shared');

GlobalHandlers.prototype.setPromiseHook = function setPromiseHook() {
  // Left out on purpose: promiseHookInstalled stays false, so the SDK reports stack traces as disabled.
};

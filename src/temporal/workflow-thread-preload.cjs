/**
 * Loaded (`--require`) into the SDK's workflow threads only (workflow-threads.ts): every entry into
 * a workflow's V8 context drops the `timeout` the SDK gives it. Node enforces a vm timeout with a
 * watchdog that starts and joins an OS thread with its own event loop on every call
 * (nodejs/node#47739), and the SDK enters the context several times per activation; that cost was
 * half of the workflow thread's busy time at a thousand report starts (docs/performance.md, "Workflow threads").
 * Plain CommonJS, because `--require` is the preload that Node runs in worker threads too.
 */
'use strict';
const vm = require('node:vm');

const marker = Symbol.for('partnerflow.workflowEntriesWithoutTimeout');
if (!globalThis[marker]) {
  globalThis[marker] = true;
  const withoutTimeout = (options) => {
    if (options === null || typeof options !== 'object' || options.timeout === undefined) return options;
    const { timeout: _dropped, ...rest } = options;
    return rest;
  };
  const runScript = vm.Script.prototype.runInContext;
  vm.Script.prototype.runInContext = function runInContext(context, options) {
    return runScript.call(this, context, withoutTimeout(options));
  };
  const runCode = vm.runInContext;
  vm.runInContext = function runInContextCode(code, context, options) {
    return runCode.call(this, code, context, withoutTimeout(options));
  };
}

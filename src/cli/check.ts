import type { ApplicationFailure } from '@temporalio/client';
import type { Command } from 'commander';
import { systemCheckWorkflowId } from '../temporal/workflow-ids';
import { CliError, printJson } from './output';
import { cliConfig, withTemporal } from './runtime';

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('run the system-check workflow: worker, database and SMTP, end to end')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = cliConfig();
      // Loaded here, not at the top: `partnerflow --help` must not pay for the Temporal client.
      const { ApplicationFailure: Failure, WorkflowFailedError } = await import('@temporalio/client');
      await withTemporal(config, async (client) => {
        const workflowId = systemCheckWorkflowId(new Date());
        const result = await client.workflow
          .execute('systemCheckWorkflow', {
            workflowId,
            taskQueue: config.temporal.taskQueue,
            workflowExecutionTimeout: '2 minutes',
          })
          .catch((error: unknown) => {
            // What failed at the bottom (e.g. "SMTP_USER/SMTP_PASSWORD: the SMTP server refused the login"), not the wrappers.
            if (error instanceof WorkflowFailedError) throw new CliError([`System check ${workflowId} failed: ${rootCause(error, Failure)} (see: partnerflow history ${workflowId})`]);
            throw error;
          });
        if (options.json) printJson({ workflowId, ...result });
        else process.stdout.write(`System check ${workflowId} completed: ${JSON.stringify(result)}\nSee: partnerflow history ${workflowId}\n`);
      });
    });
}

/** The first error our own code threw (the activity's, e.g. a configuration error); its causes are the driver's words for it. */
function rootCause(error: Error, failure: typeof ApplicationFailure): string {
  let cause = error;
  while (!(cause instanceof failure) && cause.cause instanceof Error) cause = cause.cause;
  return cause.message;
}

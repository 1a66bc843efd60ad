import type { Command } from 'commander';
import { systemCheckWorkflowId } from '../temporal/workflow-ids';
import { printJson } from './output';
import { cliConfig, withTemporal } from './runtime';

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('run the system-check workflow: worker, database and SMTP, end to end')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = cliConfig();
      await withTemporal(config, async (client) => {
        const workflowId = systemCheckWorkflowId(new Date());
        const result = await client.workflow.execute('systemCheckWorkflow', {
          workflowId,
          taskQueue: config.temporal.taskQueue,
          workflowExecutionTimeout: '2 minutes',
        });
        if (options.json) printJson({ workflowId, ...result });
        else process.stdout.write(`System check ${workflowId} completed: ${JSON.stringify(result)}\nSee: partnerflow history ${workflowId}\n`);
      });
    });
}

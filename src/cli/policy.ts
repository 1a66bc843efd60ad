import type { Command } from 'commander';
import { printJson } from './output';

export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').description('reminder policies: check one before a cycle uses it');

  policy
    .command('check')
    .description('refuse a policy that cannot work (naming the step and why); warn about steps the calendar drops for some due dates')
    .argument('<file>', 'a reporting policy as JSON, as `report open --policy` takes it')
    .option('--json', 'print JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      // Loaded here, not at start: planning pulls in the holiday tables.
      const { readPolicy } = await import('./files');
      const { reviewReportingPolicy } = await import('../domain/policy-review');
      const parsed = await readPolicy(file);
      const warnings = reviewReportingPolicy(parsed);
      if (options.json) {
        printJson({ file, valid: true, warnings });
        return;
      }
      process.stdout.write(`${file}: a valid policy (${parsed.deadline.steps.length} steps, revision ${parsed.revision.deadline.steps.length})\n`);
      for (const warning of warnings) process.stdout.write(`warning: ${warning}\n`);
    });
}

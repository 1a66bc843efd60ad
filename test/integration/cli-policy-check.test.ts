/** `partnerflow policy check FILE`: the CLI refuses a policy that cannot work, naming the step; nothing else is needed. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

async function policyCheck(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/partnerflow.js', 'policy', 'check', file], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? -1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

describe('partnerflow policy check', () => {
  it.each([
    ['no-steps.json', /deadline\.steps: a policy needs at least one step/],
    ['reminder-before-invitation.json', /deadline\.steps\[1\] \(reminder-4w\): a reminder at "before P4W" would come before \(or with\) the invitation "invitation"/],
    ['never-sent.json', /deadline\.steps\[1\] \(overdue-hourly\): can never be sent \(for a due date of 2031-06-02: repetition stops once "escalation" is due/],
  ])('refuses %s with the step named', async (file, message) => {
    const result = await policyCheck(`test/fixtures/policies/${file}`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`test/fixtures/policies/${file} is not a valid policy:`);
    expect(result.stderr).toMatch(message);
  }, 60_000);

  it('accepts a policy that works and warns where the calendar drops a step for some due dates', async () => {
    const result = await policyCheck('test/fixtures/policies/drops-for-some-due-dates.json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('a valid policy');
    expect(result.stdout).toMatch(/warning: deadline\.steps\[1\] \(overdue-daily\): dropped for \d+ of 365 due dates in 2031, e\.g\. due 2031-/);
  }, 60_000);
});

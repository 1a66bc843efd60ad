/**
 * The running system from the outside: the dev stack (embedded PostgreSQL, the Temporal dev server,
 * the mail catcher, the worker) and the `partnerflow` command line as a person would type it.
 */
import '../support/quiet-temporal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caughtMailOf, eventually, partnerflowOn, startCliStack, type CliStack } from '../support/cli-on-stack';

let on: CliStack;

const partnerflow = (...args: string[]) => partnerflowOn(on.stack, ...args);
const caughtMail = () => caughtMailOf(on.stack);

beforeAll(async () => {
  on = await startCliStack('cli');
}, 240_000);

afterAll(async () => {
  await on?.stop();
}, 60_000);

describe('partnerflow on the running stack', () => {
  it('runs the system check workflow and prints its history as a timeline', async () => {
    const check = await partnerflow('check', '--json');
    expect(check.stderr).toBe('');
    const result = JSON.parse(check.stdout) as { workflowId: string; partners: number; smtp: string; database: string; documents: string };
    expect(result).toMatchObject({ partners: 28, database: expect.stringMatching(/^PostgreSQL 18/), documents: expect.stringMatching(/^documents worker on .+: 4 fonts, .+ writable$/) });

    const history = await partnerflow('history', result.workflowId);
    expect(history.code).toBe(0);
    const lines = history.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT.*WorkflowExecutionStarted\s+workflow=systemCheckWorkflow/);
    expect(history.stdout).toMatch(/ActivityTaskScheduled\s+activity=checkSystem/);
    expect(history.stdout).toMatch(/ActivityTaskScheduled\s+activity=checkDocuments/);
    expect(lines.at(-1)).toMatch(/WorkflowExecutionCompleted\s+result=\{"database":"PostgreSQL 18/);
  });

  it('lists the demo partners and refuses a bad import without changing anything', async () => {
    const list = await partnerflow('partners', 'list', '--json');
    const partners = JSON.parse(list.stdout) as { number: number; name: string }[];
    expect(partners).toHaveLength(28);
    expect(partners[0]).toMatchObject({ number: 1, name: 'Bezirksregierung Arnsberg' });

    const bad = await partnerflow('partners', 'import', 'test/fixtures/partners/bad.csv');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/nothing imported/);
    expect(bad.stderr).toMatch(/line \d+, field \w+: /);
    expect(JSON.parse((await partnerflow('partners', 'list', '--json')).stdout)).toHaveLength(28);
  });

  it('opens a reporting year, previews, takes a submission and reports the status', async () => {
    const open = await partnerflow('report', 'open', '--year', '2031', '--due-date', '2031-03-31');
    expect(open.stderr).toBe('');
    expect(open.stdout).toContain('started 28 workflow(s) directly');

    // Due Mon 31.03.2031; escalation 1 falls on Easter Monday (14.04.) and moves to Tuesday 08:00.
    const preview = await partnerflow('report', 'preview', '--partner', '2', '--year', '2031', '--json');
    const rows = (JSON.parse(preview.stdout) as { rows: { sendAt: string; step: string }[] }).rows;
    expect(rows.map((row) => `${row.step} ${row.sendAt}`)).toEqual([
      'invitation 2031-02-17 09:00 (Mon)',
      'reminder-2w 2031-03-17 09:00 (Mon)',
      'reminder-3d 2031-03-28 09:00 (Fri)',
      'overdue 2031-04-01 09:00 (Tue)',
      'escalation-1-partner 2031-04-15 08:00 (Tue)',
      'escalation-1-ministry 2031-04-15 08:00 (Tue)',
      'escalation-2-ministry 2031-04-28 09:00 (Mon)',
      'escalation-2-partner 2031-04-28 09:00 (Mon)',
    ]);

    const invalid = await partnerflow('report', 'submit', '--partner', '2', '--year', '2031', '--file', 'test/fixtures/reports/invalid-measure-status.json');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/is not a valid report:\n\s+sections\[\d\]\.blocks\[\d\]\.status: /);

    const submitted = await partnerflow('report', 'submit', '--partner', '2', '--year', '2031', '--file', 'test/fixtures/reports/02-kreis-lippe.json');
    expect(submitted.stderr).toBe('');
    expect(submitted.stdout).toMatch(/^Received: reference JB-2031-02-V1, version 1, at \d{4}-/);

    const mail = await eventually(caughtMail, (messages) => messages.length > 0);
    expect(mail).toEqual([
      expect.objectContaining({
        envelope: expect.objectContaining({ to: ['ikoe@kreis-lippe.example'] }),
        subject: 'Eingangsbestätigung: Jahresbericht 2031 (Referenznummer JB-2031-02-V1)',
      }),
    ]);

    const status = JSON.parse((await partnerflow('report', 'status', '--year', '2031', '--json')).stdout) as {
      partner: number;
      phase: string;
      versions: number;
      nextStep?: { stepId: string };
    }[];
    expect(status).toHaveLength(28);
    expect(status.find((row) => row.partner === 2)).toMatchObject({ phase: 'submitted', versions: 1 });
    expect(status.find((row) => row.partner === 1)).toMatchObject({ phase: 'awaiting_submission', nextStep: { stepId: 'invitation' } });

    const listed = await eventually(
      async () => JSON.parse((await partnerflow('workflows', 'list', '--year', '2031', '--phase', 'submitted', '--json')).stdout) as { workflowId: string }[],
      (rows) => rows.length === 1,
    );
    expect(listed.map((row) => row.workflowId)).toEqual(['annual-report/2/2031']);

    const accepted = await partnerflow('report', 'accept', '--partner', '2', '--year', '2031', '--by', 'Miriam Hoffmann');
    expect(accepted.stdout).toMatch(/Kreis Lippe 2031: accepted/);
    const history = await partnerflow('history', 'annual-report/2/2031');
    expect(history.stdout).toMatch(/WorkflowExecutionUpdateAccepted\s+update=submitReport/);
    expect(history.stdout).toMatch(/WorkflowExecutionUpdateAccepted\s+update=acceptReport/);
  });

  it('keeps closed workflows for the configured retention and purges nothing that is young', async () => {
    const namespace = await partnerflow('retention', 'namespace');
    expect(namespace.stderr).toBe('');
    expect(namespace.stdout).toBe(`Namespace ${on.stack.config.temporal.namespace} keeps closed workflows for 30 day(s).\n`);
    const purge = await partnerflow('retention', 'purge', '--json');
    expect(JSON.parse(purge.stdout)).toMatchObject({ emailsDeleted: 0, versionsErased: 0 });
  });

  it('keeps an agreed later due date for one partner and starts its workflow with it', async () => {
    expect((await partnerflow('report', 'open', '--year', '2032', '--due-date', '2032-03-31', '--no-start')).code).toBe(0);
    const override = await partnerflow('report', 'override', '--partner', '3', '--year', '2032', '--due-date', '2032-04-30', '--reason', 'Umstrukturierung');
    expect(override.stderr).toBe('');
    const preview = JSON.parse((await partnerflow('report', 'preview', '--partner', '3', '--year', '2032', '--json')).stdout) as {
      dueDate: string;
      rows: { sendAt: string }[];
    };
    expect(preview.dueDate).toBe('2032-04-30');
    expect(preview.rows[0]?.sendAt).toBe('2032-03-19 09:00 (Fri)');

    expect((await partnerflow('report', 'start', '--partner', '3', '--year', '2032')).stdout).toContain('Started annual-report/3/2032');
    const status = await eventually(
      async () => JSON.parse((await partnerflow('report', 'status', '--year', '2032', '--json')).stdout) as { partner: number; dueAt?: string }[],
      (rows) => rows.find((row) => row.partner === 3)?.dueAt !== undefined,
    );
    expect(status.find((row) => row.partner === 3)?.dueAt).toBe('2032-04-30T21:59:59.999Z');

    const refused = await partnerflow('report', 'override', '--partner', '1', '--year', '2031', '--due-date', '2031-05-30', '--reason', 'zu spät');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('annual-report/1/2031 is already running');
  });

  it('refuses a policy that cannot work, naming the step and why, and stores nothing', async () => {
    const result = await partnerflow('report', 'open', '--year', '2033', '--due-date', '2033-03-31', '--policy', 'test/fixtures/policies/reminder-after-due-date.json');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is not a valid policy:\n\s+deadline\.steps\[2\] \(reminder-late\): .*before the due date/);
    const preview = await partnerflow('report', 'preview', '--partner', '2', '--year', '2033');
    expect(preview.stderr).toContain('--year: no reporting cycle for 2033');
  });

  it('names the field and the reason for bad options', async () => {
    const result = await partnerflow('report', 'status', '--year', 'twenty');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--year: must be a whole number, got "twenty"');
  });
});

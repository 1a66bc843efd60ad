/**
 * Accession from the outside: the dev stack and the `partnerflow accession` commands as staff would
 * type them, from the organisation file to the signed agreement and the partner's lifecycle.
 */
import '../support/quiet-temporal';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caughtMailOf, eventually, partnerflowOn, startCliStack, type CliStack } from '../support/cli-on-stack';

let on: CliStack;

const partnerflow = (...args: string[]) => partnerflowOn(on.stack, ...args);
const caughtMail = () => caughtMailOf(on.stack);

beforeAll(async () => {
  on = await startCliStack('accession');
}, 240_000);

afterAll(async () => {
  await on?.stop();
}, 60_000);

describe('partnerflow accession on the running stack', () => {
  it('gives the 28 demo partners their lifecycles, then takes a new organisation from its file to an active partner', async () => {
    const lifecycles = await partnerflow('partners', 'start-lifecycles');
    expect(lifecycles.stderr).toBe('');
    expect(lifecycles.stdout).toContain('Started 28 lifecycle(s); 0 already running.');
    const listed = await eventually(
      async () => JSON.parse((await partnerflow('workflows', 'list', '--type', 'lifecycle', '--status', 'Running', '--json')).stdout) as { workflowId: string }[],
      (rows) => rows.length === 28,
    );
    expect(listed).toHaveLength(28);

    const org = join(on.dataDir, 'org.json');
    writeFileSync(
      org,
      JSON.stringify({
        number: 29,
        name: 'Rhein-Sieg-Kreis',
        kind: 'district',
        mainContact: { name: 'Sabine Görres', email: 'ikoe@rhein-sieg-kreis.example' },
        leadership: { name: 'Sebastian Schuster', email: 'landrat@rhein-sieg-kreis.example', role: 'Landrat' },
        caseworker: 'miriam.hoffmann@ministerium.example.org',
        agreement: {
          ministry: 'Ministerium für Kinder, Familie, Flüchtlinge und Integration des Landes Nordrhein-Westfalen',
          initiative: '„Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“',
          ministrySignatory: { name: 'Serap Güler', role: 'Staatssekretärin für Integration' },
        },
      }),
    );
    const bad = join(on.dataDir, 'bad-org.json');
    writeFileSync(bad, JSON.stringify({ number: 30, name: 'X', kind: 'castle' }));
    const refused = await partnerflow('accession', 'start', '--file', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is not a valid organisation:\n\s+kind: must be one of/);

    const started = await partnerflow('accession', 'start', '--file', org);
    expect(started.stderr).toBe('');
    expect(started.stdout).toContain('Started accession/29');
    const statusOf = async () => JSON.parse((await partnerflow('accession', 'status', '29', '--json')).stdout) as { phase: string; accessionDate?: string };
    expect((await statusOf()).phase).toBe('invited');

    const declaration = 'test/fixtures/declarations/rhein-sieg.json';
    expect((await partnerflow('accession', 'submit', '29', '--file', declaration)).stdout).toMatch(/^Received: version 1/);
    const early = await partnerflow('accession', 'sign', '29', '--party', 'partner', '--signer', 'Sebastian Schuster', '--role', 'Landrat');
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('state: cannot record a signature while the accession is declaration_submitted');
    expect((await partnerflow('accession', 'review', '29', '--request-changes', 'Bitte Termine ergänzen.', '--by', 'Miriam Hoffmann')).stdout).toContain('changes_requested');
    expect((await partnerflow('accession', 'submit', '29', '--file', declaration)).stdout).toMatch(/^Received: version 2/);
    expect((await partnerflow('accession', 'review', '29', '--accept', '--by', 'Miriam Hoffmann')).stdout).toContain('awaiting_signatures');
    await partnerflow('accession', 'sign', '29', '--party', 'ministry', '--signer', 'Serap Güler', '--role', 'Staatssekretärin für Integration', '--date', '2026-01-05');
    const signed = await partnerflow('accession', 'sign', '29', '--party', 'partner', '--signer', 'Sebastian Schuster', '--role', 'Landrat', '--date', '2026-01-07');
    expect(signed.stderr).toBe('');
    expect(await statusOf()).toMatchObject({ phase: 'completed', accessionDate: '2026-01-07' });

    const milestones = await eventually(
      async () => {
        const result = await partnerflow('partners', 'milestones', '29', '--json');
        return result.code === 0 ? (JSON.parse(result.stdout) as { id: string; due: string }[]) : [];
      },
      (rows) => rows.length === 5,
    );
    expect(milestones.map((m) => `${m.id}: ${m.due}`)).toEqual([
      'RSK-1/1: ab 2018',
      'RSK-2/1: ab 2018',
      'RSK-4/1: bis Frühjahr 2018',
      'RSK-5/1: im September 2018',
      'RSK-6/1: ab Herbst 2018',
    ]);
    const delayed = await partnerflow('partners', 'milestone-answer', '29', 'RSK-6/1', '--delayed', '2030-11-15', '--new-due-text', 'bis Mitte November 2030');
    expect(delayed.stderr).toBe('');
    // Four weeks before the new date, at 09:00 in Berlin (CEST until 27.10.2030).
    expect(delayed.stdout).toBe('RSK-6/1: delayed, next request 2030-10-18T07:00:00.000Z\n');
    const unknown = await partnerflow('partners', 'milestone-answer', '29', 'RSK-9/1', '--reached');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^milestoneId: the partner declared no milestone "RSK-9\/1"/);

    const mail = await eventually(caughtMail, (messages) => messages.some((m) => m.subject.startsWith('Willkommen')));
    expect(mail.map((m) => m.subject)).toContain('Eingangsbestätigung: Ihre Absichtserklärung (Fassung 2)');
    expect(mail.filter((m) => m.subject.startsWith('Willkommen')).map((m) => m.envelope.to[0]).sort()).toEqual([
      'ikoe@rhein-sieg-kreis.example',
      'landrat@rhein-sieg-kreis.example',
    ]);
  }, 300_000);
});

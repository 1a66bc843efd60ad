/**
 * Organisations joining the network, told on real parts: the time-skipping Temporal test server,
 * PostgreSQL and SMTP. Accessions start on Tuesday 04.05.2027 at 11:00 CEST, clear of the NRW
 * holidays of May and June, so every notice of the default policy falls on its planned day.
 */
import { writeFile } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  accessions,
  agreements,
  declarationMeasures,
  declarationMilestones,
  declarations,
  declarationVersions,
  organisations,
  signatures,
} from '../../src/db/schema';
import type { AccessionStart } from '../../src/domain/accession';
import { parseAccessionPolicy } from '../../src/domain/accession-policy';
import { defaultAccessionPolicy, defaultAccessionPolicyInput } from '../../src/domain/default-policy';
import { startAccession } from '../../src/temporal/accession-client';
import {
  acceptDeclarationUpdate,
  accessionStatusQuery,
  accessionTimelineQuery,
  endAccessionUpdate,
  requestDeclarationChangesUpdate,
  saveDeclarationDraftUpdate,
  setAccessionDateUpdate,
  signAgreementUpdate,
  submitDeclarationUpdate,
  type AccessionWorkflow,
} from '../../workflows/contracts/accession';
import { lifecycleStatusQuery, lifecycleWorkflowId } from '../../workflows/contracts/lifecycle';
import { accessionStart, agreementParties } from '../support/accession-start';
import { auditActionsOf } from '../support/audit';
import { caseworker, createReportingWorld, headOfUnit, ledgerRows, type ReportingWorld } from '../support/reporting-world';
import { answeredWithin, isIdle, keepHistory, sendDelays, sentSteps, sleepUntil, untilClosed, untilIdle } from '../support/workflow-story';

const declarationsDir = join(import.meta.dirname, '..', 'fixtures', 'declarations');
const readDeclaration = async (name: string): Promise<unknown> => JSON.parse(await readFile(join(declarationsDir, `${name}.json`), 'utf8'));

const rheinSieg = accessionStart({
  number: 20,
  name: 'Rhein-Sieg-Kreis',
  kind: 'district',
  leadership: { name: 'Sebastian Schuster', role: 'Landrat' },
});
// Its signatory reads English.
const solingen = accessionStart({ number: 21, name: 'Stadt Solingen', leadership: { language: 'en' } });

// The accession starts Tue 04.05.2027, 11:00 CEST; its declaration is due eight weeks later, Tue 29.06.2027.
const start = '2027-05-04T09:00:00.000Z';
const reminder4w = '2027-06-01T07:00:00.000Z'; // Tue 01.06. 09:00 CEST, four weeks in
const overdueCaseworker = '2027-06-30T07:00:00.000Z'; // Wed 30.06. 09:00 CEST, the working day after
const escalationHeadOfUnit = '2027-07-13T07:00:00.000Z'; // Tue 13.07. 09:00 CEST, two weeks after

let world: ReportingWorld;

beforeEach(async () => {
  world = await createReportingWorld();
  await sleepUntil(world, start);
});

afterEach(async () => {
  await world.teardown();
});

const begin = (organisation: AccessionStart, policy = defaultAccessionPolicy) =>
  startAccession(world.env.client, world.database.db, world.taskQueue, organisation, policy);

/** Polls until `probe` answers; wall time, generous, since a loaded machine may take many seconds per workflow task. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await probe();
    if (answer !== undefined) return answer;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Until the workflow has loaded its organisation and sent what its start sends (the invitation). */
const loaded = async (handle: WorkflowHandle<AccessionWorkflow>) => {
  const status = await eventually(`${handle.workflowId} did not load`, async () => {
    const status = await handle.query(accessionStatusQuery);
    return status.partnerName !== '' ? status : undefined;
  });
  await untilIdle(handle);
  return status;
};

/** Until the workflow has the result of the agreement's mail, and nothing is in flight. */
const agreementSent = async (handle: WorkflowHandle<AccessionWorkflow>) => {
  await eventually(`${handle.workflowId} did not send the agreement`, async () =>
    (await handle.query(accessionTimelineQuery)).find(
      (entry) => entry.kind === 'deadline' && entry.round === 'signature' && entry.stepId === 'agreement-sent' && entry.deliveries !== undefined,
    ),
  );
  await untilIdle(handle);
};

/** An Update of the story; a hang fails it with what the workflow was doing (see answeredWithin). */
function decide<Ret, Args extends [unknown, ...unknown[]]>(handle: WorkflowHandle<AccessionWorkflow>, update: UpdateDefinition<Ret, Args>, options: { args: Args }): Promise<Ret> {
  return answeredWithin(handle, `the Update ${update.name}`, handle.executeUpdate(update, options));
}

const auditActions = (partnerNumber: number) => auditActionsOf(world.database.db, 'accession', String(partnerNumber));

async function organisationRow(number: number) {
  const [row] = await world.database.db.select().from(organisations).where(eq(organisations.number, number));
  return row;
}

async function updateError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return (error as WorkflowUpdateFailedError).cause?.message ?? '';
}

describe('an organisation that never sends its declaration', () => {
  it('is invited, reminded after four weeks, its caseworker told after eight and the head of unit two weeks later, each at 09:00 local time; then it withdraws', async () => {
    await world.withWorker(async () => {
      const handle = await begin(rheinSieg);
      await loaded(handle);
      await world.mail.waitForCount(1);
      expect((await handle.query(accessionStatusQuery)).nextStep).toEqual({
        stepId: 'reminder-4w',
        template: 'declaration-reminder',
        sendAt: reminder4w,
        recipients: ['partner_main_contact'],
      });
      await sleepUntil(world, '2027-07-20T10:00:00Z');
      await world.mail.waitForCount(4);

      const timeline = await handle.query(accessionTimelineQuery);
      expect(sentSteps(timeline)).toEqual([
        // Planned for 09:00 on the day it started, two hours before: sent at once (it carries the form link).
        { template: 'declaration-invitation', plannedFor: '2027-05-04T07:00:00.000Z', recipients: ['partner_main_contact'] },
        { template: 'declaration-reminder', plannedFor: reminder4w, recipients: ['partner_main_contact'] },
        { template: 'declaration-overdue-ministry', plannedFor: overdueCaseworker, recipients: ['ministry_caseworker'] },
        { template: 'declaration-overdue-ministry', plannedFor: escalationHeadOfUnit, recipients: ['head_of_unit'] },
      ]);
      // All but the late invitation went out at their planned moment.
      expect(sendDelays(timeline).slice(1).every((delay) => delay >= 0 && delay < 1000)).toBe(true);
      expect(await handle.query(accessionStatusQuery)).toMatchObject({ phase: 'invited', escalationLevel: 1 });

      // Invalid input changes nothing: a submission without measures is refused field by field.
      const refusal = await updateError(decide(handle, submitDeclarationUpdate, { args: [{ declaration: { preamble: 'Wir machen mit.' } }] }));
      expect(refusal).toContain('measures');
      expect((await handle.query(accessionStatusQuery)).versions).toEqual([]);

      const ended = await decide(handle, endAccessionUpdate, {
        args: [{ outcome: 'withdrawn', by: 'Jana Becker', reason: 'Der Kreistag hat den Beitritt vertagt.' }],
      });
      expect(ended).toMatchObject({ phase: 'withdrawn', endReason: 'Der Kreistag hat den Beitritt vertagt.', dueAt: '' });
      await world.mail.waitForCount(6);
      expect((await handle.result()).phase).toBe('withdrawn');
      await keepHistory('accession-withdrawn-after-escalation', handle);
    });

    expect(world.sentTo(rheinSieg.mainContact.email)).toEqual([
      'Beitritt zum Partnernetzwerk: Ihre Absichtserklärung – bitte bis 29.06.2027 einreichen',
      'Erinnerung: Ihre Absichtserklärung zum Beitritt – bis 29.06.2027',
      'Ihr Beitritt zum Partnernetzwerk ist beendet',
    ]);
    expect(world.sentTo(caseworker.email)).toEqual([
      'Beitritt: Absichtserklärung ausstehend – Rhein-Sieg-Kreis',
      'Ihr Beitritt zum Partnernetzwerk ist beendet',
    ]);
    expect(world.sentTo(headOfUnit.email)).toEqual(['Beitritt: Absichtserklärung ausstehend – Rhein-Sieg-Kreis']);
    const invitation = world.mail.messages[0];
    expect(invitation?.text).toMatch(/\/link\/[A-Za-z0-9_-]{43}\n/); // a personal link to the declaration form
    const ics = invitation?.attachments.find((a) => a.contentType.startsWith('text/calendar'));
    expect(ics?.content.toString('utf8')).toContain('DTSTART;VALUE=DATE:20270629');

    const ledger = await ledgerRows(world);
    expect(ledger).toHaveLength(6);
    expect(ledger.every((row) => row.status === 'sent')).toBe(true);
    expect(await auditActions(20)).toEqual([
      'started',
      'invitation-planned',
      'declaration-overdue',
      'declaration-escalated',
      'withdrawn',
    ]);
    const [accession] = await world.database.db.select().from(accessions);
    expect(accession).toMatchObject({ status: 'withdrawn', phase: 'withdrawn', endReason: 'Der Kreistag hat den Beitritt vertagt.' });
    expect(await organisationRow(20)).toMatchObject({ status: 'prospect', accessionDate: null });
  });
});

describe('a whole accession', () => {
  it('takes a draft, a revision loop, the agreement, the partner signing first, the welcome, and starts the lifecycle', async () => {
    const declaration = await readDeclaration('rhein-sieg');
    await world.withWorker(async () => {
      const handle = await begin(rheinSieg);
      await loaded(handle);
      await sleepUntil(world, '2027-05-10T12:00:00Z');
      const draft = await decide(handle, saveDeclarationDraftUpdate, { args: [{ draft: { preamble: 'Entwurf' } }] });
      expect(draft.savedAt).toMatch(/^2027-05-10T12:00/);

      const first = await decide(handle, submitDeclarationUpdate, { args: [{ declaration, submittedBy: 'Sabine Görres' }] });
      expect(first).toEqual({ version: 1, submittedAt: expect.stringMatching(/^2027-05-10T12:00/) });
      // Accepting twice, or signing before acceptance, is refused by the validators.
      expect(await updateError(decide(handle, signAgreementUpdate, { args: [{ party: 'partner', signer: 'X', role: 'Y' }] }))).toBe(
        'state: cannot record a signature while the accession is declaration_submitted',
      );

      await sleepUntil(world, '2027-05-12T08:00:00Z');
      const requested = await decide(handle, requestDeclarationChangesUpdate, {
        args: [{ by: 'Jana Becker', comments: 'Bitte ergänzen Sie zu RSK-6 einen Meilenstein mit Termin.' }],
      });
      // A revision gets four weeks: due Wed 09.06.2027; its reminder a week before.
      expect(requested).toMatchObject({ phase: 'changes_requested', round: 'revision-1', dueAt: '2027-06-09T21:59:59.999Z' });
      expect(requested.nextStep).toMatchObject({ stepId: 'revision-reminder', sendAt: '2027-06-02T07:00:00.000Z' });

      await sleepUntil(world, '2027-06-03T10:00:00Z');
      const second = await decide(handle, submitDeclarationUpdate, { args: [{ declaration, submittedBy: 'Sabine Görres' }] });
      expect(second.version).toBe(2);
      const accepted = await decide(handle, acceptDeclarationUpdate, { args: [{ by: 'Jana Becker' }] });
      // The agreement is due six weeks after it is sent; the signatory is reminded after three.
      expect(accepted).toMatchObject({ phase: 'awaiting_signatures', round: 'signature', dueAt: '2027-07-15T21:59:59.999Z' });
      expect(accepted.nextStep).toMatchObject({ stepId: 'reminder-3w', sendAt: '2027-06-24T07:00:00.000Z', recipients: ['partner_leadership'] });

      await sleepUntil(world, '2027-06-28T10:00:00Z');
      await decide(handle, signAgreementUpdate, {
        args: [{ party: 'partner', signer: 'Sebastian Schuster', role: 'Landrat', date: '2027-06-25' }],
      });
      expect(await updateError(decide(handle, signAgreementUpdate, { args: [{ party: 'partner', signer: 'X', role: 'Y' }] }))).toBe(
        'state: the partner side has already signed',
      );
      await sleepUntil(world, '2027-07-20T10:00:00Z');
      const done = await decide(handle, signAgreementUpdate, {
        args: [{ party: 'ministry', signer: 'Serap Güler', role: 'Staatssekretärin für Integration', date: '2027-07-19', by: 'Jana Becker' }],
      });
      expect(done).toMatchObject({ phase: 'completed', accessionDate: '2027-07-19' });
      // Not handle.result() (untilClosed says why): the lifecycle would turn its year before it is read.
      expect(await untilClosed(handle)).toBe('COMPLETED');
      expect((await handle.query(accessionStatusQuery)).phase).toBe('completed');
      await keepHistory('accession-revision-loop-partner-first', handle);

      const lifecycle = world.env.client.workflow.getHandle(lifecycleWorkflowId(20));
      let status = await lifecycle.query(lifecycleStatusQuery);
      for (let attempt = 0; attempt < 50 && status.partnerName === ''; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = await lifecycle.query(lifecycleStatusQuery);
      }
      expect(status).toMatchObject({ phase: 'active', accessionDate: '2027-07-19', origin: 'accession', generation: 1 });
      expect(status.milestones.map((m) => `${m.id} ${m.dueDate} ${m.dueText}`)).toEqual([
        'RSK-1/1 2018-01-01 ab 2018',
        'RSK-2/1 2018-01-01 ab 2018',
        'RSK-4/1 2018-05-31 bis Frühjahr 2018',
        'RSK-5/1 2018-09-30 im September 2018',
        'RSK-6/1 2018-09-01 ab Herbst 2018',
      ]);
      await world.mail.waitForCount(11);
    });

    const main = rheinSieg.mainContact.email;
    const landrat = rheinSieg.leadership.email;
    expect(world.sentTo(main)).toEqual([
      'Beitritt zum Partnernetzwerk: Ihre Absichtserklärung – bitte bis 29.06.2027 einreichen',
      'Eingangsbestätigung: Ihre Absichtserklärung (Fassung 1)',
      'Ihre Absichtserklärung: bitte überarbeiten bis 09.06.2027',
      'Erinnerung: Ihre Absichtserklärung zum Beitritt – bis 09.06.2027',
      'Eingangsbestätigung: Ihre Absichtserklärung (Fassung 2)',
      'Ihre Partnervereinbarung zur Unterzeichnung – bis 15.07.2027',
      'Willkommen im Partnernetzwerk „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“',
    ]);
    // The signatory gets the agreement and the reminder after three weeks (not signed by then), and the welcome.
    expect(world.sentTo(landrat)).toEqual([
      'Ihre Partnervereinbarung zur Unterzeichnung – bis 15.07.2027',
      'Erinnerung: Partnervereinbarung unterzeichnen – bis 15.07.2027',
      'Willkommen im Partnernetzwerk „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“',
    ]);
    // Past the due date with only the partner's signature: the caseworker is told, the signatory (who signed) is not reminded.
    expect(world.sentTo(caseworker.email)).toEqual(['Beitritt: Partnervereinbarung nicht unterzeichnet – Rhein-Sieg-Kreis']);
    const revision = world.mail.messages.find((m) => m.subject?.startsWith('Ihre Absichtserklärung: bitte'));
    expect(revision?.text).toContain('Bitte ergänzen Sie zu RSK-6 einen Meilenstein mit Termin.');
    const forSignature = world.mail.messages.find((m) => m.subject?.startsWith('Ihre Partnervereinbarung') && m.envelope.to.includes(main));
    const pdf = forSignature?.attachments.find((a) => a.contentType === 'application/pdf');
    expect(pdf?.filename).toBe('Partnervereinbarung.pdf');
    expect(pdf?.content.subarray(0, 5).toString()).toBe('%PDF-');
    const welcome = world.mail.messages.find((m) => m.subject?.startsWith('Willkommen'));
    expect(welcome?.text).toContain('Beitritt am: 19.07.2027');

    const db = world.database.db;
    const versions = await db.select().from(declarationVersions).orderBy(asc(declarationVersions.version));
    expect(versions.map((v) => [v.version, v.review, v.reviewComment])).toEqual([
      [1, 'changes_requested', 'Bitte ergänzen Sie zu RSK-6 einen Meilenstein mit Termin.'],
      [2, 'accepted', null],
    ]);
    expect(await db.select().from(declarations)).toHaveLength(1);
    expect((await db.select().from(declarationMeasures)).map((m) => m.code)).toEqual(['RSK-1', 'RSK-2', 'RSK-3', 'RSK-4', 'RSK-5', 'RSK-6', 'RSK-7']);
    expect((await db.select().from(declarationMilestones)).map((m) => m.dueText)).toEqual([
      'ab 2018',
      'ab 2018',
      'bis Frühjahr 2018',
      'im September 2018',
      'ab Herbst 2018',
    ]);
    const [agreement] = await db.select().from(agreements);
    expect(agreement).toMatchObject({
      ministry: agreementParties.ministry,
      stateSignatoryName: 'Serap Güler',
      partnerSignatoryName: 'Sebastian Schuster',
      partnerSignatoryRole: 'Landrat',
      signedOn: '2027-07-19',
      agreedOn: '2027-07-19',
    });
    expect(agreement?.html).toContain('Implementierung von Interkulturellen Trainings als fester Bestandteil der Ausbildung');
    expect(agreement?.html).toContain('bis Frühjahr 2018');
    expect(agreement?.pdf?.subarray(0, 5).toString()).toBe('%PDF-');
    if (process.env.AGREEMENT_OUT && agreement?.pdf) await writeFile(process.env.AGREEMENT_OUT, agreement.pdf);
    expect((await db.select().from(signatures).orderBy(asc(signatures.id))).map((s) => [s.party, s.signerName, s.signedOn])).toEqual([
      ['partner', 'Sebastian Schuster', '2027-06-25'],
      ['state', 'Serap Güler', '2027-07-19'],
    ]);
    expect(await organisationRow(20)).toMatchObject({ status: 'active', accessionDate: '2027-07-19' });
    expect(await auditActions(20)).toEqual([
      'started',
      'invitation-planned',
      'draft-saved',
      'declaration-submitted',
      'changes-requested',
      'declaration-submitted',
      'declaration-accepted',
      'signed-by-partner',
      'signature-overdue',
      'signed-by-ministry',
      'completed',
    ]);
    const ledger = await ledgerRows(world);
    expect(ledger).toHaveLength(11);
    expect(ledger.every((row) => row.status === 'sent')).toBe(true);
  }, 180_000); // the longest story: a whole accession, typeset twice, on a busy runner

  it('takes the ministry signing first, with the accession date staff set', async () => {
    await world.withWorker(async () => {
      const handle = await begin(solingen);
      await loaded(handle);
      await decide(handle, submitDeclarationUpdate, { args: [{ declaration: await readDeclaration('solingen') }] });
      await decide(handle, acceptDeclarationUpdate, { args: [{ by: 'Jana Becker', comment: 'Gern so.' }] });
      await decide(handle, setAccessionDateUpdate, { args: [{ by: 'Jana Becker', date: '2027-06-01', reason: 'Feierliche Unterzeichnung beim Netzwerktreffen' }] });
      await sleepUntil(world, '2027-05-06T10:00:00Z');
      const ministry = await decide(handle, signAgreementUpdate, {
        args: [{ party: 'ministry', signer: 'Serap Güler', role: 'Staatssekretärin für Integration' }],
      });
      expect(ministry.signatures).toEqual([{ party: 'ministry', signer: 'Serap Güler', role: 'Staatssekretärin für Integration', date: '2027-05-06' }]);
      // The partner has not signed: the reminder after three weeks still goes to its signatory.
      expect(ministry.nextStep).toMatchObject({ stepId: 'reminder-3w', recipients: ['partner_leadership'] });
      const done = await decide(handle, signAgreementUpdate, { args: [{ party: 'partner', signer: 'Tim Kurzbach', role: 'Oberbürgermeister' }] });
      expect(done).toMatchObject({ phase: 'completed', accessionDate: '2027-06-01' });
      expect(await untilClosed(handle)).toBe('COMPLETED');
      await keepHistory('accession-ministry-first', handle);
      await world.mail.waitForCount(6);
    });
    // The signatory reads English: agreement and welcome in English.
    expect(world.sentTo(solingen.leadership.email)).toEqual([
      'Your partner agreement for signature – by 15 June 2027',
      'Welcome to the partner network "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"',
    ]);
    expect(await organisationRow(21)).toMatchObject({ status: 'active', accessionDate: '2027-06-01' });
    const [agreement] = await world.database.db.select().from(agreements);
    expect(agreement?.html).toContain('Fortbildung der Beschäftigten im Bereich Interkulturelle Kompetenz');
    expect(agreement?.html).toContain('Ort, Datum: 06.05.2027');
    expect(await auditActions(21)).toContain('accession-date-set');
  });

  it('refuses the ministry signing first when the policy requires the partner first', { timeout: 120_000 }, async () => {
    const policy = parseAccessionPolicy({ ...defaultAccessionPolicyInput, signature: { ...defaultAccessionPolicyInput.signature, partnerSignsFirst: true } });
    const handle = await begin(solingen, policy);
    // No worker yet: its first workflow task waits and no activity is pending, which a wait for "no
    // pending activity" once took for idle (and the story then decided while the invitation's mail was about to go out).
    expect((await handle.describe()).raw.pendingActivities ?? []).toEqual([]);
    expect(await isIdle(handle)).toBe(false);
    await world.withWorker(async () => {
      await loaded(handle);
      // Quiet: the invitation has gone out and its deliveries are in the timeline before the first decision.
      const invitation = (await handle.query(accessionTimelineQuery)).find((entry) => entry.kind === 'deadline' && entry.stepId === 'invitation');
      expect(invitation).toMatchObject({ outcome: 'sent', deliveries: [{ role: 'partner_main_contact', status: 'sent' }] });
      await decide(handle, submitDeclarationUpdate, { args: [{ declaration: await readDeclaration('solingen') }] });
      await decide(handle, acceptDeclarationUpdate, { args: [{ by: 'Jana Becker' }] });
      expect(
        await updateError(decide(handle, signAgreementUpdate, { args: [{ party: 'ministry', signer: 'Serap Güler', role: 'Staatssekretärin' }] })),
      ).toBe('state: the policy requires the partner to sign first');
      expect((await handle.query(accessionStatusQuery)).signatures).toEqual([]);
      await agreementSent(handle);
      await decide(handle, signAgreementUpdate, { args: [{ party: 'partner', signer: 'Tim Kurzbach', role: 'Oberbürgermeister' }] });
      const done = await decide(handle, signAgreementUpdate, { args: [{ party: 'ministry', signer: 'Serap Güler', role: 'Staatssekretärin' }] });
      expect(done.phase).toBe('completed');
    });
  });
});

describe('a rejected accession', () => {
  it('ends with the reason, tells the organisation and its caseworker, and leaves the organisation a prospect', async () => {
    await world.withWorker(async () => {
      const handle = await begin(solingen);
      await loaded(handle);
      await decide(handle, submitDeclarationUpdate, { args: [{ declaration: await readDeclaration('solingen') }] });
      const rejected = await decide(handle, endAccessionUpdate, {
        args: [{ outcome: 'rejected', by: 'Dr. Murat Yilmaz', reason: 'Die Maßnahmen betreffen nicht die eigene Organisation.' }],
      });
      expect(rejected.phase).toBe('rejected');
      await handle.result();
      // Ended is ended: nothing more can be decided on it.
      await expect(decide(handle, acceptDeclarationUpdate, { args: [{ by: 'Jana Becker' }] })).rejects.toThrow();
      await keepHistory('accession-rejected', handle);
      await world.mail.waitForCount(4);
    });
    expect(world.sentTo(solingen.mainContact.email).at(-1)).toBe('Ihr Beitritt zum Partnernetzwerk: Entscheidung');
    const closing = world.mail.messages.find((m) => m.subject === 'Ihr Beitritt zum Partnernetzwerk: Entscheidung');
    expect(closing?.text).toContain('Begründung: Die Maßnahmen betreffen nicht die eigene Organisation.');
    expect(await auditActions(21)).toEqual(['started', 'invitation-planned', 'declaration-submitted', 'rejected']);
    const [accession] = await world.database.db.select().from(accessions);
    expect(accession).toMatchObject({ status: 'rejected', endReason: 'Die Maßnahmen betreffen nicht die eigene Organisation.' });
    expect(await organisationRow(21)).toMatchObject({ status: 'prospect' });
  });
});

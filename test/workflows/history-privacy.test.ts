/**
 * Kreis Lippe's 2027 report, revised once and accepted, told for what it leaves behind: a history
 * in which nobody's name, address or report text can be read without the partner's data key; then
 * the partner's data exported, and erased, in PostgreSQL and in that same old history. Every story
 * told with test/support/reporting-world.ts is scanned the same way when its world is torn down.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { exportPartner, erasePartner, erasedMarker } from '../../src/db/queries/privacy';
import { partnerDataKeyStore } from '../../src/db/queries/partner-data-keys';
import { auditLog, contacts, emailLedger, partnerDataKeys, reportVersions } from '../../src/db/schema';
import { PartnerDataErasedError, PayloadEncryptionCodec, type ErasedPolicy } from '../../src/temporal/codec';
import { acceptReportUpdate, requestRevisionUpdate, submitReportUpdate } from '../../workflows/contracts/annual-report';
import { decodeHistoryPayloads } from '../../src/temporal/history-decoding';
import { historyTimeline } from '../../src/temporal/history-timeline';
import { decodedHistory, findPersonalData, rawHistory } from '../support/history-scan';
import { failingWorkflow } from '../fixtures/workflows/failing';
import { bundleOf, caseworker, partner, personalNeedles, type ReportingWorld } from '../support/reporting-world';
import { concurrentStories } from '../support/story-worlds';
import { readReportFixture, sleepUntil } from '../support/workflow-story';

const testWorkflows = fileURLToPath(new URL('../fixtures/workflows/index.ts', import.meta.url));
const it = concurrentStories({ concurrency: 2, prepare: (world) => world.openCycle(2027, '2027-03-31') });

const narrative = 'Die Zuwanderung aus den Kriegs- und Krisengebieten der Welt nach Lippe';
/** The seed's reports name no author; these stories give one, so its erasure can be seen. */
const author = { name: 'Johanna Albers', role: 'Integrationsbeauftragte' };

async function withAuthor(fixture: string): Promise<unknown> {
  return { ...((await readReportFixture(fixture)) as Record<string, unknown>), author };
}

/** A codec as a fresh process has it: keys read from PostgreSQL now, nothing cached. */
function freshCodec(world: ReportingWorld, onErased: ErasedPolicy = 'throw') {
  const { db } = world.database;
  return new PayloadEncryptionCodec(world.config.payloadKeys, { partnerKeys: partnerDataKeyStore(db, world.config.payloadKeys), onErased });
}

async function reportRevisedAndAccepted(world: ReportingWorld) {
  return world.withWorker(async () => {
    const handle = await world.startReport({ year: 2027 });
    await sleepUntil(world, '2027-03-01T10:00:00Z');
    await handle.executeUpdate(submitReportUpdate, {
      args: [{ report: await withAuthor('minimal.json'), submittedBy: partner.mainContact.name }],
    });
    await handle.executeUpdate(requestRevisionUpdate, {
      args: [{ by: caseworker.name, comments: `Bitte ergänzen, ${partner.mainContact.name}: Teilnehmendenzahlen fehlen.` }],
    });
    await handle.executeUpdate(submitReportUpdate, {
      args: [{ report: await withAuthor('02-kreis-lippe.json'), submittedBy: partner.mainContact.name }],
    });
    await handle.executeUpdate(acceptReportUpdate, { args: [{ by: caseworker.name }] });
    await handle.result();
    return handle;
  });
}

function keyIds(history: unknown): string[] {
  const ids = new Set<string>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      const keyId = (value as { metadata?: Record<string, unknown> }).metadata?.['encryption-key-id'];
      if (typeof keyId === 'string') ids.add(Buffer.from(keyId, 'base64').toString());
      Object.values(value).forEach(walk);
    }
  };
  walk(history);
  return [...ids];
}

describe.concurrent('histories without personal data', () => {
  describe('personal data in workflow histories', () => {
    it('keeps names, addresses and report text unreadable in the history, sealed with the partner key', async ({ world, expect }) => {
      const handle = await reportRevisedAndAccepted(world);
      const raw = await rawHistory(handle);
      const needles = [...(await personalNeedles()), author.name];

      expect(findPersonalData(raw, needles)).toEqual([]);
      // Every payload (Update arguments, activity results, failures) under the partner's one data key.
      expect(keyIds(raw)).toEqual([expect.stringMatching(/^partner\/2\/\d+$/)]);

      // The scan is not empty-handed by accident: decoded, the same history is full of it.
      const findings = findPersonalData(await decodedHistory(raw, freshCodec(world)), needles).map((f) => f.found);
      expect(findings).toEqual(expect.arrayContaining([partner.mainContact.name, author.name, 'Auszubildende']));
      expect(findings).toContain(partner.mainContact.email);

      // `partnerflow history` shows the admin the decoded timeline, failures' messages included.
      const plain = historyTimeline(await handle.fetchHistory()).map((row) => row.details).join('\n');
      expect(plain).not.toContain(author.name);
      const timeline = historyTimeline(await decodeHistoryPayloads(await handle.fetchHistory(), freshCodec(world)));
      const submissions = timeline.filter((row) => row.event === 'WorkflowExecutionUpdateAccepted' && row.details.includes('update=submitReport'));
      expect(submissions).toHaveLength(2);
      expect(submissions[0]?.details).toContain(author.name);
    });

    it('exports the partner, then erases it: gone in PostgreSQL, unreadable in its old history, the accepted text kept', async ({ world, expect }) => {
      const handle = await reportRevisedAndAccepted(world);
      const { db } = world.database;
      const raw = await rawHistory(handle);

      const before = await exportPartner(db, partner.number);
      expect(before.contacts.map((c) => c.name).sort()).toEqual([partner.leadership.name, partner.mainContact.name].sort());
      expect(before.annualReports).toMatchObject([{ year: 2027, phase: 'accepted', versions: [{ version: 1 }, { version: 2 }] }]);
      expect(JSON.stringify(before.annualReports[0]?.versions[1]?.content)).toContain(narrative);
      expect(before.emails.map((e) => e.recipientEmail)).toContain(partner.mainContact.email);
      expect(before.dataKeys).toMatchObject([{ destroyedAt: null }]);

      const summary = await erasePartner(db, { partnerNumber: partner.number, reason: 'Austritt, Antrag auf Löschung', actor: 'staff:admin' });
      expect(summary).toMatchObject({ contactsRemoved: 2, versionsErased: 1, acceptedVersionsKept: 1, dataKeysDestroyed: 1 });

      // PostgreSQL: people gone, the never-accepted version empty, the accepted one without its author.
      expect(await db.select().from(contacts)).toEqual([]);
      const versions = await db.select().from(reportVersions).orderBy(reportVersions.version);
      expect(versions[0]?.content).toMatchObject({ [erasedMarker]: true });
      expect(versions[0]?.reviewComment).toBeNull();
      expect(JSON.stringify(versions[1]?.content)).toContain(narrative);
      expect(JSON.stringify(versions[1]?.content)).not.toContain(author.name);
      const ledger = await db.select().from(emailLedger);
      expect(ledger.filter((row) => row.staffId === null).map((row) => row.recipientEmail)).toEqual(
        ledger.filter((row) => row.staffId === null).map(() => erasedMarker),
      );
      const audit = await db.select().from(auditLog).orderBy(auditLog.id);
      expect(JSON.stringify(audit.filter((row) => row.action !== 'partner.erased'))).not.toContain(partner.mainContact.name);
      expect(audit.at(-1)).toMatchObject({ action: 'partner.erased', actor: 'staff:admin', details: { reason: 'Austritt, Antrag auf Löschung' } });
      expect((await db.select().from(partnerDataKeys)).map((key) => [key.wrappedKey, key.destroyedAt === null])).toEqual([[null, false]]);
      const after = await exportPartner(db, partner.number);
      const people = [partner.mainContact.name, partner.leadership.name, partner.mainContact.email, partner.leadership.email, author.name];
      // Message-IDs have the shape of an address but name no one.
      expect(findPersonalData(after, people).filter((finding) => !finding.path.endsWith('.messageId'))).toEqual([]);

      // The old history: a worker or client fails to decode it; the codec endpoint shows "erased".
      await expect(decodedHistory(raw, freshCodec(world, 'throw'))).rejects.toBeInstanceOf(PartnerDataErasedError);
      const shown = await decodedHistory(raw, freshCodec(world, 'marker'));
      expect(findPersonalData(shown, await personalNeedles())).toEqual([]);
      expect(JSON.stringify(shown)).toContain(Buffer.from(JSON.stringify({ erased: `partner ${partner.number}: erased, the partner's data key was destroyed` })).toString('base64'));
    });
  });

  describe('failures in workflow histories', () => {
    it("keeps a failure's message and stack encoded, like any payload", async ({ world, expect }) => {
      const message = `refused: ${partner.mainContact.name} <${partner.mainContact.email}>`;
      const handle = await world.withWorker(
        async () => {
          const started = await world.env.client.workflow.start(failingWorkflow, {
            taskQueue: world.taskQueue,
            workflowId: 'annual-report/2/2099',
            args: [message],
          });
          // The client decodes the failure again: the message is intact for whoever holds the key.
          await expect(started.result()).rejects.toMatchObject({ cause: { message } });
          return started;
        },
        { bundle: await bundleOf(testWorkflows) },
      );
      const raw = await rawHistory(handle);
      expect(JSON.stringify(raw)).toContain('Encoded failure');
      expect(findPersonalData(raw, await personalNeedles())).toEqual([]);
      const decoded = findPersonalData(await decodedHistory(raw, freshCodec(world)), [partner.mainContact.name]);
      expect(decoded.map((f) => f.path)).toContain('events[4].workflowExecutionFailedEventAttributes.failure.encodedAttributes.data (base64)');
    });
  });

  describe('the history scan', () => {
    it('finds addresses, names and report text in a plaintext history', () => {
      const payload = (value: unknown) => ({
        metadata: { encoding: Buffer.from('json/plain').toString('base64') },
        data: Buffer.from(JSON.stringify(value)).toString('base64'),
      });
      const history = {
        events: [
          { eventId: '1', workerIdentity: 'x', identity: '4711@build-host.example.org', input: { payloads: [payload({ partnerNumber: 2 })] } },
          { eventId: '5', acceptedRequest: { input: { args: { payloads: [payload({ report: { narrative }, submittedBy: 'Petra Schmidt' })] } } } },
          { eventId: '9', result: { payloads: [payload({ recipients: ['ikoe@kreis-lippe.example'] })] } },
        ],
      };
      expect(findPersonalData(history, [narrative, 'Petra Schmidt']).map((f) => [f.path, f.found])).toEqual([
        ['events[1].acceptedRequest.input.args.payloads[0].data (base64)', narrative],
        ['events[1].acceptedRequest.input.args.payloads[0].data (base64)', 'Petra Schmidt'],
        ['events[2].result.payloads[0].data (base64)', 'ikoe@kreis-lippe.example'],
      ]);
    });

    it('finds nothing in the same history once its payloads are encrypted', async ({ world, expect }) => {
      const codec = new PayloadEncryptionCodec(world.config.payloadKeys);
      const [sealed] = await codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify({ narrative })) }]);
      const history = { events: [{ result: { payloads: [{ metadata: { encoding: Buffer.from(sealed?.metadata?.encoding ?? []).toString('base64') }, data: Buffer.from(sealed?.data ?? []).toString('base64') }] } }] };
      expect(findPersonalData(history, [narrative])).toEqual([]);
    });
  });
});

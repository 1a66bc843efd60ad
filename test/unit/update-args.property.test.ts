/**
 * Every Update's arguments, as its validator parses them (workflows/refusals.ts parseArgs with the
 * schema the validator uses; reports and declarations through their own parsers): 10,000
 * generated invalid inputs are each refused without a crash, as a non-retryable InvalidInput with
 * "field: reason" lines that name the broken field. The same refusals through a real workflow,
 * a few hundred of them: test/integration/http-bad-input.property.test.ts.
 */
import { readFileSync } from 'node:fs';
import { ApplicationFailure } from '@temporalio/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  acceptDeclarationArgsSchema,
  endAccessionArgsSchema,
  requestChangesArgsSchema,
  saveDraftArgsSchema,
  setAccessionDateArgsSchema,
  signArgsSchema,
} from '../../src/domain/accession';
import { parseDeclaration } from '../../src/domain/declaration';
import { contactChangeArgsSchema, milestoneAnswerArgsSchema, withdrawPartnerArgsSchema } from '../../src/domain/lifecycle';
import { parseReportSubmission } from '../../src/domain/report';
import { acceptArgsSchema, closeArgsSchema, extensionArgsSchema, revisionArgsSchema, waiverArgsSchema } from '../../src/domain/report-decisions';
import { parseArgs } from '../../workflows/refusals';
import { blank, brokenObjects, expectFieldLines, notADay, notAnObject, notAString, runsPerBoundary, type FieldBreaker } from '../support/invalid-inputs';

const by = 'Jana Becker';
/** `max`: the field's limit in characters; one more (not blank) is refused. */
const text = (field: string, max = 2_000): FieldBreaker => ({ field, value: fc.oneof(notAString, blank, fc.constantFrom('x', 'ä', '—').map((c) => c.repeat(max + 1))) });
const name = (field: string): FieldBreaker => ({ field, value: fc.oneof(notAString, blank, fc.constant('x'.repeat(201))) });
const date = (field: string): FieldBreaker => ({ field, value: fc.oneof(notAString, notADay) });
const oneOf = (field: string, allowed: string[]): FieldBreaker => ({ field, value: fc.oneof(notAString, fc.string({ maxLength: 12 }).filter((s) => !allowed.includes(s))) });

type UpdateArgs = { update: string; schema: z.ZodType; valid: Record<string, unknown>; breakers: FieldBreaker[]; required: string[] };

/** Each Update's schema with a valid argument and the ways to break each field. */
const updates: UpdateArgs[] = [
  { update: 'acceptReport', schema: acceptArgsSchema, valid: { by, comment: 'Danke' }, breakers: [name('by'), text('comment')], required: ['by'] },
  { update: 'requestRevision', schema: revisionArgsSchema, valid: { by, comments: 'Bitte ergänzen' }, breakers: [name('by'), text('comments', 10_000)], required: ['by', 'comments'] },
  {
    update: 'grantExtension',
    schema: extensionArgsSchema,
    valid: { by, dueDate: '2027-04-30', reason: 'Personalwechsel' },
    breakers: [name('by'), date('dueDate'), text('reason')],
    required: ['by', 'dueDate', 'reason'],
  },
  { update: 'waiveReport', schema: waiverArgsSchema, valid: { by, reason: 'Auflösung' }, breakers: [name('by'), text('reason')], required: ['by', 'reason'] },
  { update: 'closeReport', schema: closeArgsSchema, valid: { by, reason: 'Jahr beendet' }, breakers: [name('by'), text('reason')], required: ['by'] },
  { update: 'saveDeclarationDraft', schema: saveDraftArgsSchema, valid: { draft: {}, by }, breakers: [{ field: 'draft', value: notAnObject.filter((v) => !(typeof v === 'object' && v !== null && !Array.isArray(v))) }, name('by')], required: ['draft'] },
  { update: 'acceptDeclaration', schema: acceptDeclarationArgsSchema, valid: { by, comment: 'Passt' }, breakers: [name('by'), text('comment')], required: ['by'] },
  { update: 'requestDeclarationChanges', schema: requestChangesArgsSchema, valid: { by, comments: 'Bitte Maßnahme 3 konkretisieren' }, breakers: [name('by'), text('comments', 10_000)], required: ['by', 'comments'] },
  {
    update: 'signAgreement',
    schema: signArgsSchema,
    valid: { party: 'partner', signer: 'Tim Kurzbach', role: 'Oberbürgermeister', date: '2014-03-01', by },
    breakers: [oneOf('party', ['partner', 'ministry']), text('signer', 200), text('role', 300), date('date'), name('by')],
    required: ['party', 'signer', 'role'],
  },
  { update: 'setAccessionDate', schema: setAccessionDateArgsSchema, valid: { by, date: '2014-03-01', reason: 'Urkunde' }, breakers: [name('by'), date('date'), text('reason')], required: ['by', 'date'] },
  {
    update: 'endAccession',
    schema: endAccessionArgsSchema,
    valid: { outcome: 'withdrawn', by, reason: 'Rückzug' },
    breakers: [oneOf('outcome', ['withdrawn', 'rejected']), name('by'), text('reason')],
    required: ['outcome', 'by', 'reason'],
  },
  {
    update: 'answerMilestone',
    schema: milestoneAnswerArgsSchema,
    valid: { milestoneId: 'SG-1/1', outcome: 'delayed', newDate: '2015-06-30', newDueText: 'bis Sommer 2015', by },
    breakers: [text('milestoneId', 100), date('newDate'), text('newDueText', 300), name('by')],
    required: ['milestoneId', 'newDate'],
  },
  {
    update: 'changeContact',
    schema: contactChangeArgsSchema,
    valid: { role: 'main_contact', name: 'Petra Schmidt', email: 'ikoe@kreis-lippe.example', language: 'de', by },
    breakers: [
      oneOf('role', ['main_contact', 'leadership_signatory']),
      text('name', 200),
      { field: 'email', value: fc.oneof(notAString, fc.string({ maxLength: 20 }).filter((s) => !s.includes('@'))) },
      oneOf('language', ['de', 'en']),
      name('by'),
    ],
    required: ['role', 'name', 'email', 'by'],
  },
  { update: 'withdrawPartner', schema: withdrawPartnerArgsSchema, valid: { by, reason: 'Rückzug', date: '2019-12-31' }, breakers: [name('by'), text('reason'), date('date')], required: ['by', 'reason'] },
];

/** What a validator throws, caught: the failure a client would see. */
function refusal(run: () => unknown): ApplicationFailure {
  try {
    run();
  } catch (error) {
    if (error instanceof ApplicationFailure) return error;
    throw new Error(`crashed instead of refusing: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  throw new Error('accepted an invalid input');
}

describe(`Update arguments: ${runsPerBoundary} invalid inputs`, () => {
  // Shared out so that the boundary as a whole sees 10,000; the parsers of reports and declarations get theirs below.
  const runs = Math.ceil(runsPerBoundary / (updates.length + 2));

  it.each(updates.map((u) => [u.update, u] as const))('%s: refused, non-retryable, naming the field', (_, { schema, valid, breakers, required }) => {
    expect(schema.safeParse(valid).success, 'the valid sample parses').toBe(true);
    fc.assert(
      fc.property(brokenObjects(valid, breakers, required), ({ input, field }) => {
        const failure = refusal(() => parseArgs(schema, input));
        expect(failure).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
        const lines = failure.message.split('\n');
        expect(failure.details?.[0]).toEqual({ errors: lines });
        expectFieldLines(lines, field);
      }),
      { numRuns: runs },
    );
  });

  const report = JSON.parse(readFileSync('test/fixtures/reports/02-kreis-lippe.json', 'utf8')) as Record<string, unknown>;
  const declaration = JSON.parse(readFileSync('test/fixtures/declarations/solingen.json', 'utf8')) as Record<string, unknown>;
  const notAList = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null), fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }));
  const garbageItems = fc.array(fc.oneof(notAnObject, fc.record({ kind: fc.string({ maxLength: 8 }) })), { minLength: 1, maxLength: 3 });

  it('submitReport: a report body refused with field lines, never thrown', () => {
    expect(parseReportSubmission(report).ok).toBe(true);
    const breakers: FieldBreaker[] = [
      { field: 'reportingPeriod', value: fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null), fc.record({ from: notAString })) },
      { field: 'author', value: fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null), fc.record({ name: notAString })) },
      { field: 'blocks', value: fc.oneof(notAList, garbageItems) },
      { field: 'sections', value: fc.oneof(notAList, garbageItems) },
      { field: 'footnotes', value: fc.oneof(notAList, garbageItems) },
      { field: 'attachments', value: fc.oneof(notAList, garbageItems) },
    ];
    fc.assert(
      fc.property(brokenObjects(report, breakers, ['reportingPeriod', 'author', 'blocks', 'sections']), ({ input, field }) => {
        const parsed = parseReportSubmission(input);
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expectFieldLines(parsed.errors, field);
      }),
      { numRuns: runs },
    );
  });

  it('submitDeclaration: a declaration refused with field lines, never thrown', () => {
    expect(parseDeclaration(declaration).ok).toBe(true);
    const breakers: FieldBreaker[] = [
      { field: 'title', value: fc.oneof(notAString, fc.constant('zwei\nZeilen')) },
      { field: 'targetYear', value: fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: 2101 }), fc.integer({ max: 1999 }), fc.double({ noInteger: true, noNaN: true })) },
      { field: 'measures', value: fc.oneof(notAList, garbageItems, fc.constant([])) },
      { field: 'groups', value: fc.oneof(notAList, garbageItems) },
    ];
    fc.assert(
      fc.property(brokenObjects(declaration, breakers, ['measures']), ({ input, field }) => {
        const parsed = parseDeclaration(input);
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expectFieldLines(parsed.errors, field);
      }),
      { numRuns: runs },
    );
  });
});

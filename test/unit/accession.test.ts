import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agreementHtml, agreementPdf, type AgreementDocument } from '../../src/documents/agreement';
import { milestoneDueDate, milestonesOf } from '../../src/domain/accession';
import { accessionPolicySchema } from '../../src/domain/accession-policy';
import { declarationSchema, type Declaration } from '../../src/domain/declaration';
import { defaultAccessionPolicyInput, defaultMilestonePolicyInput } from '../../src/domain/default-policy';
import { startOfNextYear } from '../../src/domain/lifecycle';

const fixture = async (name: string): Promise<Declaration> =>
  declarationSchema.parse(JSON.parse(await readFile(join(import.meta.dirname, '..', 'fixtures', 'declarations', `${name}.json`), 'utf8')));

const document = (declaration: Declaration): AgreementDocument => ({
  organisation: { name: 'Rhein-Sieg-Kreis', signatoryName: 'Sebastian Schuster', signatoryRole: 'Landrat' },
  parties: {
    ministry: 'Ministerium für Kinder, Familie, Flüchtlinge und Integration des Landes Nordrhein-Westfalen',
    initiative: '„Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“',
    ministrySignatory: { name: 'Serap Güler', role: 'Staatssekretärin für Integration' },
  },
  declaration,
  signatures: { partner: { signer: 'Sebastian Schuster', role: 'Landrat', date: '2018-08-16' } },
  declarationVersion: 2,
});

describe('milestone dates as declared', () => {
  it('reads "bis"/"im" as the last day and "ab" as the first day the words can mean', () => {
    expect(milestoneDueDate({ year: 2018, part: 'fruehjahr', bound: 'bis' })).toBe('2018-05-31');
    expect(milestoneDueDate({ year: 2018, month: 9, bound: 'im' })).toBe('2018-09-30');
    expect(milestoneDueDate({ year: 2018, bound: 'ab' })).toBe('2018-01-01');
    expect(milestoneDueDate({ year: 2018, part: 'herbst', bound: 'ab' })).toBe('2018-09-01');
  });

  it('gives every milestone of the seed declaration an id from its measure', async () => {
    expect(milestonesOf(await fixture('rhein-sieg')).map((m) => m.id)).toEqual(['RSK-1/1', 'RSK-2/1', 'RSK-4/1', 'RSK-5/1', 'RSK-6/1']);
    expect(milestonesOf(await fixture('solingen'))).toEqual([]);
  });
});

describe('the agreement document', () => {
  it.each(['rhein-sieg', 'solingen'])('shows every measure and milestone of the %s declaration, both parties and both signature blocks', async (name) => {
    const declaration = await fixture(name);
    const html = agreementHtml(document(declaration));
    for (const measure of declaration.measures) {
      expect(html).toContain(measure.title.replace(/&/g, '&amp;').replace(/"/g, '&quot;'));
      for (const milestone of measure.milestones ?? []) expect(html).toContain(milestone.due.text);
    }
    expect(html).toContain('Für das Land Nordrhein-Westfalen');
    expect(html).toContain('Für Rhein-Sieg-Kreis');
    expect(html).toContain('Ort, Datum: 16.08.2018');
    expect(html).toContain('Ort, Datum: ________________');
    expect(html).toContain('§ 3 Jährlicher Bericht');
    const pdf = await agreementPdf(document(declaration));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('keeps markup in a partner\'s text as text', async () => {
    const declaration = await fixture('solingen');
    const tricky = { ...declaration, preamble: '<script>alert(1)</script> #set page(width: 1cm) *fett* $x$' };
    expect(agreementHtml(document(tricky))).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect((await agreementPdf(document(tricky))).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('says in § 1 that title and introduction were not stated, rather than leaving it empty', async () => {
    const declaration = await fixture('solingen');
    const bare = { ...declaration, title: undefined, preamble: undefined };
    const section = (html: string) => html.slice(html.indexOf('§ 1 Erklärung'), html.indexOf('§ 2'));
    expect(section(agreementHtml(document(bare)))).toContain('Titel und Einleitung der Erklärung: nicht angegeben.');
    expect(section(agreementHtml(document({ ...bare, title: 'Vielfalt in Solingen' })))).not.toContain('nicht angegeben');
    expect((await agreementPdf(document(bare))).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('accession policy', () => {
  it('refuses a template of another family, naming the step', () => {
    const broken = structuredClone(defaultAccessionPolicyInput) as unknown as { signature: { deadline: { steps: { template: string }[] } } };
    const first = broken.signature.deadline.steps[0];
    if (first) first.template = 'report-reminder';
    const parsed = accessionPolicySchema.safeParse(broken);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('agreement-for-signature');
  });

  it("may carry the new partner's milestone policy, checked as a milestone policy", () => {
    expect(accessionPolicySchema.parse(defaultAccessionPolicyInput).milestones).toBeUndefined();
    const withMilestones = accessionPolicySchema.parse({ ...defaultAccessionPolicyInput, milestones: { ...defaultMilestonePolicyInput, sendingDays: 'every' } });
    expect(withMilestones.milestones?.sendingDays).toBe('every');
    expect(withMilestones.milestones?.steps.map((step) => step.template)).toEqual(['milestone-request', 'milestone-overdue-ministry']);
    const foreign = { ...defaultMilestonePolicyInput, steps: [{ ...defaultMilestonePolicyInput.steps[0], template: 'declaration-reminder' }] };
    const refused = accessionPolicySchema.safeParse({ ...defaultAccessionPolicyInput, milestones: foreign });
    expect(refused.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['milestones.steps.0.template']);
  });
});

describe('the turn of the year', () => {
  it('is local midnight of 1 January in the policy zone', () => {
    expect(startOfNextYear(new Date('2026-12-15T10:00:00Z'), 'Europe/Berlin').toISOString()).toBe('2026-12-31T23:00:00.000Z');
    expect(startOfNextYear(new Date('2026-12-31T23:30:00Z'), 'Europe/Berlin').toISOString()).toBe('2027-12-31T23:00:00.000Z');
  });
});

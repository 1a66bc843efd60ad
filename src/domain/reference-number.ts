/**
 * The reference of one submitted report version, quoted in emails and the register:
 * "JB-2019-07-V2" = Jahresbericht 2019, partner 7, second version. Canonical form only, so that
 * one version has exactly one reference (the database keeps references unique).
 */

export type ReportReferenceParts = { year: number; partnerNumber: number; version: number };

const referencePattern = /^JB-(\d{4})-(\d{2,4})-V(\d{1,3})$/;

export function reportReference({ year, partnerNumber, version }: ReportReferenceParts): string {
  const problem = checkParts({ year, partnerNumber, version });
  if (problem !== undefined) throw new RangeError(`cannot build a report reference: ${problem}`);
  return `JB-${year}-${String(partnerNumber).padStart(2, '0')}-V${version}`;
}

export function parseReportReference(
  text: string,
): { ok: true; reference: ReportReferenceParts } | { ok: false; error: string } {
  const match = referencePattern.exec(text);
  if (match === null) return { ok: false, error: `"${text}" is not a report reference like JB-2019-07-V2` };
  const parts = { year: Number(match[1]), partnerNumber: Number(match[2]), version: Number(match[3]) };
  const problem = checkParts(parts);
  if (problem !== undefined) return { ok: false, error: `"${text}": ${problem}` };
  if (reportReference(parts) !== text) {
    return { ok: false, error: `"${text}" is not written canonically; it should read ${reportReference(parts)}` };
  }
  return { ok: true, reference: parts };
}

function checkParts({ year, partnerNumber, version }: ReportReferenceParts): string | undefined {
  if (!Number.isInteger(year) || year < 2000 || year > 2999) return 'year must be a whole number from 2000 to 2999';
  if (!Number.isInteger(partnerNumber) || partnerNumber < 1 || partnerNumber > 9999) {
    return 'partner number must be a whole number from 1 to 9999';
  }
  if (!Number.isInteger(version) || version < 1 || version > 999) return 'version must be a whole number from 1 to 999';
  return undefined;
}

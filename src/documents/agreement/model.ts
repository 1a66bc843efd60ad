import type { AgreementParties } from '../../domain/accession';
import type { Declaration } from '../../domain/declaration';

/** Everything the agreement shows: its parties of that day, the declaration, and any signatures so far. */
export type AgreementDocument = {
  organisation: { name: string; signatoryName: string; signatoryRole: string };
  parties: AgreementParties;
  declaration: Declaration;
  /** Filled in once recorded; blank lines to sign on otherwise. */
  signatures: { partner?: SignedBlock; ministry?: SignedBlock };
  /** Shown in the footer: the version of the declaration the agreement was made from. */
  declarationVersion: number;
};

export type SignedBlock = { signer: string; role: string; date: string };

/** "05.03.2026" from "2026-03-05". */
export function germanDate(day: string): string {
  const [year, month, date] = day.split('-');
  return `${date}.${month}.${year}`;
}

/** The measures under their groups, in the order declared; ungrouped measures come first. */
export function measureSections(declaration: Declaration) {
  const groups = declaration.groups ?? [];
  const ungrouped = declaration.measures.filter((m) => m.groupLabel === undefined || !groups.some((g) => g.label === m.groupLabel));
  return [
    ...(ungrouped.length > 0 ? [{ label: undefined, intro: undefined, measures: ungrouped }] : []),
    ...groups.map((group) => ({ label: group.label, intro: group.intro, measures: declaration.measures.filter((m) => m.groupLabel === group.label) })),
  ];
}

/** § 1 when the declaration has neither title nor introduction: said, rather than an empty section. */
export const noPreamble = 'Titel und Einleitung der Erklärung: nicht angegeben.';

export const reportingDuty =
  'Die Partnerin bzw. der Partner berichtet einmal im Jahr über die Umsetzung der vereinbarten Maßnahmen und den Stand der Meilensteine. Zu jedem Berichtsjahr lädt die Geschäftsstelle rechtzeitig ein; der Bericht ist bis zu der in der Einladung genannten Frist einzureichen.';

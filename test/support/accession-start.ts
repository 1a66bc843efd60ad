/**
 * Organisations starting their accession, as staff hand them in. One builder, so each test names
 * only what it reads (the number and name, a contact it mails, a signatory it asserts on) and the
 * rest is complete and the same everywhere.
 */
import type { AccessionStart, AgreementParties } from '../../src/domain/accession';
import { caseworker } from './reporting-world';

/** The parties as the seed's agreements name them: the ministry of 2018 and its Staatssekretärin. */
export const agreementParties: AgreementParties = {
  ministry: 'Ministerium für Kinder, Familie, Flüchtlinge und Integration des Landes Nordrhein-Westfalen',
  initiative: '„Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“',
  ministrySignatory: { name: 'Serap Güler', role: 'Staatssekretärin für Integration' },
};

type Organisation = Pick<AccessionStart, 'number' | 'name'> &
  Partial<Pick<AccessionStart, 'kind' | 'caseworker' | 'agreement'>> & {
    mainContact?: Partial<AccessionStart['mainContact']>;
    leadership?: Partial<AccessionStart['leadership']>;
  };

/**
 * A municipality whose contacts read German and have addresses of its own number, with the world's
 * caseworker and the seed's parties; a contact given in part keeps the rest of its defaults.
 */
export function accessionStart({ mainContact, leadership, ...organisation }: Organisation): AccessionStart {
  return {
    kind: 'municipality',
    caseworker: caseworker.email,
    agreement: agreementParties,
    ...organisation,
    mainContact: { name: 'Jörg Müller', email: `integration@partner-${organisation.number}.example`, language: 'de', ...mainContact },
    leadership: { name: 'Tim Kurzbach', email: `leitung@partner-${organisation.number}.example`, language: 'de', role: 'Oberbürgermeister', ...leadership },
  };
}

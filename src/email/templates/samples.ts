import type { FamilyTemplate, NoticeTemplate } from '../../domain/notice-families';
import type { ReportNoticeContext } from '../families/annual-report';
import type { DeclarationNoticeContext } from '../families/declaration';
import type { MilestoneNoticeContext } from '../families/milestone';
import type { SignatureNoticeContext } from '../families/signature';

/** Fields every sample shares: a Kreis in NRW reporting on 2018, due on 31 March 2019. */
const base: ReportNoticeContext = {
  recipientName: 'Dr. Ayşe Özdemir',
  partnerName: 'Kreis Lippe',
  year: 2018,
  dueAt: '2019-03-31T21:59:59.000Z',
  timezone: 'Europe/Berlin',
  formUrl: 'https://partnerflow.example.org/reports/2018/7?token=sample-token',
  statusUrl: 'https://partnerflow.example.org/admin/reports/2018/7',
  contactPersonName: 'Martin Vogel',
  contactPersonEmail: 'martin.vogel@ministerium.example.org',
  round: 'initial',
};

/** A city joining in 2019, its declaration due on 15 March. */
const declaration: DeclarationNoticeContext = {
  recipientName: 'Dr. Ayşe Özdemir',
  partnerName: 'Stadt Hamm',
  dueAt: '2019-03-15T22:59:59.999Z',
  timezone: 'Europe/Berlin',
  formUrl: 'https://partnerflow.example.org/accession/29/declaration?token=sample-token',
  statusUrl: 'https://partnerflow.example.org/admin/accession/29',
  contactPersonName: 'Martin Vogel',
  contactPersonEmail: 'martin.vogel@ministerium.example.org',
};

/** The same city's agreement, to be signed by 26 April. */
const signature: SignatureNoticeContext = {
  ...declaration,
  dueAt: '2019-04-26T21:59:59.999Z',
  formUrl: 'https://partnerflow.example.org/accession/29/agreement?token=sample-token',
};

/** A milestone of Rhein-Sieg-Kreis's declaration, "bis Frühjahr 2018". */
const milestone: MilestoneNoticeContext = {
  recipientName: 'Dr. Ayşe Özdemir',
  partnerName: 'Rhein-Sieg-Kreis',
  dueAt: '2018-05-31T21:59:59.999Z',
  timezone: 'Europe/Berlin',
  formUrl: 'https://partnerflow.example.org/partners/20/milestones/RSK-4%2F1?token=sample-token',
  statusUrl: 'https://partnerflow.example.org/admin/partners/20',
  contactPersonName: 'Martin Vogel',
  contactPersonEmail: 'martin.vogel@ministerium.example.org',
  milestoneId: 'RSK-4/1',
  milestoneText: 'eine allgemeine Formulierung entwickeln',
  measureTitle: 'Anpassung des Textes im Stellen-Ausschreibungsverfahren',
  dueText: 'bis Frühjahr 2018',
};

/** Sample props per template, for tests and for previewing mail in the dev stack. */
export const noticeSamples: Record<FamilyTemplate<'annual-report'>, ReportNoticeContext> &
  Record<FamilyTemplate<'declaration'>, DeclarationNoticeContext> &
  Record<FamilyTemplate<'signature'>, SignatureNoticeContext> &
  Record<FamilyTemplate<'milestone'>, MilestoneNoticeContext> = {
  'report-invitation': base,
  'report-reminder': base,
  'report-overdue': base,
  'report-escalation-partner': { ...base, recipientName: 'Dr. Axel Lehmann', escalationLevel: 1 },
  'report-escalation-ministry': { ...base, recipientName: 'Jana Schäfer', escalationLevel: 2 },
  'report-received': {
    ...base,
    reference: 'JB-2018-0007-1',
    version: 1,
    submittedAt: '2019-03-28T13:05:00.000Z',
  },
  'report-revision-requested': {
    ...base,
    round: 'revision',
    dueAt: '2019-05-15T21:59:59.000Z',
    reference: 'JB-2018-0007-1',
    comments:
      'Zu Modul 2 („Interkulturelle Kompetenz der Beschäftigten“) fehlen Angaben zur Zahl der geschulten Beschäftigten.\nBitte ergänzen Sie außerdem die geplanten Maßnahmen für 2019.',
  },
  'report-extension-granted': {
    ...base,
    dueAt: '2019-04-30T21:59:59.000Z',
    reason: 'Personelle Engpässe durch die Neubesetzung der Integrationsbeauftragten',
  },
  'report-accepted': { ...base, reference: 'JB-2018-0007-2' },
  'report-waived': { ...base, reason: 'Austritt aus dem Partnernetzwerk zum 31.12.2018' },
  'declaration-invitation': declaration,
  'declaration-reminder': declaration,
  'declaration-overdue-ministry': { ...declaration, recipientName: 'Jana Schäfer', statusUrl: 'https://partnerflow.example.org/admin/accession/29', escalationLevel: 1 },
  'declaration-received': { ...declaration, version: 2 },
  'declaration-revision-requested': {
    ...declaration,
    dueAt: '2019-04-12T21:59:59.999Z',
    comments: 'Bitte nennen Sie zu Maßnahme M2 einen Meilenstein mit Termin.',
  },
  'agreement-for-signature': signature,
  'agreement-reminder': { ...signature, recipientName: 'Oberbürgermeister Marc Herter' },
  'agreement-overdue-ministry': { ...signature, recipientName: 'Jana Schäfer', escalationLevel: 0 },
  'accession-welcome': { ...signature, accessionDate: '2019-05-02' },
  'accession-closed': { ...signature, outcome: 'withdrawn', reason: 'Haushaltssperre, ein neuer Anlauf 2020' },
  'milestone-request': milestone,
  'milestone-overdue-ministry': { ...milestone, recipientName: 'Jana Schäfer', escalationLevel: 1 },
  'partner-withdrawn-ministry': { ...milestone, recipientName: 'Jana Schäfer', reason: 'Auflösung des Integrationsbüros', closedReports: '2019' },
};

/** Templates whose wording changes when the partner is revising a report that was sent back. */
export const revisionRoundSamples = {
  'report-reminder': { ...base, round: 'revision', dueAt: '2019-05-15T21:59:59.000Z' },
  'report-overdue': { ...base, round: 'revision', dueAt: '2019-05-15T21:59:59.000Z' },
} satisfies Partial<Record<NoticeTemplate, ReportNoticeContext>>;

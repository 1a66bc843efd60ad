import type { NoticeTemplate } from '../../domain/notice-templates';
import type { NoticeContext } from '../notice-context';

/** Fields every sample shares: a Kreis in NRW reporting on 2018, due on 31 March 2019. */
const base: NoticeContext = {
  recipientName: 'Dr. Ayşe Özdemir',
  partnerName: 'Kreis Lippe',
  year: 2018,
  dueAt: '2019-03-31T21:59:59.000Z',
  timezone: 'Europe/Berlin',
  formUrl: 'https://partnerflow.example.org/reports/2018/7?token=sample-token',
  statusUrl: 'https://partnerflow.example.org/admin/reports/2018/7',
  round: 'initial',
};

/** Sample props per template, for tests and for previewing mail in the dev stack. */
export const noticeSamples: Record<NoticeTemplate, NoticeContext> = {
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
};

/** Templates whose wording changes when the partner is revising a report that was sent back. */
export const revisionRoundSamples = {
  'report-reminder': { ...base, round: 'revision', dueAt: '2019-05-15T21:59:59.000Z' },
  'report-overdue': { ...base, round: 'revision', dueAt: '2019-05-15T21:59:59.000Z' },
} satisfies Partial<Record<NoticeTemplate, NoticeContext>>;

/** Texts of the accession pages (partner and staff), both languages side by side. */
import type { AccessionStage } from '../http/accession-service';
import { textsOf, type Lang } from './i18n';

const texts = {
  declarationTitle: ['Ihre Erklärung zum Beitritt', 'Your declaration of accession'],
  declarationIntro: [
    'Beschreiben Sie in eigenen Worten, mit welchen Maßnahmen Ihre Organisation die interkulturelle Öffnung voranbringen will, und welche Meilensteine Sie bis wann erreichen möchten. Optionale Angaben sind gekennzeichnet; was Sie leer lassen, gilt als „nicht angegeben“. Mit „Entwurf speichern“ sichern Sie Ihre Eingaben, ohne sie einzureichen.',
    'Describe in your own words which measures your organisation will take to advance intercultural opening, and which milestones you mean to reach by when. Optional entries are marked; what you leave empty is recorded as “not stated”. “Save draft” keeps your entries without submitting them.',
  ],
  general: ['Allgemeines', 'General'],
  measure: ['Maßnahme', 'Measure'],
  milestone: ['Meilenstein', 'Milestone'],
  milestones: ['Meilensteine', 'Milestones'],
  addMeasure: ['Weitere Maßnahme hinzufügen', 'Add another measure'],
  addMilestone: ['Weiteren Meilenstein hinzufügen', 'Add another milestone'],
  submitDeclaration: ['Erklärung einreichen', 'Submit declaration'],
  revisionRequested: ['Das Ministerium bittet um Überarbeitung', 'The ministry asks for a revision'],
  revisionComments: ['Anmerkungen des Ministeriums zu Fassung {version}:', 'The ministry’s comments on version {version}:'],
  draftSavedAt: ['Entwurf gespeichert am {at}.', 'Draft saved on {at}.'],
  declarationWithMinistry: ['Ihre Erklärung liegt dem Ministerium vor', 'Your declaration is with the ministry'],
  declarationClosed: ['Zu dieser Erklärung ist nichts mehr zu tun.', 'Nothing more is to be done on this declaration.'],
  declarationReceipt: ['Eingangsbestätigung Ihrer Erklärung', 'Receipt of your declaration'],
  declarationReceived: ['Fassung {version} Ihrer Erklärung ist eingegangen.', 'Version {version} of your declaration has arrived.'],
  declarationReceivedText: [
    'Vielen Dank. Das Ministerium prüft Ihre Erklärung und meldet sich bei Ihnen: entweder mit der Vereinbarung zur Unterzeichnung oder mit Anmerkungen zur Überarbeitung.',
    'Thank you. The ministry reviews your declaration and will get back to you: either with the agreement to sign or with comments for a revision.',
  ],
  submittedVersions: ['Eingereichte Fassungen', 'Submitted versions'],
  version: ['Fassung', 'Version'],
  agreementTitle: ['Vereinbarung zur Unterzeichnung', 'Agreement for signature'],
  agreementIntro: [
    'Die Vereinbarung enthält Ihre angenommene Erklärung. Sie wird von der Leitung Ihrer Organisation und vom Ministerium unterzeichnet; mit der zweiten Unterschrift treten Sie dem Netzwerk bei.',
    'The agreement contains your accepted declaration. It is signed by your organisation’s leadership and by the ministry; with the second signature you join the network.',
  ],
  agreementPdf: ['Vereinbarung als PDF herunterladen', 'Download the agreement as PDF'],
  agreementNotYet: ['Die Vereinbarung ist noch nicht erstellt.', 'The agreement has not been made yet.'],
  signHeading: ['Unterzeichnen', 'Sign'],
  signIntro: [
    'Unterzeichnen darf nur, wer Ihre Organisation vertritt (z. B. Landrätin, Oberbürgermeister, Geschäftsführung). Ihre Angaben werden mit Datum als Unterschrift Ihrer Organisation unter der Vereinbarung festgehalten.',
    'Only someone who represents your organisation may sign (e.g. the district administrator, the mayor, the managing director). Your entries are recorded, with the date, as your organisation’s signature under the agreement.',
  ],
  signerName: ['Vor- und Nachname', 'First and last name'],
  signerRole: ['Funktion', 'Function'],
  signConfirm: [
    'Ich bin berechtigt, für meine Organisation zu unterzeichnen, und unterzeichne hiermit die oben stehende Vereinbarung.',
    'I am entitled to sign for my organisation and hereby sign the agreement above.',
  ],
  signConfirmMissing: ['Bitte bestätigen Sie die Unterzeichnung.', 'Please confirm the signature.'],
  signButton: ['Vereinbarung unterzeichnen', 'Sign the agreement'],
  signedBy: ['Unterzeichnet von {signer} ({role}) am {date}', 'Signed by {signer} ({role}) on {date}'],
  partnerSigned: ['Ihre Unterschrift ist festgehalten.', 'Your signature has been recorded.'],
  partnerSignedText: [
    'Vielen Dank. Sobald auch das Ministerium unterzeichnet hat, erhalten Sie eine Bestätigung Ihres Beitritts.',
    'Thank you. Once the ministry has signed too, you will receive a confirmation of your accession.',
  ],
  accessionComplete: ['Ihr Beitritt ist vollzogen. Beitrittsdatum: {date}', 'Your accession is complete. Accession date: {date}'],
  milestonesTitle: ['Ihre Meilensteine', 'Your milestones'],
  milestonesIntro: [
    'Bitte teilen Sie uns mit, ob der Meilenstein erreicht ist, oder bis wann er sich verschiebt.',
    'Please tell us whether the milestone has been reached, or until when it is delayed.',
  ],
  milestoneDue: ['vorgesehen: {due}', 'planned: {due}'],
  milestoneOutcome: ['Stand des Meilensteins', 'State of the milestone'],
  reached: ['erreicht', 'reached'],
  delayed: ['verschiebt sich', 'delayed'],
  open: ['offen', 'open'],
  reachedOn: ['Erreicht am (TT.MM.JJJJ; leer: heute)', 'Reached on (DD.MM.YYYY; empty: today)'],
  newDate: ['Neues Datum (TT.MM.JJJJ)', 'New date (DD.MM.YYYY)'],
  newDueText: ['Neue Angabe in Ihren Worten, z. B. „bis Herbst 2029“', 'The new date in your words, e.g. “bis Herbst 2029”'],
  sendAnswer: ['Antwort senden', 'Send answer'],
  answerRecorded: ['Ihre Antwort ist festgehalten.', 'Your answer has been recorded.'],
  noMilestones: ['Zurzeit ist kein Meilenstein offen.', 'No milestone is open at the moment.'],
  // Staff.
  accessions: ['Beitritte', 'Accessions'],
  organisations: ['Organisationen', 'Organisations'],
  stage: ['Stand', 'Stage'],
  startAccession: ['Beitritt beginnen (Organisation einladen)', 'Start an accession (invite an organisation)'],
  organisation: ['Organisation', 'Organisation'],
  mainContact: ['Ansprechperson', 'Main contact'],
  leadership: ['Leitung (unterzeichnet für die Organisation)', 'Leadership (signs for the organisation)'],
  agreementParties: ['Parteien der Vereinbarung (Stand heute)', 'Parties to the agreement (as of today)'],
  invite: ['Einladen', 'Invite'],
  invited: ['Die Organisation ist eingeladen; die Einladung mit dem Link zur Erklärung geht an die Ansprechperson.', 'The organisation is invited; the invitation with the link to the declaration goes to the main contact.'],
  review: ['Erklärung prüfen', 'Review the declaration'],
  acceptDeclaration: ['Erklärung annehmen (Vereinbarung erstellen und versenden)', 'Accept the declaration (make and send the agreement)'],
  requestChanges: ['Überarbeitung anfordern', 'Request a revision'],
  commentForPartner: ['Anmerkungen für die Organisation', 'Comments for the organisation'],
  signatures: ['Unterschriften', 'Signatures'],
  recordMinistrySignature: ['Unterschrift des Ministeriums festhalten', 'Record the ministry’s signature'],
  recordPartnerSignature: ['Unterschrift der Organisation festhalten (auf Papier eingegangen)', 'Record the organisation’s signature (received on paper)'],
  signedOn: ['Datum der Unterschrift (TT.MM.JJJJ; leer: heute)', 'Date of the signature (DD.MM.YYYY; empty: today)'],
  record: ['Festhalten', 'Record'],
  endAccession: ['Beitritt beenden', 'End the accession'],
  withdraw: ['Rückzug der Organisation festhalten', 'Record the organisation’s withdrawal'],
  reject: ['Beitritt ablehnen', 'Reject the accession'],
  timeline: ['Verlauf', 'Timeline'],
  lifecycle: ['Partnerschaft', 'Partnership'],
  accessionDate: ['Beitrittsdatum', 'Accession date'],
  due: ['Fällig', 'Due'],
  nothingToDo: ['Zurzeit ist hier nichts zu entscheiden.', 'Nothing to decide here at the moment.'],
  done: ['Gespeichert.', 'Saved.'],
  endReason: ['Grund', 'Reason'],
  partnerLeaves: ['Austritt des Partners festhalten', 'Record the partner’s withdrawal'],
  leavesOn: ['Austritt zum (TT.MM.JJJJ; leer: heute)', 'Leaving on (DD.MM.YYYY; empty: today)'],
} as const satisfies Record<string, readonly [string, string]>;

export type AccessionTextKey = keyof typeof texts;

export const at: (lang: Lang, key: AccessionTextKey, params?: Record<string, string | number>) => string = textsOf(texts);

const stageLabels: Record<AccessionStage, readonly [string, string]> = {
  invited: ['eingeladen', 'invited'],
  declaration_draft: ['Erklärung im Entwurf', 'declaration in draft'],
  declaration_submitted: ['Erklärung eingereicht', 'declaration submitted'],
  in_revision: ['Erklärung in Überarbeitung', 'declaration in revision'],
  agreement_to_sign: ['Vereinbarung zur Unterzeichnung', 'agreement to sign'],
  signed: ['unterzeichnet', 'signed'],
  active: ['aktiver Partner', 'active partner'],
  withdrawn: ['zurückgezogen', 'withdrawn'],
  rejected: ['abgelehnt', 'rejected'],
  not_started: ['kein Beitritt begonnen', 'no accession started'],
};

export function stageLabel(lang: Lang, stage: AccessionStage): string {
  return stageLabels[stage][lang === 'de' ? 0 : 1];
}

const phaseLabels: Record<string, readonly [string, string]> = {
  invited: ['eingeladen', 'invited'],
  declaration_submitted: ['Erklärung eingereicht', 'declaration submitted'],
  changes_requested: ['Überarbeitung angefordert', 'revision requested'],
  awaiting_signatures: ['Unterschriften ausstehend', 'awaiting signatures'],
  completed: ['abgeschlossen', 'completed'],
  withdrawn: ['zurückgezogen', 'withdrawn'],
  rejected: ['abgelehnt', 'rejected'],
};

export function accessionPhaseLabel(lang: Lang, phase: string): string {
  return phaseLabels[phase]?.[lang === 'de' ? 0 : 1] ?? phase;
}

/** Timeline actions of the accession and the lifecycle, in words. */
const actionLabels: Record<string, readonly [string, string]> = {
  'draft-saved': ['Entwurf gespeichert', 'Draft saved'],
  'declaration-submitted': ['Erklärung eingereicht', 'Declaration submitted'],
  'declaration-accepted': ['Erklärung angenommen', 'Declaration accepted'],
  'changes-requested': ['Überarbeitung angefordert', 'Revision requested'],
  'signed-by-partner': ['Von der Organisation unterzeichnet', 'Signed by the organisation'],
  'signed-by-ministry': ['Vom Ministerium unterzeichnet', 'Signed by the ministry'],
  'accession-date-set': ['Beitrittsdatum gesetzt', 'Accession date set'],
  completed: ['Beitritt vollzogen', 'Accession completed'],
  'lifecycle-started': ['Partnerschaft begonnen', 'Partnership started'],
  'annual-report-started': ['Jahresbericht eröffnet', 'Annual report opened'],
  'contact-changed': ['Kontakt geändert', 'Contact changed'],
  'milestone-reached': ['Meilenstein erreicht', 'Milestone reached'],
  'milestone-delayed': ['Meilenstein verschoben', 'Milestone delayed'],
  'milestone-escalated': ['Meilenstein unbeantwortet: eskaliert', 'Milestone unanswered: escalated'],
  // A notice planned while nobody was to be mailed (e.g. before office hours) went out late.
  'catch-up-sent': ['Nachricht nachgeholt', 'Message sent late'],
  'notice-failed': ['Nachricht nicht zustellbar', 'Message could not be delivered'],
  withdrawn: ['Zurückgezogen', 'Withdrawn'],
  rejected: ['Abgelehnt', 'Rejected'],
};

export function actionLabel(lang: Lang, action: string): string {
  return actionLabels[action]?.[lang === 'de' ? 0 : 1] ?? action;
}

/** The accession's and the lifecycle's emails as the timeline names them (the ids stay in the API). */
const noticeLabels: Record<string, readonly [string, string]> = {
  'declaration-invitation': ['E-Mail: Einladung zur Erklärung', 'Email: invitation to declare'],
  'declaration-reminder': ['E-Mail: Erinnerung an die Erklärung', 'Email: declaration reminder'],
  'declaration-overdue-ministry': ['E-Mail an das Ministerium: Erklärung überfällig', 'Email to the ministry: declaration overdue'],
  'declaration-received': ['E-Mail: Eingangsbestätigung der Erklärung', 'Email: declaration received'],
  'declaration-revision-requested': ['E-Mail: Bitte um Überarbeitung', 'Email: revision requested'],
  'agreement-for-signature': ['E-Mail: Vereinbarung zur Unterzeichnung', 'Email: agreement for signature'],
  'agreement-reminder': ['E-Mail: Erinnerung an die Unterzeichnung', 'Email: signature reminder'],
  'agreement-overdue-ministry': ['E-Mail an das Ministerium: Unterzeichnung überfällig', 'Email to the ministry: signature overdue'],
  'accession-welcome': ['E-Mail: Willkommen im Netzwerk', 'Email: welcome to the network'],
  'accession-closed': ['E-Mail: Beitritt beendet', 'Email: accession ended'],
  // The lifecycle's, shown on the same page once the organisation is a partner.
  'milestone-request': ['E-Mail: Frage zum Meilenstein', 'Email: milestone question'],
  'milestone-overdue-ministry': ['E-Mail an das Ministerium: Meilenstein unbeantwortet', 'Email to the ministry: milestone unanswered'],
  'partner-withdrawn-ministry': ['E-Mail an das Ministerium: Partner ausgetreten', 'Email to the ministry: partner withdrawn'],
};

export function noticeLabel(lang: Lang, template: string): string {
  return noticeLabels[template]?.[lang === 'de' ? 0 : 1] ?? template;
}

/** The button of the link page, for links of the accession's purposes. */
export function linkContinueLabel(lang: Lang, purpose: string): string {
  const labels: Record<string, readonly [string, string]> = {
    declaration: ['Weiter zur Erklärung', 'Continue to the declaration'],
    agreement: ['Weiter zur Vereinbarung', 'Continue to the agreement'],
    milestone: ['Weiter zu den Meilensteinen', 'Continue to the milestones'],
  };
  return labels[purpose]?.[lang === 'de' ? 0 : 1] ?? (lang === 'de' ? 'Weiter' : 'Continue');
}

/** "30.06.2028" as "2028-06-30"; anything else as typed (the validator answers). */
export function isoDayOf(typed: string): string {
  const german = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/.exec(typed);
  return german ? `${german[3]}-${german[2]!.padStart(2, '0')}-${german[1]!.padStart(2, '0')}` : typed.trim();
}

/**
 * German first, English on request: the `lang` cookie (set by `?lang=en` on any page) or the
 * default German. Texts live here, one entry per message, both languages side by side.
 */
export const langs = ['de', 'en'] as const;
export type Lang = (typeof langs)[number];

const texts = {
  serviceName: ['Partnernetzwerk „NRW stärkt Vielfalt“', 'Partner network “NRW stärkt Vielfalt”'],
  officialSite: ['Offizielle Website – Land Nordrhein-Westfalen', 'Official website – State of North Rhine-Westphalia'],
  skipToContent: ['Zum Inhalt springen', 'Skip to content'],
  switchLanguage: ['English', 'Deutsch'],
  switchLanguageLabel: ['Switch to English', 'Auf Deutsch wechseln'],
  imprint: ['Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen', 'Ministry for Children, Youth, Family, Equality, Refugees and Integration of the State of North Rhine-Westphalia'],
  home: ['Startseite', 'Home'],
  homeIntro: [
    'Partnerorganisationen erreichen ihre Seiten über den persönlichen Link in der E-Mail des Ministeriums. Beschäftigte des Ministeriums melden sich an.',
    'Partner organisations reach their pages through the personal link in the ministry’s email. Ministry staff log in.',
  ],
  staffLogin: ['Anmeldung für Beschäftigte', 'Staff login'],
  linkTitle: ['Ihr persönlicher Zugang', 'Your personal access'],
  linkIntro: [
    'Mit diesem Link gelangen Sie zu den Seiten Ihrer Organisation. Bitte bestätigen Sie, dass Sie fortfahren möchten.',
    'This link leads to your organisation’s pages. Please confirm that you want to continue.',
  ],
  linkContinue: ['Weiter zum Bericht', 'Continue to the report'],
  linkInvalid: ['Dieser Link ist nicht gültig', 'This link is not valid'],
  linkInvalidText: [
    'Der Link ist abgelaufen, wurde zurückgezogen oder ist unvollständig. Bitte wenden Sie sich an Ihre Ansprechperson im Ministerium; sie kann Ihnen einen neuen Link senden.',
    'The link has expired, was withdrawn or is incomplete. Please contact your caseworker at the ministry, who can send you a new link.',
  ],
  sessionMissing: ['Bitte öffnen Sie den Link aus Ihrer E-Mail erneut.', 'Please open the link from your email again.'],
  overview: ['Übersicht', 'Overview'],
  annualReport: ['Jahresbericht', 'Annual report'],
  dueOn: ['Fällig am', 'Due on'],
  phase: ['Stand', 'Status'],
  sent: ['Eingereichte Fassungen', 'Submitted versions'],
  noneSent: ['Noch keine Fassung eingereicht.', 'No version submitted yet.'],
  reference: ['Aktenzeichen', 'Reference number'],
  submittedAt: ['Eingereicht am', 'Submitted on'],
  openForm: ['Bericht bearbeiten', 'Edit the report'],
  history: ['Verlauf', 'History'],
  nextNotice: ['Nächste Nachricht', 'Next message'],
  nothingYet: ['Noch nichts.', 'Nothing yet.'],
  formTitle: ['Jahresbericht {year}', 'Annual report {year}'],
  formIntro: [
    'Optionale Angaben sind gekennzeichnet. Was Sie nicht angeben können, lassen Sie dort leer: es wird als „nicht angegeben“ gespeichert. Mit „Entwurf speichern“ sichern Sie Ihre Eingaben, ohne sie einzureichen.',
    'Optional entries are marked. Leave empty there what you cannot state: it is recorded as “not stated”. “Save draft” keeps your entries without submitting them.',
  ],
  saveDraft: ['Entwurf speichern', 'Save draft'],
  submit: ['Bericht einreichen', 'Submit report'],
  addSection: ['Weiteren Abschnitt hinzufügen', 'Add another section'],
  draftSaved: ['Ihr Entwurf wurde gespeichert.', 'Your draft has been saved.'],
  errorSummary: ['Bitte prüfen Sie Ihre Angaben', 'Please check your entries'],
  errorSummaryIntro: ['Folgende Felder sind noch nicht richtig ausgefüllt:', 'These fields are not filled in correctly yet:'],
  optional: ['optional', 'optional'],
  receiptTitle: ['Eingangsbestätigung', 'Receipt'],
  receiptText: [
    'Vielen Dank. Ihr Jahresbericht {year} ist eingegangen. Bitte geben Sie bei Rückfragen das Aktenzeichen an.',
    'Thank you. Your annual report {year} has arrived. Please quote the reference number in any enquiry.',
  ],
  copyOfSubmission: ['Ihre Angaben', 'What you submitted'],
  print: ['Drucken', 'Print'],
  notStated: ['nicht angegeben', 'not stated'],
  logout: ['Abmelden', 'Log out'],
  email: ['E-Mail-Adresse', 'Email address'],
  password: ['Passwort', 'Password'],
  login: ['Anmelden', 'Log in'],
  loginFailed: ['E-Mail-Adresse oder Passwort ist falsch.', 'Email address or password is wrong.'],
  totpTitle: ['Zweiter Faktor', 'Second factor'],
  totpCode: ['Sechsstelliger Code aus Ihrer Authenticator-App', 'Six-digit code from your authenticator app'],
  totpFailed: ['Der Code ist falsch oder abgelaufen.', 'The code is wrong or has expired.'],
  confirm: ['Bestätigen', 'Confirm'],
  board: ['Berichte {year}', 'Reports {year}'],
  partner: ['Partner', 'Partner'],
  escalation: ['Eskalationsstufe', 'Escalation level'],
  versions: ['Fassungen', 'Versions'],
  actions: ['Aktionen', 'Actions'],
  accept: ['Annehmen', 'Accept'],
  requestRevision: ['Überarbeitung anfordern', 'Request revision'],
  extend: ['Frist verlängern', 'Extend deadline'],
  waive: ['Verzichten', 'Waive'],
  comment: ['Kommentar', 'Comment'],
  reason: ['Begründung', 'Reason'],
  newDueDate: ['Neues Fälligkeitsdatum (JJJJ-MM-TT)', 'New due date (YYYY-MM-DD)'],
  decisionDone: ['Die Entscheidung wurde gespeichert.', 'The decision has been recorded.'],
  year: ['Jahr', 'Year'],
  show: ['Anzeigen', 'Show'],
  workflows: ['Workflows', 'Workflows'],
  workflowId: ['Workflow-ID', 'Workflow ID'],
  type: ['Typ', 'Type'],
  status: ['Status', 'Status'],
  state: ['Zustand', 'State'],
  started: ['Gestartet', 'Started'],
  openInTemporal: ['In der Temporal Web UI öffnen', 'Open in the Temporal Web UI'],
  cancel: ['Abbrechen (cancel)', 'Cancel'],
  terminate: ['Beenden (terminate)', 'Terminate'],
  time: ['Zeit', 'Time'],
  event: ['Ereignis', 'Event'],
  details: ['Details', 'Details'],
  forbidden: ['Kein Zugriff', 'No access'],
  forbiddenText: ['Für diese Seite fehlt Ihnen die Berechtigung.', 'You lack the permission for this page.'],
  notFound: ['Seite nicht gefunden', 'Page not found'],
  workflowWaitOver: ['Keine Antwort', 'No answer'],
  workflowWaitOverText: [
    'Der Arbeitsablauf hat nicht innerhalb von {seconds} Sekunden geantwortet. Eine Änderung kann noch übernommen werden, sobald das System wieder läuft: Bitte prüfen Sie den Stand, bevor Sie sie wiederholen.',
    'The workflow did not answer within {seconds} seconds. A change may still be made once the system runs again: please check its state before you repeat it.',
  ],
  tooMany: ['Zu viele Versuche. Bitte warten Sie eine Minute.', 'Too many attempts. Please wait a minute.'],
  filter: ['Filtern', 'Filter'],
  all: ['alle', 'all'],
  actionDone: ['Erledigt.', 'Done.'],
  issueLink: ['Neuen persönlichen Link ausstellen', 'Issue a new personal link'],
  linkIssued: ['Neuer Link für Partner {partner} – nur jetzt sichtbar, bitte sicher weitergeben:', 'New link for partner {partner} – shown only now, pass it on safely:'],
  revokeLinks: ['Alle Links widerrufen', 'Revoke all links'],
  revokeLinksHint: ['Offene Sitzungen mit diesen Links enden sofort.', 'Sessions opened with these links end at once.'],
  linksRevoked: ['{count} Link(s) widerrufen.', '{count} link(s) revoked.'],
} as const satisfies Record<string, readonly [string, string]>;

export type TextKey = keyof typeof texts;

/**
 * The lookup for a table of [German, English] texts: the text in `lang`, its {name}s filled in from
 * `params` (one left as it is when no value is given). Each group of pages keeps its own table.
 */
export function textsOf<Key extends string>(table: Record<Key, readonly [string, string]>) {
  return (lang: Lang, key: Key, params: Record<string, string | number> = {}): string =>
    table[key][lang === 'de' ? 0 : 1].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export const t: (lang: Lang, key: TextKey, params?: Record<string, string | number>) => string = textsOf(texts);

export function parseLang(value: string | undefined): Lang | undefined {
  return langs.find((lang) => lang === value);
}

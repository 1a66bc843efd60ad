import { describe, expect, it } from 'vitest';
import type { NoticeTemplate } from '../../src/domain/notice-families';
import type { DeadlineContext, NoticeLanguage, PersonalContext } from '../../src/email/notice-context';
import { renderNotice } from '../../src/email/render';
import { noticeSamples, revisionRoundSamples } from '../../src/email/templates/samples';

// Subject and text pinned exactly: a change in wording shows up as a diff a person reviews.
function mail(template: NoticeTemplate, language: NoticeLanguage, ctx: PersonalContext & DeadlineContext = noticeSamples[template]): string {
  const rendered = renderNotice(template, language, ctx);
  return `Subject: ${rendered.subject}\n\n${rendered.text}`;
}

describe('German notices', () => {
  it('renders report-invitation', () => {
    expect(mail('report-invitation', 'de')).toMatchInlineSnapshot(`
      "Subject: Jahresbericht 2018 zur Umsetzung der Beitrittsmodule – bitte bis 31.03.2019 einreichen

      Guten Tag Dr. Ayşe Özdemir,

      als Partner im Netzwerk „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“ berichten Sie einmal im Jahr, wie Sie die Module umsetzen, zu denen Sie sich mit Ihrem Beitritt verpflichtet haben. Hiermit laden wir Sie herzlich ein, den „Jahresbericht zur Umsetzung der Beitrittsmodule“ für 2018 einzureichen.

      Partner: Kreis Lippe
      Berichtsjahr: 2018
      Abgabefrist: 31.03.2019

      Bitte nutzen Sie für Ihren Bericht das folgende Formular:
      https://partnerflow.example.org/reports/2018/7?token=sample-token

      Der Link ist Ihrer Organisation persönlich zugeordnet; bitte geben Sie ihn nur innerhalb Ihrer Organisation weiter. Bei Fragen zum Bericht sind wir gern für Sie da.

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders report-reminder', () => {
    expect(mail('report-reminder', 'de')).toMatchInlineSnapshot(`
      "Subject: Erinnerung: Jahresbericht 2018 – Abgabe bis 31.03.2019

      Guten Tag Dr. Ayşe Özdemir,

      wir möchten Sie freundlich daran erinnern, dass Ihr Jahresbericht 2018 zur Umsetzung der Beitrittsmodule noch nicht bei uns eingegangen ist.

      Partner: Kreis Lippe
      Abgabefrist: 31.03.2019

      Bitte reichen Sie den Bericht über das folgende Formular ein:
      https://partnerflow.example.org/reports/2018/7?token=sample-token

      Sollten Sie den Bericht in den letzten Tagen bereits eingereicht haben, betrachten Sie diese Nachricht bitte als gegenstandslos.

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders report-overdue', () => {
    expect(mail('report-overdue', 'de')).toMatchInlineSnapshot(`
      "Subject: Frist abgelaufen: Jahresbericht 2018

      Guten Tag Dr. Ayşe Özdemir,

      die Frist für Ihren Jahresbericht 2018 zur Umsetzung der Beitrittsmodule ist am 31.03.2019 abgelaufen. Der Bericht liegt uns bislang leider nicht vor.

      Partner: Kreis Lippe
      Abgabefrist: 31.03.2019

      Bitte reichen Sie den Bericht so bald wie möglich über das folgende Formular nach:
      https://partnerflow.example.org/reports/2018/7?token=sample-token

      Falls Sie den Bericht aus wichtigem Grund nicht einreichen können, setzen Sie sich bitte mit uns in Verbindung. Gemeinsam finden wir eine Lösung.

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders report-escalation-partner', () => {
    expect(mail('report-escalation-partner', 'de')).toMatchInlineSnapshot(`
      "Subject: Dringend: Ausstehender Jahresbericht 2018 – Kreis Lippe

      Guten Tag Dr. Axel Lehmann,

      wir wenden uns heute an Sie, weil uns der angeforderte Jahresbericht 2018 zur Umsetzung der Beitrittsmodule Ihrer Organisation trotz Erinnerung noch nicht vorliegt. Die Abgabefrist ist am 31.03.2019 abgelaufen.

      Partner: Kreis Lippe
      Abgabefrist: 31.03.2019

      Mit dem Beitritt zum Partnernetzwerk „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“ hat sich Ihre Organisation verpflichtet, jährlich über die Umsetzung der Beitrittsmodule zu berichten. Wir bitten Sie daher, die Einreichung zu veranlassen. Der Bericht kann über das folgende Formular eingereicht werden:
      https://partnerflow.example.org/reports/2018/7?token=sample-token

      Sollte eine Abgabe aus wichtigem Grund nicht möglich sein, bitten wir um eine kurze Rückmeldung.

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders report-escalation-ministry', () => {
    expect(mail('report-escalation-ministry', 'de')).toMatchInlineSnapshot(`
      "Subject: Eskalation (Stufe 2): Jahresbericht 2018 ausstehend – Kreis Lippe

      Guten Tag Jana Schäfer,

      der Jahresbericht 2018 zur Umsetzung der Beitrittsmodule des folgenden Partners liegt trotz Erinnerungen noch nicht vor:

      Partner: Kreis Lippe
      Abgabefrist: 31.03.2019
      Eskalationsstufe: 2

      Den Stand des Vorgangs und alle bisher versandten Nachrichten finden Sie hier:
      https://partnerflow.example.org/admin/reports/2018/7

      Bitte prüfen Sie, ob eine Kontaktaufnahme mit dem Partner, eine Fristverlängerung oder ein Verzicht auf den Bericht angezeigt ist.

      Diese Nachricht wurde von Partnerflow automatisch erstellt.

      Zuständige Sachbearbeitung: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders report-received', () => {
    expect(mail('report-received', 'de')).toMatchInlineSnapshot(`
      "Subject: Eingangsbestätigung: Jahresbericht 2018 (Referenznummer JB-2018-0007-1)

      Guten Tag Dr. Ayşe Özdemir,

      vielen Dank! Ihr Jahresbericht 2018 zur Umsetzung der Beitrittsmodule ist bei uns eingegangen.

      Partner: Kreis Lippe
      Referenznummer: JB-2018-0007-1
      Eingegangen am: 28.03.2019 um 14:05 Uhr
      Fassung: 1

      Bitte geben Sie bei Rückfragen die Referenznummer an. Wir prüfen Ihren Bericht und melden uns bei Ihnen, falls wir Fragen haben oder eine Überarbeitung benötigen.

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders report-revision-requested', () => {
    expect(mail('report-revision-requested', 'de')).toMatchInlineSnapshot(`
      "Subject: Bitte um Überarbeitung: Jahresbericht 2018 – neue Frist 15.05.2019

      Guten Tag Dr. Ayşe Özdemir,

      vielen Dank für Ihren Jahresbericht 2018 zur Umsetzung der Beitrittsmodule. Bei der Prüfung haben sich noch einige Punkte ergeben. Wir bitten Sie, den Bericht entsprechend zu überarbeiten:

      Zu Modul 2 („Interkulturelle Kompetenz der Beschäftigten“) fehlen Angaben zur Zahl der geschulten Beschäftigten.
      Bitte ergänzen Sie außerdem die geplanten Maßnahmen für 2019.

      Partner: Kreis Lippe
      Referenznummer: JB-2018-0007-1
      Neue Abgabefrist: 15.05.2019

      Bitte reichen Sie die überarbeitete Fassung bis zum 15.05.2019 über das folgende Formular ein:
      https://partnerflow.example.org/reports/2018/7?token=sample-token

      Für Rückfragen stehen wir Ihnen gern zur Verfügung.

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders report-extension-granted', () => {
    expect(mail('report-extension-granted', 'de')).toMatchInlineSnapshot(`
      "Subject: Fristverlängerung: Jahresbericht 2018 – neue Frist 30.04.2019

      Guten Tag Dr. Ayşe Özdemir,

      die Frist für Ihren Jahresbericht 2018 zur Umsetzung der Beitrittsmodule wurde verlängert. Sie können den Bericht nun bis zum 30.04.2019 einreichen.

      Partner: Kreis Lippe
      Neue Abgabefrist: 30.04.2019
      Begründung: Personelle Engpässe durch die Neubesetzung der Integrationsbeauftragten

      Das Formular für Ihren Bericht erreichen Sie weiterhin über diesen Link:
      https://partnerflow.example.org/reports/2018/7?token=sample-token

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders report-accepted', () => {
    expect(mail('report-accepted', 'de')).toMatchInlineSnapshot(`
      "Subject: Ihr Jahresbericht 2018 wurde angenommen

      Guten Tag Dr. Ayşe Özdemir,

      wir haben Ihren Jahresbericht 2018 zur Umsetzung der Beitrittsmodule geprüft und angenommen. Für dieses Berichtsjahr ist damit nichts weiter zu tun.

      Partner: Kreis Lippe
      Referenznummer: JB-2018-0007-2

      Vielen Dank für Ihre Mitwirkung und Ihr Engagement für die interkulturelle Öffnung in Nordrhein-Westfalen.

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders report-waived', () => {
    expect(mail('report-waived', 'de')).toMatchInlineSnapshot(`
      "Subject: Jahresbericht 2018: Keine Abgabe erforderlich

      Guten Tag Dr. Ayşe Özdemir,

      für 2018 verzichten wir auf den Jahresbericht zur Umsetzung der Beitrittsmodule Ihrer Organisation. Sie müssen nichts weiter unternehmen; bereits erhaltene Erinnerungen sind damit gegenstandslos.

      Partner: Kreis Lippe
      Begründung: Austritt aus dem Partnernetzwerk zum 31.12.2018

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('words report-reminder for a revision round', () => {
    expect(mail('report-reminder', 'de', revisionRoundSamples['report-reminder'])).toMatchInlineSnapshot(`
      "Subject: Erinnerung: Überarbeitung Ihres Jahresberichts 2018 – Abgabe bis 15.05.2019

      Guten Tag Dr. Ayşe Özdemir,

      wir möchten Sie freundlich daran erinnern, dass die erbetene Überarbeitung Ihres Jahresberichts 2018 zur Umsetzung der Beitrittsmodule noch nicht bei uns eingegangen ist.

      Partner: Kreis Lippe
      Abgabefrist: 15.05.2019

      Bitte reichen Sie die überarbeitete Fassung über das folgende Formular ein:
      https://partnerflow.example.org/reports/2018/7?token=sample-token

      Sollten Sie den Bericht in den letzten Tagen bereits eingereicht haben, betrachten Sie diese Nachricht bitte als gegenstandslos.

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('words report-overdue for a revision round', () => {
    expect(mail('report-overdue', 'de', revisionRoundSamples['report-overdue'])).toMatchInlineSnapshot(`
      "Subject: Frist abgelaufen: Überarbeitung Ihres Jahresberichts 2018

      Guten Tag Dr. Ayşe Özdemir,

      die Frist für die Überarbeitung Ihres Jahresberichts 2018 zur Umsetzung der Beitrittsmodule ist am 15.05.2019 abgelaufen. Die überarbeitete Fassung liegt uns bislang leider nicht vor.

      Partner: Kreis Lippe
      Abgabefrist: 15.05.2019

      Bitte reichen Sie die überarbeitete Fassung so bald wie möglich über das folgende Formular nach:
      https://partnerflow.example.org/reports/2018/7?token=sample-token

      Falls Sie den Bericht aus wichtigem Grund nicht einreichen können, setzen Sie sich bitte mit uns in Verbindung. Gemeinsam finden wir eine Lösung.

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });
});

describe('English notices', () => {
  it('renders report-invitation', () => {
    expect(mail('report-invitation', 'en')).toMatchInlineSnapshot(`
      "Subject: Annual report 2018 on the implementation of the accession modules – please submit by 31 March 2019

      Dear Dr. Ayşe Özdemir,

      As a partner in the network "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!", you report once a year on how you are implementing the modules you committed to when you joined. We cordially invite you to submit the annual report on the implementation of the accession modules ("Jahresbericht zur Umsetzung der Beitrittsmodule") for 2018.

      Partner: Kreis Lippe
      Reporting year: 2018
      Due date: 31 March 2019

      Please use the following form for your report:
      https://partnerflow.example.org/reports/2018/7?token=sample-token

      This link belongs to your organisation; please share it only within your organisation. If you have any questions about the report, we are happy to help.

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders report-reminder', () => {
    expect(mail('report-reminder', 'en')).toMatchInlineSnapshot(`
      "Subject: Reminder: annual report 2018 – due 31 March 2019

      Dear Dr. Ayşe Özdemir,

      This is a friendly reminder that we have not yet received your annual report 2018 on the implementation of the accession modules.

      Partner: Kreis Lippe
      Due date: 31 March 2019

      Please submit the report using the following form:
      https://partnerflow.example.org/reports/2018/7?token=sample-token

      If you have submitted the report in the last few days, please disregard this message.

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders report-overdue', () => {
    expect(mail('report-overdue', 'en')).toMatchInlineSnapshot(`
      "Subject: Deadline passed: annual report 2018

      Dear Dr. Ayşe Özdemir,

      The deadline for your annual report 2018 on the implementation of the accession modules passed on 31 March 2019. Unfortunately, we have not yet received the report.

      Partner: Kreis Lippe
      Due date: 31 March 2019

      Please submit the report as soon as possible using the following form:
      https://partnerflow.example.org/reports/2018/7?token=sample-token

      If there is an important reason why you cannot submit the report, please get in touch with us. We will find a solution together.

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders report-escalation-partner', () => {
    expect(mail('report-escalation-partner', 'en')).toMatchInlineSnapshot(`
      "Subject: Urgent: outstanding annual report 2018 – Kreis Lippe

      Dear Dr. Axel Lehmann,

      We are contacting you because, despite a reminder, we have not yet received your organisation's requested annual report 2018 on the implementation of the accession modules. The deadline passed on 31 March 2019.

      Partner: Kreis Lippe
      Due date: 31 March 2019

      By joining the partner network "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!", your organisation committed to reporting annually on the implementation of the accession modules. We therefore ask you to arrange for the report to be submitted. It can be submitted using the following form:
      https://partnerflow.example.org/reports/2018/7?token=sample-token

      If there is an important reason why the report cannot be submitted, please let us know.

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders report-escalation-ministry', () => {
    expect(mail('report-escalation-ministry', 'en')).toMatchInlineSnapshot(`
      "Subject: Escalation (level 2): annual report 2018 outstanding – Kreis Lippe

      Dear Jana Schäfer,

      Despite reminders, the annual report 2018 on the implementation of the accession modules of the following partner is still outstanding:

      Partner: Kreis Lippe
      Due date: 31 March 2019
      Escalation level: 2

      The status of the case and all messages sent so far are available here:
      https://partnerflow.example.org/admin/reports/2018/7

      Please consider whether to contact the partner, grant an extension or waive the report.

      This message was generated automatically by Partnerflow.

      Caseworker in charge: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders report-received', () => {
    expect(mail('report-received', 'en')).toMatchInlineSnapshot(`
      "Subject: Confirmation of receipt: annual report 2018 (reference JB-2018-0007-1)

      Dear Dr. Ayşe Özdemir,

      Thank you! We have received your annual report 2018 on the implementation of the accession modules.

      Partner: Kreis Lippe
      Reference number: JB-2018-0007-1
      Received: 28 March 2019 at 14:05
      Version: 1

      Please quote the reference number in any enquiries. We will review your report and get back to you if we have questions or need a revision.

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders report-revision-requested', () => {
    expect(mail('report-revision-requested', 'en')).toMatchInlineSnapshot(`
      "Subject: Revision requested: annual report 2018 – new deadline 15 May 2019

      Dear Dr. Ayşe Özdemir,

      Thank you for your annual report 2018 on the implementation of the accession modules. Our review raised a few points, and we kindly ask you to revise the report accordingly:

      Zu Modul 2 („Interkulturelle Kompetenz der Beschäftigten“) fehlen Angaben zur Zahl der geschulten Beschäftigten.
      Bitte ergänzen Sie außerdem die geplanten Maßnahmen für 2019.

      Partner: Kreis Lippe
      Reference number: JB-2018-0007-1
      New due date: 15 May 2019

      Please submit the revised version by 15 May 2019 using the following form:
      https://partnerflow.example.org/reports/2018/7?token=sample-token

      If you have any questions, please do not hesitate to contact us.

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders report-extension-granted', () => {
    expect(mail('report-extension-granted', 'en')).toMatchInlineSnapshot(`
      "Subject: Extension granted: annual report 2018 – new deadline 30 April 2019

      Dear Dr. Ayşe Özdemir,

      The deadline for your annual report 2018 on the implementation of the accession modules has been extended. You can now submit the report until 30 April 2019.

      Partner: Kreis Lippe
      New due date: 30 April 2019
      Reason: Personelle Engpässe durch die Neubesetzung der Integrationsbeauftragten

      The form for your report is still available at this link:
      https://partnerflow.example.org/reports/2018/7?token=sample-token

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders report-accepted', () => {
    expect(mail('report-accepted', 'en')).toMatchInlineSnapshot(`
      "Subject: Your annual report 2018 has been accepted

      Dear Dr. Ayşe Özdemir,

      We have reviewed and accepted your annual report 2018 on the implementation of the accession modules. Nothing further is required for this reporting year.

      Partner: Kreis Lippe
      Reference number: JB-2018-0007-2

      Thank you for your cooperation and your commitment to intercultural opening in North Rhine-Westphalia.

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders report-waived', () => {
    expect(mail('report-waived', 'en')).toMatchInlineSnapshot(`
      "Subject: Annual report 2018: no submission required

      Dear Dr. Ayşe Özdemir,

      We are waiving your organisation's annual report on the implementation of the accession modules for 2018. You do not need to do anything further; any reminders you have received no longer apply.

      Partner: Kreis Lippe
      Reason: Austritt aus dem Partnernetzwerk zum 31.12.2018

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('words report-reminder for a revision round', () => {
    expect(mail('report-reminder', 'en', revisionRoundSamples['report-reminder'])).toMatchInlineSnapshot(`
      "Subject: Reminder: revision of your annual report 2018 – due 15 May 2019

      Dear Dr. Ayşe Özdemir,

      This is a friendly reminder that we have not yet received the requested revision of your annual report 2018 on the implementation of the accession modules.

      Partner: Kreis Lippe
      Due date: 15 May 2019

      Please submit the revised version using the following form:
      https://partnerflow.example.org/reports/2018/7?token=sample-token

      If you have submitted the report in the last few days, please disregard this message.

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('words report-overdue for a revision round', () => {
    expect(mail('report-overdue', 'en', revisionRoundSamples['report-overdue'])).toMatchInlineSnapshot(`
      "Subject: Deadline passed: revision of your annual report 2018

      Dear Dr. Ayşe Özdemir,

      The deadline for the revision of your annual report 2018 on the implementation of the accession modules passed on 15 May 2019. Unfortunately, we have not yet received the revised version.

      Partner: Kreis Lippe
      Due date: 15 May 2019

      Please submit the revised version as soon as possible using the following form:
      https://partnerflow.example.org/reports/2018/7?token=sample-token

      If there is an important reason why you cannot submit the report, please get in touch with us. We will find a solution together.

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });
});

describe('declaration notices', () => {
  it('renders declaration-invitation in de', () => {
    expect(mail('declaration-invitation', 'de')).toMatchInlineSnapshot(`
      "Subject: Beitritt zum Partnernetzwerk: Ihre Absichtserklärung – bitte bis 15.03.2019 einreichen

      Guten Tag Dr. Ayşe Özdemir,

      wir freuen uns, dass Stadt Hamm dem Partnernetzwerk „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“ beitreten möchte. Der erste Schritt ist Ihre Absichtserklärung: Sie beschreiben formlos, mit welchen konkreten Maßnahmen Sie die interkulturelle Öffnung Ihrer Organisation voranbringen und welche Meilensteine Sie bis wann erreichen wollen.

      Organisation: Stadt Hamm
      Einreichung bis: 15.03.2019

      Bitte nutzen Sie für Ihre Absichtserklärung das folgende Formular; Entwürfe können Sie dort zwischenspeichern:
      https://partnerflow.example.org/accession/29/declaration?token=sample-token

      Aus der angenommenen Erklärung entsteht die Partnervereinbarung, die Ihre Leitung und die Staatssekretärin für Integration unterzeichnen. Bei Fragen sind wir gern für Sie da.

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders declaration-invitation in en', () => {
    expect(mail('declaration-invitation', 'en')).toMatchInlineSnapshot(`
      "Subject: Joining the partner network: your declaration – please submit by 15 March 2019

      Dear Dr. Ayşe Özdemir,

      We are delighted that Stadt Hamm wishes to join the partner network "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!". The first step is your declaration: in your own words, describe the concrete measures with which you will advance the intercultural opening of your organisation, and which milestones you intend to reach by when.

      Organisation: Stadt Hamm
      Submit by: 15 March 2019

      Please use the following form for your declaration; you can save drafts there:
      https://partnerflow.example.org/accession/29/declaration?token=sample-token

      The accepted declaration becomes part of the partner agreement, signed by your leadership and the State Secretary for Integration. If you have any questions, we are happy to help.

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders declaration-reminder in de', () => {
    expect(mail('declaration-reminder', 'de')).toMatchInlineSnapshot(`
      "Subject: Erinnerung: Ihre Absichtserklärung zum Beitritt – bis 15.03.2019

      Guten Tag Dr. Ayşe Özdemir,

      wir möchten Sie freundlich daran erinnern, dass Ihre Absichtserklärung zum Beitritt in das Partnernetzwerk noch nicht bei uns eingegangen ist.

      Organisation: Stadt Hamm
      Einreichung bis: 15.03.2019

      Bitte reichen Sie die Erklärung über das folgende Formular ein:
      https://partnerflow.example.org/accession/29/declaration?token=sample-token

      Sollten Sie die Erklärung in den letzten Tagen bereits eingereicht haben, betrachten Sie diese Nachricht bitte als gegenstandslos.

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders declaration-reminder in en', () => {
    expect(mail('declaration-reminder', 'en')).toMatchInlineSnapshot(`
      "Subject: Reminder: your declaration for joining – by 15 March 2019

      Dear Dr. Ayşe Özdemir,

      We would like to remind you that we have not yet received your declaration for joining the partner network.

      Organisation: Stadt Hamm
      Submit by: 15 March 2019

      Please submit the declaration using the following form:
      https://partnerflow.example.org/accession/29/declaration?token=sample-token

      If you have submitted the declaration in the last few days, please disregard this message.

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders declaration-overdue-ministry in de', () => {
    expect(mail('declaration-overdue-ministry', 'de')).toMatchInlineSnapshot(`
      "Subject: Beitritt: Absichtserklärung ausstehend – Stadt Hamm

      Guten Tag Jana Schäfer,

      die Absichtserklärung der folgenden Organisation zu ihrem Beitritt in das Partnernetzwerk liegt trotz Erinnerung noch nicht vor:

      Organisation: Stadt Hamm
      Einreichung bis: 15.03.2019
      Eskalationsstufe: 1

      Den Stand des Beitritts finden Sie hier:
      https://partnerflow.example.org/admin/accession/29

      Bitte prüfen Sie, ob eine Kontaktaufnahme mit der Organisation angezeigt ist.

      Diese Nachricht wurde von Partnerflow automatisch erstellt.

      Zuständige Sachbearbeitung: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders declaration-overdue-ministry in en', () => {
    expect(mail('declaration-overdue-ministry', 'en')).toMatchInlineSnapshot(`
      "Subject: Accession: declaration outstanding – Stadt Hamm

      Dear Jana Schäfer,

      Despite a reminder, the declaration of the following organisation for joining the partner network has not arrived:

      Organisation: Stadt Hamm
      Submit by: 15 March 2019
      Escalation level: 1

      The state of the accession is shown here:
      https://partnerflow.example.org/admin/accession/29

      Please consider contacting the organisation.

      This message was generated automatically by Partnerflow.

      Caseworker in charge: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });
});

describe('escalation levels', () => {
  it('tells a second escalation to the partner apart from the first by its subject', () => {
    const subjects = [1, 2].flatMap((escalationLevel) =>
      (['de', 'en'] as const).map(
        (language) => renderNotice('report-escalation-partner', language, { ...noticeSamples['report-escalation-partner'], escalationLevel }).subject,
      ),
    );
    expect(subjects).toEqual([
      'Dringend: Ausstehender Jahresbericht 2018 – Kreis Lippe',
      'Urgent: outstanding annual report 2018 – Kreis Lippe',
      'Erneut dringend (Eskalationsstufe 2): Ausstehender Jahresbericht 2018 – Kreis Lippe',
      'Urgent again (escalation level 2): outstanding annual report 2018 – Kreis Lippe',
    ]);
  });
});

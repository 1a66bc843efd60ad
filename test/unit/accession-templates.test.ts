import { describe, expect, it } from 'vitest';
import type { NoticeTemplate } from '../../src/domain/notice-families';
import type { DeadlineContext, NoticeLanguage, PersonalContext } from '../../src/email/notice-context';
import { renderNotice } from '../../src/email/render';
import { noticeSamples } from '../../src/email/templates/samples';

// The notices of accession and of the lifecycle, subject and text pinned exactly.
function mail(template: NoticeTemplate, language: NoticeLanguage, ctx: PersonalContext & DeadlineContext = noticeSamples[template]): string {
  const rendered = renderNotice(template, language, ctx);
  return `Subject: ${rendered.subject}\n\n${rendered.text}`;
}

describe('German accession and lifecycle notices', () => {
  it('renders declaration-received', () => {
    expect(mail('declaration-received', 'de')).toMatchInlineSnapshot(`
      "Subject: Eingangsbestätigung: Ihre Absichtserklärung (Fassung 2)

      Guten Tag Dr. Ayşe Özdemir,

      vielen Dank: Ihre Absichtserklärung zum Beitritt in das Partnernetzwerk ist bei uns eingegangen. Wir prüfen sie und melden uns bei Ihnen.

      Organisation: Stadt Hamm
      Fassung: 2

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders declaration-revision-requested', () => {
    expect(mail('declaration-revision-requested', 'de')).toMatchInlineSnapshot(`
      "Subject: Ihre Absichtserklärung: bitte überarbeiten bis 12.04.2019

      Guten Tag Dr. Ayşe Özdemir,

      vielen Dank für Ihre Absichtserklärung. Bevor daraus die Partnervereinbarung entstehen kann, bitten wir Sie um folgende Änderungen:

      Bitte nennen Sie zu Maßnahme M2 einen Meilenstein mit Termin.

      Organisation: Stadt Hamm
      Überarbeitung bis: 12.04.2019

      Ihre bisherige Fassung finden Sie im Formular; dort können Sie die überarbeitete Erklärung einreichen:
      https://partnerflow.example.org/accession/29/declaration?token=sample-token

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders agreement-for-signature', () => {
    expect(mail('agreement-for-signature', 'de')).toMatchInlineSnapshot(`
      "Subject: Ihre Partnervereinbarung zur Unterzeichnung – bis 26.04.2019

      Guten Tag Dr. Ayşe Özdemir,

      Ihre Absichtserklärung ist angenommen. Daraus ist die Vereinbarung über die Partnerschaft von Stadt Hamm im Netzwerk „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“ entstanden; sie liegt dieser Nachricht als PDF bei.

      Organisation: Stadt Hamm
      Unterzeichnung bis: 26.04.2019

      Bitte lassen Sie die Vereinbarung von Ihrer Leitung unterzeichnen. Den Stand und die Vereinbarung finden Sie hier:
      https://partnerflow.example.org/accession/29/agreement?token=sample-token

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders agreement-reminder', () => {
    expect(mail('agreement-reminder', 'de')).toMatchInlineSnapshot(`
      "Subject: Erinnerung: Partnervereinbarung unterzeichnen – bis 26.04.2019

      Guten Tag Oberbürgermeister Marc Herter,

      die Partnervereinbarung Ihrer Organisation liegt uns noch nicht unterzeichnet vor.

      Organisation: Stadt Hamm
      Unterzeichnung bis: 26.04.2019

      Die Vereinbarung finden Sie hier:
      https://partnerflow.example.org/accession/29/agreement?token=sample-token

      Sollten Sie in den letzten Tagen bereits unterzeichnet haben, betrachten Sie diese Nachricht bitte als gegenstandslos.

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders agreement-overdue-ministry', () => {
    expect(mail('agreement-overdue-ministry', 'de')).toMatchInlineSnapshot(`
      "Subject: Beitritt: Partnervereinbarung nicht unterzeichnet – Stadt Hamm

      Guten Tag Jana Schäfer,

      die Partnervereinbarung der folgenden Organisation ist trotz Erinnerung noch nicht unterzeichnet:

      Organisation: Stadt Hamm
      Unterzeichnung bis: 26.04.2019

      Den Stand des Beitritts finden Sie hier:
      https://partnerflow.example.org/admin/accession/29

      Diese Nachricht wurde von Partnerflow automatisch erstellt.

      Zuständige Sachbearbeitung: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders accession-welcome', () => {
    expect(mail('accession-welcome', 'de')).toMatchInlineSnapshot(`
      "Subject: Willkommen im Partnernetzwerk „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Guten Tag Dr. Ayşe Özdemir,

      die Partnervereinbarung ist von beiden Seiten unterzeichnet: Stadt Hamm ist nun Partner im Netzwerk „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“. Herzlich willkommen!

      Organisation: Stadt Hamm
      Beitritt am: 02.05.2019

      Einmal im Jahr berichten Sie, wie Sie die vereinbarten Maßnahmen umsetzen; zu jedem Berichtsjahr laden wir Sie rechtzeitig ein. Vor den Meilensteinen Ihrer Erklärung fragen wir nach, ob sie erreicht sind.

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders accession-closed', () => {
    expect(mail('accession-closed', 'de')).toMatchInlineSnapshot(`
      "Subject: Ihr Beitritt zum Partnernetzwerk ist beendet

      Guten Tag Dr. Ayşe Özdemir,

      wie mitgeteilt, zieht Stadt Hamm den Beitritt in das Partnernetzwerk zurück. Das Verfahren ist damit beendet.

      Organisation: Stadt Hamm
      Begründung: Haushaltssperre, ein neuer Anlauf 2020

      Ein neuer Anlauf ist jederzeit möglich; sprechen Sie uns gern an.

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders milestone-request', () => {
    expect(mail('milestone-request', 'de')).toMatchInlineSnapshot(`
      "Subject: Meilenstein „eine allgemeine Formulierung entwickeln“: erreicht? – Rückmeldung bis 31.05.2018

      Guten Tag Dr. Ayşe Özdemir,

      in Ihrer Absichtserklärung haben Sie sich den folgenden Meilenstein vorgenommen. Bitte teilen Sie uns mit, ob er erreicht ist oder sich verschiebt; im zweiten Fall nennen Sie uns bitte den neuen Termin.

      Organisation: Rhein-Sieg-Kreis
      Maßnahme: Anpassung des Textes im Stellen-Ausschreibungsverfahren
      Meilenstein: eine allgemeine Formulierung entwickeln
      Vorgesehen: bis Frühjahr 2018
      Rückmeldung bis: 31.05.2018

      Ihre Rückmeldung geben Sie hier:
      https://partnerflow.example.org/partners/20/milestones/RSK-4%2F1?token=sample-token

      Ihre Angaben übernehmen wir in den nächsten Jahresbericht.

      Mit freundlichen Grüßen

      Ihre Geschäftsstelle des Partnernetzwerks
      „Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“

      Ihre Ansprechperson im Ministerium: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders milestone-overdue-ministry', () => {
    expect(mail('milestone-overdue-ministry', 'de')).toMatchInlineSnapshot(`
      "Subject: Meilenstein ohne Rückmeldung – Rhein-Sieg-Kreis

      Guten Tag Jana Schäfer,

      zu folgendem Meilenstein liegt trotz Anfrage keine Rückmeldung des Partners vor:

      Partner: Rhein-Sieg-Kreis
      Maßnahme: Anpassung des Textes im Stellen-Ausschreibungsverfahren
      Meilenstein: eine allgemeine Formulierung entwickeln
      Fällig: 31.05.2018
      Eskalationsstufe: 1

      Den Stand finden Sie hier:
      https://partnerflow.example.org/admin/partners/20

      Diese Nachricht wurde von Partnerflow automatisch erstellt.

      Zuständige Sachbearbeitung: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders partner-withdrawn-ministry', () => {
    expect(mail('partner-withdrawn-ministry', 'de')).toMatchInlineSnapshot(`
      "Subject: Austritt aus dem Partnernetzwerk – Rhein-Sieg-Kreis

      Guten Tag Jana Schäfer,

      der folgende Partner ist aus dem Partnernetzwerk ausgetreten. Offene Berichte sind geschlossen, Meilensteine werden nicht mehr nachgefragt.

      Partner: Rhein-Sieg-Kreis
      Begründung: Auflösung des Integrationsbüros
      Geschlossene Berichte: 2019

      Den Stand finden Sie hier:
      https://partnerflow.example.org/admin/partners/20

      Diese Nachricht wurde von Partnerflow automatisch erstellt.

      Zuständige Sachbearbeitung: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

});

describe('English accession and lifecycle notices', () => {
  it('renders declaration-received', () => {
    expect(mail('declaration-received', 'en')).toMatchInlineSnapshot(`
      "Subject: Receipt: your declaration (version 2)

      Dear Dr. Ayşe Özdemir,

      Thank you: we have received your declaration for joining the partner network. We will review it and get back to you.

      Organisation: Stadt Hamm
      Version: 2

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders declaration-revision-requested', () => {
    expect(mail('declaration-revision-requested', 'en')).toMatchInlineSnapshot(`
      "Subject: Your declaration: please revise by 12 April 2019

      Dear Dr. Ayşe Özdemir,

      Thank you for your declaration. Before it can become the partner agreement, we ask you for the following changes:

      Bitte nennen Sie zu Maßnahme M2 einen Meilenstein mit Termin.

      Organisation: Stadt Hamm
      Revise by: 12 April 2019

      Your previous version is in the form, where you can submit the revised declaration:
      https://partnerflow.example.org/accession/29/declaration?token=sample-token

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders agreement-for-signature', () => {
    expect(mail('agreement-for-signature', 'en')).toMatchInlineSnapshot(`
      "Subject: Your partner agreement for signature – by 26 April 2019

      Dear Dr. Ayşe Özdemir,

      Your declaration has been accepted. It is now part of the agreement on the partnership of Stadt Hamm in the network "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"; the agreement is attached as a PDF (in German).

      Organisation: Stadt Hamm
      Sign by: 26 April 2019

      Please have the agreement signed by your leadership. Its status and the agreement are here:
      https://partnerflow.example.org/accession/29/agreement?token=sample-token

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders agreement-reminder', () => {
    expect(mail('agreement-reminder', 'en')).toMatchInlineSnapshot(`
      "Subject: Reminder: please sign the partner agreement – by 26 April 2019

      Dear Oberbürgermeister Marc Herter,

      We have not yet received the signed partner agreement of your organisation.

      Organisation: Stadt Hamm
      Sign by: 26 April 2019

      The agreement is here:
      https://partnerflow.example.org/accession/29/agreement?token=sample-token

      If you have signed in the last few days, please disregard this message.

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders agreement-overdue-ministry', () => {
    expect(mail('agreement-overdue-ministry', 'en')).toMatchInlineSnapshot(`
      "Subject: Accession: partner agreement not signed – Stadt Hamm

      Dear Jana Schäfer,

      The partner agreement of the following organisation is still not signed despite a reminder:

      Organisation: Stadt Hamm
      Sign by: 26 April 2019

      The accession's status is here:
      https://partnerflow.example.org/admin/accession/29

      This message was generated automatically by Partnerflow.

      Caseworker in charge: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders accession-welcome', () => {
    expect(mail('accession-welcome', 'en')).toMatchInlineSnapshot(`
      "Subject: Welcome to the partner network "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Dear Dr. Ayşe Özdemir,

      The partner agreement is signed by both sides: Stadt Hamm is now a partner in the network "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!". Welcome!

      Organisation: Stadt Hamm
      Joined on: 2 May 2019

      Once a year you report how you carry out the agreed measures; we invite you in good time for each year. Before each milestone of your declaration we ask whether it was reached.

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders accession-closed', () => {
    expect(mail('accession-closed', 'en')).toMatchInlineSnapshot(`
      "Subject: Your accession to the partner network has ended

      Dear Dr. Ayşe Özdemir,

      As you told us, Stadt Hamm withdraws from joining the partner network. The accession has ended.

      Organisation: Stadt Hamm
      Reason: Haushaltssperre, ein neuer Anlauf 2020

      You are welcome to try again at any time; please get in touch.

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders milestone-request', () => {
    expect(mail('milestone-request', 'en')).toMatchInlineSnapshot(`
      "Subject: Milestone "eine allgemeine Formulierung entwickeln": reached? – please answer by 31 May 2018

      Dear Dr. Ayşe Özdemir,

      In your declaration you set yourselves the following milestone. Please tell us whether it was reached or is delayed; if delayed, please give us the new date.

      Organisation: Rhein-Sieg-Kreis
      Measure: Anpassung des Textes im Stellen-Ausschreibungsverfahren
      Milestone: eine allgemeine Formulierung entwickeln
      Planned: bis Frühjahr 2018
      Answer by: 31 May 2018

      You can answer here:
      https://partnerflow.example.org/partners/20/milestones/RSK-4%2F1?token=sample-token

      We carry your answer over into your next annual report.

      Kind regards

      The office of the partner network
      "Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"

      Your contact at the ministry: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders milestone-overdue-ministry', () => {
    expect(mail('milestone-overdue-ministry', 'en')).toMatchInlineSnapshot(`
      "Subject: Milestone without an answer – Rhein-Sieg-Kreis

      Dear Jana Schäfer,

      The partner has not answered our request about the following milestone:

      Partner: Rhein-Sieg-Kreis
      Measure: Anpassung des Textes im Stellen-Ausschreibungsverfahren
      Milestone: eine allgemeine Formulierung entwickeln
      Due: 31 May 2018
      Escalation level: 1

      The status is here:
      https://partnerflow.example.org/admin/partners/20

      This message was generated automatically by Partnerflow.

      Caseworker in charge: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

  it('renders partner-withdrawn-ministry', () => {
    expect(mail('partner-withdrawn-ministry', 'en')).toMatchInlineSnapshot(`
      "Subject: Withdrawal from the partner network – Rhein-Sieg-Kreis

      Dear Jana Schäfer,

      The following partner has left the partner network. Open reports are closed, milestones are no longer followed up.

      Partner: Rhein-Sieg-Kreis
      Reason: Auflösung des Integrationsbüros
      Closed reports: 2019

      The status is here:
      https://partnerflow.example.org/admin/partners/20

      This message was generated automatically by Partnerflow.

      Caseworker in charge: Martin Vogel, martin.vogel@ministerium.example.org

      Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen
      "
    `);
  });

});

describe('accession-closed', () => {
  it('says rejected when the ministry rejected', () => {
    const rejected = { ...noticeSamples['accession-closed'], outcome: 'rejected' as const };
    const rendered = renderNotice('accession-closed', 'de', rejected);
    expect(rendered.subject).toBe('Ihr Beitritt zum Partnernetzwerk: Entscheidung');
  });
});

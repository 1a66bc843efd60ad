import { germanDate, measureSections, noPreamble, reportingDuty, type AgreementDocument, type SignedBlock } from './model';

/** The agreement as an HTML page (German), self-contained, for the web and the archive. */
export function agreementHtml(doc: AgreementDocument): string {
  const { organisation, parties, declaration } = doc;
  const sections = measureSections(declaration)
    .map(
      (section) => `
    <section>
      ${section.label ? `<h3>${esc(section.label)}</h3>` : ''}
      ${section.intro ? paragraphs(section.intro) : ''}
      <ol class="measures">
        ${section.measures
          .map(
            (m) => `<li id="${esc(m.id)}">
          <p class="measure-title"><strong>${esc(m.title)}</strong> <span class="code">(${esc(m.id)})</span></p>
          ${paragraphs(m.description)}
          ${m.responsibleUnit ? `<p>Verantwortlich: ${esc(m.responsibleUnit)}</p>` : ''}
          ${m.period ? `<p>Zeitraum: ${esc(m.period.text)}</p>` : ''}
          ${
            m.milestones && m.milestones.length > 0
              ? `<p>Meilensteine:</p><ul class="milestones">${m.milestones
                  .map((ms) => `<li>${esc(ms.text)} – <em>${esc(ms.due.text ?? String(ms.due.year))}</em></li>`)
                  .join('')}</ul>`
              : ''
          }
        </li>`,
          )
          .join('\n')}
      </ol>
    </section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>Vereinbarung – ${esc(organisation.name)}</title>
<style>
  body { font-family: serif; max-width: 42em; margin: 2em auto; line-height: 1.45; }
  h1, h2 { text-align: center; }
  .signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 3em; margin-top: 4em; }
  .line { border-top: 1px solid #000; padding-top: .3em; margin-top: 3em; }
  .code { color: #555; font-size: .9em; }
  footer { margin-top: 3em; font-size: .8em; color: #555; }
</style>
</head>
<body>
<h1>Vereinbarung</h1>
<h2>über die Partnerschaft in der Landesinitiative<br>${esc(parties.initiative)}</h2>
<p>zwischen</p>
<p><strong>${esc(organisation.name)}</strong>, vertreten durch ${esc(organisation.signatoryName)} (${esc(organisation.signatoryRole)}),</p>
<p>und</p>
<p><strong>dem Land Nordrhein-Westfalen</strong>, vertreten durch das ${esc(parties.ministry)}, dieses vertreten durch ${esc(parties.ministrySignatory.name)} (${esc(parties.ministrySignatory.role)}).</p>
<h3>§ 1 Erklärung</h3>
${declaration.title ? `<p><strong>${esc(declaration.title)}</strong></p>` : ''}
${declaration.preamble ? paragraphs(declaration.preamble) : ''}
${declaration.title || declaration.preamble ? '' : `<p>${esc(noPreamble)}</p>`}
<h3>§ 2 Maßnahmen und Meilensteine</h3>
${sections}
${declaration.closing ? paragraphs(declaration.closing) : ''}
<h3>§ 3 Jährlicher Bericht</h3>
<p>${esc(reportingDuty)}</p>
<h3>§ 4 Beitritt</h3>
<p>Die Partnerschaft beginnt mit dem Tag der zweiten Unterschrift, sofern nicht ein anderer Tag vereinbart ist.</p>
<div class="signatures">
  ${signatureBlock('Für ' + organisation.name, doc.signatures.partner, organisation.signatoryName, organisation.signatoryRole)}
  ${signatureBlock('Für das Land Nordrhein-Westfalen', doc.signatures.ministry, parties.ministrySignatory.name, parties.ministrySignatory.role)}
</div>
<footer>Diese Vereinbarung beruht auf Fassung ${doc.declarationVersion} der Erklärung.</footer>
</body>
</html>
`;
}

function signatureBlock(heading: string, signed: SignedBlock | undefined, name: string, role: string): string {
  return `<div class="signature">
    <p><strong>${esc(heading)}</strong></p>
    <p>Ort, Datum: ${signed ? esc(germanDate(signed.date)) : '________________'}</p>
    <p class="line">${esc(signed?.signer ?? name)}<br>${esc(signed?.role ?? role)}</p>
  </div>`;
}

function paragraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${esc(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

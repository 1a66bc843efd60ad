import type { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import { germanDate, measureSections, noPreamble, reportingDuty, type AgreementDocument } from './model';

/**
 * The agreement as a PDF, typeset by Typst (compiled in-process, with the fonts Typst embeds:
 * nothing is fetched at run time). The data goes in as JSON through `sys.inputs`, never spliced
 * into markup, so a partner's asterisks or brackets stay text.
 */
const template = String.raw`
#let d = json(bytes(sys.inputs.data))
#set document(title: "Vereinbarung – " + d.organisation)
#set page(paper: "a4", margin: (x: 2.5cm, y: 2.5cm), footer: context [
  #set text(size: 8pt, fill: luma(90))
  Vereinbarung #d.organisation – Seite #counter(page).display("1 / 1", both: true)
])
#set text(lang: "de", size: 11pt)
#set par(justify: true)
#let paras(t) = for p in t.split("\n\n") [ #par(p) ]

#align(center)[
  #text(size: 18pt, weight: "bold")[Vereinbarung] \
  #v(0.3em)
  über die Partnerschaft in der Landesinitiative \
  #text(weight: "bold", d.initiative)
]
#v(1em)
zwischen

*#d.organisation*, vertreten durch #d.partnerSignatory (#d.partnerRole),

und

*dem Land Nordrhein-Westfalen*, vertreten durch das #d.ministry, dieses vertreten durch #d.ministrySignatory (#d.ministryRole).

== § 1 Erklärung
#if d.title != none [ *#d.title* ]
#if d.preamble != none { paras(d.preamble) }
#if d.title == none and d.preamble == none [ #d.noPreamble ]

== § 2 Maßnahmen und Meilensteine
#for s in d.sections [
  #if s.label != none [ === #s.label ]
  #if s.intro != none { paras(s.intro) }
  #for m in s.measures [
    #block(breakable: true, inset: (left: 0.5em), stroke: (left: 0.5pt + luma(160)))[
      *#m.title* #text(fill: luma(90), size: 9pt)[(#m.id)]
      #paras(m.description)
      #if m.unit != none [ Verantwortlich: #m.unit \ ]
      #if m.period != none [ Zeitraum: #m.period \ ]
      #if m.milestones.len() > 0 [
        Meilensteine:
        #for ms in m.milestones [ - #ms.text – _#ms.due _ ]
      ]
    ]
  ]
]
#if d.closing != none { paras(d.closing) }

== § 3 Jährlicher Bericht
#d.reportingDuty

== § 4 Beitritt
Die Partnerschaft beginnt mit dem Tag der zweiten Unterschrift, sofern nicht ein anderer Tag vereinbart ist.

#v(2em)
#block(breakable: false)[
#grid(columns: (1fr, 1fr), column-gutter: 2.5em,
  ..d.signatures.map(s => [
    *#s.heading*
    #v(0.6em)
    Ort, Datum: #s.date
    #v(2.5em)
    #line(length: 100%, stroke: 0.5pt)
    #s.signer \ #s.role
  ])
)
]
#v(1fr)
#text(size: 8pt, fill: luma(90))[Diese Vereinbarung beruht auf Fassung #d.version der Erklärung.]
`;

let typst: Promise<NodeCompiler> | undefined;

/**
 * Typst loads on the first agreement, not with the module: the worker imports every activity
 * before its first poll, and the native compiler is a cost only accessions pay (issue 14).
 */
function typstCompiler(): Promise<NodeCompiler> {
  typst ??= import('@myriaddreamin/typst-ts-node-compiler').then(({ NodeCompiler }) => NodeCompiler.create());
  return typst;
}

export async function agreementPdf(doc: AgreementDocument): Promise<Buffer> {
  const compiler = await typstCompiler();
  const { declaration } = doc;
  const blank = '__________________';
  const data = {
    organisation: doc.organisation.name,
    partnerSignatory: doc.organisation.signatoryName,
    partnerRole: doc.organisation.signatoryRole,
    initiative: doc.parties.initiative,
    ministry: doc.parties.ministry,
    ministrySignatory: doc.parties.ministrySignatory.name,
    ministryRole: doc.parties.ministrySignatory.role,
    title: declaration.title ?? null,
    preamble: declaration.preamble ?? null,
    closing: declaration.closing ?? null,
    reportingDuty,
    noPreamble,
    version: doc.declarationVersion,
    sections: measureSections(declaration).map((section) => ({
      label: section.label ?? null,
      intro: section.intro ?? null,
      measures: section.measures.map((m) => ({
        id: m.id,
        title: m.title,
        description: m.description,
        unit: m.responsibleUnit ?? null,
        period: m.period?.text ?? null,
        milestones: (m.milestones ?? []).map((ms) => ({ text: ms.text, due: ms.due.text ?? String(ms.due.year) })),
      })),
    })),
    signatures: [
      {
        heading: `Für ${doc.organisation.name}`,
        date: doc.signatures.partner ? germanDate(doc.signatures.partner.date) : blank,
        signer: doc.signatures.partner?.signer ?? doc.organisation.signatoryName,
        role: doc.signatures.partner?.role ?? doc.organisation.signatoryRole,
      },
      {
        heading: 'Für das Land Nordrhein-Westfalen',
        date: doc.signatures.ministry ? germanDate(doc.signatures.ministry.date) : blank,
        signer: doc.signatures.ministry?.signer ?? doc.parties.ministrySignatory.name,
        role: doc.signatures.ministry?.role ?? doc.parties.ministrySignatory.role,
      },
    ],
  };
  try {
    return compiler.pdf({ mainFileContent: template, inputs: { data: JSON.stringify(data) } });
  } finally {
    // The compiler keeps the last document's sources; drop them so memory does not grow.
    compiler.evictCache(10);
  }
}

import { readFileSync } from 'node:fs';
import {
  AlignmentType,
  Document,
  HeadingLevel,
  ImageRun,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { fontFamily, fontFiles } from '../fonts';
import {
  germanDate,
  notStatedLabel,
  statedText,
  withUnit,
  overviewName,
  statisticsSummary,
  missingReason,
  type Block,
  type Chart,
  type TextSection,
} from '../model';
import { svgSize, svgToPng } from './chart-images';
import type { VolumeReport } from './volume-content';
import { columnShares } from './column-shares';
import { figuresListed, figuresOmittedText, volumeTitle, type Volume } from './volumes';

/**
 * The compiled report as a Word document that ministries edit and publish. Memory: the docx
 * package builds the whole document before packing it, so a render holds one volume's
 * paragraphs at once (see volumes.ts): bounded by the volume size. Measured with a three-page
 * report per partner: 300 chapters 8 s and 0.6 GB peak RSS.
 */
export async function renderDocx(report: VolumeReport, volume: Volume): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [new Paragraph({ text: report.title, heading: HeadingLevel.TITLE })];
  const title = volumeTitle(volume);
  if (title !== undefined) children.push(new Paragraph({ children: [new TextRun({ text: title, size: 26 })] }));
  if (volume.number === 1) children.push(...frontMatter(report));
  for (const chapter of volume.chapters) {
    children.push(new Paragraph({ text: chapter.heading, heading: HeadingLevel.HEADING_1, pageBreakBefore: true }));
    children.push(...blocks(chapter.blocks));
  }
  if (volume.number === volume.of) children.push(...statistics(report));
  const [regular, bold, italic, boldItalic] = fontFiles.map((file) => readFileSync(file));
  const document = new Document({
    creator: report.publisher,
    title: report.title,
    fonts: regular ? [{ name: fontFamily, data: regular, bold, italic, boldItalic }] : [],
    styles: {
      default: {
        document: { run: { font: fontFamily, size: 20, language: { value: 'de-DE' } } },
        title: { run: { size: 40, bold: true, color: '1F4E79' }, paragraph: { spacing: { after: 480 } } },
        heading1: { run: { size: 30, bold: true, color: '1F4E79' }, paragraph: { spacing: { before: 360, after: 160 }, keepNext: true } },
        heading2: { run: { size: 24, bold: true, color: '1F4E79' }, paragraph: { spacing: { before: 280, after: 120 }, keepNext: true } },
        heading3: { run: { size: 21, bold: true, color: '1F4E79' }, paragraph: { spacing: { before: 240, after: 80 }, keepNext: true } },
        heading4: { run: { size: 20, bold: true }, paragraph: { spacing: { before: 200, after: 60 }, keepNext: true } },
        heading5: { run: { size: 20, italics: true }, paragraph: { spacing: { before: 160, after: 60 }, keepNext: true } },
      },
    },
    sections: [{ properties: { page: { margin: { top: 1418, bottom: 1418, left: 1134, right: 1134 } } }, children }],
  });
  return Packer.toBuffer(document);
}

/** Preface, introduction, the overview and the list of reports not included: volume 1 only. */
function frontMatter(report: VolumeReport): (Paragraph | Table)[] {
  const parts: (Paragraph | Table)[] = [];
  parts.push(...section(report.preface, false), ...section(report.introduction, true));
  parts.push(new Paragraph({ text: report.overview.caption, heading: HeadingLevel.HEADING_1, pageBreakBefore: true }));
  parts.push(
    table(
      ['Nr.', 'Partnerorganisation', 'Beitritt'],
      report.overview.rows.map((r) => [String(r.number), overviewName(r), germanDate(r.accessionDate)]),
      [0.08, 0.74, 0.18],
    ),
    new Paragraph({ children: [new TextRun({ text: `Stand ${germanDate(report.asOf)}`, italics: true })], spacing: { before: 120 } }),
  );
  if (report.missing.length > 0) {
    parts.push(new Paragraph({ text: 'Nicht enthaltene Berichte', heading: HeadingLevel.HEADING_2 }));
    for (const m of report.missing) {
      parts.push(new Paragraph({ text: `${m.number} ${m.organisation}: ${missingReason(m)}`, bullet: { level: 0 } }));
    }
  }
  return parts;
}

const headingLevels = [HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5] as const;

function section(s: TextSection, pageBreakBefore: boolean): (Paragraph | Table)[] {
  return [new Paragraph({ text: s.heading, heading: HeadingLevel.HEADING_1, pageBreakBefore }), ...blocks(s.blocks)];
}

function block(b: Block): (Paragraph | Table)[] {
  switch (b.kind) {
    case 'heading':
      return [new Paragraph({ text: b.text, heading: headingLevels[b.level - 1] })];
    case 'paragraph':
      return [new Paragraph({ text: b.text, spacing: { after: 120 } })];
    case 'list':
      return b.items.map((item) => new Paragraph({ text: item, bullet: { level: 0 } }));
    case 'facts':
      return [
        new Paragraph({
          spacing: { after: 120 },
          children: b.facts.flatMap((f, index) => [
            new TextRun({ text: `${f.label}: `, bold: true, break: index === 0 ? 0 : 1 }),
            f.value.stated ? new TextRun(f.value.value) : new TextRun({ text: notStatedLabel, italics: true, color: '666666' }),
          ]),
        }),
      ];
    case 'table':
      return [
        new Paragraph({ children: [new TextRun({ text: b.caption, bold: true })], spacing: { before: 120 } }),
        ...(b.columns.length > 0 || b.rows.length > 0 ? [table(b.columns, b.rows), afterTable()] : []),
        ...b.footnotes.map((f) => new Paragraph({ children: [new TextRun({ text: f, size: 18 })] })),
      ];
    case 'figure':
      return [
        new Paragraph({
          children: [
            new TextRun({ text: `Abbildung: ${b.caption}`, italics: true }),
            new TextRun({ text: ` (Quelle: ${statedText(b.source)})` }),
          ],
        }),
      ];
  }
}

// A4 less 2.5 cm margins each side, in twentieths of a point.
const textWidthTwips = 9638;
/** The same in characters of the body text (DejaVu Sans at 10 pt: about 6.3 pt, 125 twips, a character). */
const textWidthChars = Math.floor(textWidthTwips / 125);

/** Word puts the next paragraph right under a table; a small empty paragraph gives it air. */
const spacers = new WeakSet<Paragraph>();
function afterTable(): Paragraph {
  const spacer = new Paragraph({ spacing: { after: 80 } });
  spacers.add(spacer);
  return spacer;
}

/**
 * A chapter's or a section's blocks, without the spacer after a closing table: a new page begins
 * after them anyway, and below a table that filled its page the spacer took a blank page of its own.
 */
function blocks(list: Block[]): (Paragraph | Table)[] {
  const parts = list.flatMap(block);
  const last = parts.at(-1);
  if (last instanceof Paragraph && spacers.has(last)) parts.pop();
  return parts;
}

/** `widths`: each column's share of the text width; when not given, shares by content (column-shares.ts). */
function table(columns: string[], rows: string[][], widths?: number[]): Table {
  const shares = widths ?? columnShares(columns, rows, textWidthChars);
  const row = (cells: string[], header: boolean) =>
    new TableRow({
      tableHeader: header,
      children: cells.map(
        (text) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold: header })] })] }),
      ),
    });
  return new Table({
    width: { size: textWidthTwips, type: WidthType.DXA },
    columnWidths: shares.map((share) => Math.round(share * textWidthTwips)),
    layout: TableLayoutType.FIXED,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    rows: [...(columns.length > 0 ? [row(columns, true)] : []), ...rows.map((r) => row(r, false))],
  });
}

function chartParagraphs(chart: Chart): Paragraph[] {
  const size = svgSize(chart.svg);
  // Fit the page's text width (about 600 px at 96 dpi).
  const scale = Math.min(1, 600 / size.width);
  const transformation = { width: Math.round(size.width * scale), height: Math.round(size.height * scale) };
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [
        new ImageRun({
          type: 'svg',
          data: Buffer.from(chart.svg),
          transformation,
          fallback: { type: 'png', data: svgToPng(chart.svg) },
          altText: { name: chart.id, title: chart.title, description: chart.title },
        }),
      ],
    }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: chart.title, italics: true })] }),
  ];
}

function statistics(report: VolumeReport): (Paragraph | Table)[] {
  return [
    new Paragraph({ text: `Statistik des Berichtsjahres ${report.year}`, heading: HeadingLevel.HEADING_1, pageBreakBefore: true }),
    table(['Kennzahl', 'Wert'], statisticsSummary(report.statistics), [0.7, 0.3]),
    afterTable(),
    ...report.statisticsTables.flatMap(block),
    ...report.charts.flatMap(chartParagraphs),
    new Paragraph({ text: 'Kennzahlen der Partner', heading: HeadingLevel.HEADING_2 }),
    ...figuresTable(report),
  ];
}

function figuresTable(report: VolumeReport): (Paragraph | Table)[] {
  const figures = figuresListed(report.indicatorFigures);
  if (figures.omitted > 0) return [new Paragraph({ text: figuresOmittedText(report.year, figures.omitted) })];
  return [
    table(
      ['Nr.', 'Partner', 'Kennzahl', 'Wert', 'Stichtag'],
      figures.listed.map((f) => [
        String(f.number),
        f.organisation,
        f.label,
        f.valueText.stated ? withUnit(f.valueText.value, f.unit) : `${notStatedLabel}${f.note.stated ? ` (${f.note.value})` : ''}`,
        f.referenceDate.stated ? f.referenceDate.value : notStatedLabel,
      ]),
    ),
  ];
}

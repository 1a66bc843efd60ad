import { projectFile } from '../project-files';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { formatIssues } from '../domain/issues';
import type { Block, TextSection } from './model';

/**
 * The editable front matter of the compiled report: title, preface ("Vorwort") and introduction.
 * Staff edit a copy of annual-report-texts.de.json and pass it with `--texts`. Placeholders:
 * {year}, and {partnerCount}, the number of partners in the overview table, so the preface and
 * the table can never disagree (the 2018 report printed 29 in the preface and 28 in the table).
 */

const line = z.string().trim().min(1, 'must not be blank').max(2000);

const blockSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('heading'), level: z.union([z.literal(1), z.literal(2), z.literal(3)]), text: line }),
  z.strictObject({ kind: z.literal('paragraph'), text: z.string().trim().min(1, 'must not be blank').max(20_000) }),
  z.strictObject({ kind: z.literal('list'), items: z.array(line).min(1).max(100) }),
]);

const sectionSchema = z.strictObject({ heading: line, blocks: z.array(blockSchema).max(500) });

export const reportTextsSchema = z.strictObject({
  title: line,
  /** Who publishes the report: the author in the PDF's and the DOCX's document properties. */
  publisher: line,
  preface: sectionSchema,
  introduction: sectionSchema,
});
export type ReportTexts = z.infer<typeof reportTextsSchema>;

// From the project root, so the compiled CLI finds it too.
export const defaultReportTextsFile = projectFile('src/documents/annual-report-texts.de.json');

export class ReportTextsError extends Error {
  readonly code = 'ReportTextsInvalid';
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

export function loadReportTexts(file: string = defaultReportTextsFile): ReportTexts {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ReportTextsError([`${file}: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const parsed = reportTextsSchema.safeParse(json);
  if (!parsed.success) throw new ReportTextsError(formatIssues(parsed.error, file));
  return parsed.data;
}

/** The texts with their placeholders filled in. */
export function fillReportTexts(
  texts: ReportTexts,
  values: { year: number; partnerCount: number },
): { title: string; publisher: string; preface: TextSection; introduction: TextSection } {
  const fill = (text: string) => text.replaceAll('{year}', String(values.year)).replaceAll('{partnerCount}', String(values.partnerCount));
  const fillBlock = (block: z.infer<typeof blockSchema>): Block =>
    block.kind === 'list' ? { kind: 'list', items: block.items.map(fill) } : { ...block, text: fill(block.text) };
  const fillSection = (section: z.infer<typeof sectionSchema>): TextSection => ({
    heading: fill(section.heading),
    blocks: section.blocks.map(fillBlock),
  });
  return { title: fill(texts.title), publisher: texts.publisher, preface: fillSection(texts.preface), introduction: fillSection(texts.introduction) };
}

import { beforeAll, describe, expect, it } from 'vitest';
import { compileReport, memoryChapterSink } from '../../src/documents/compile';
import type { CompiledReport, PartnerChapter } from '../../src/documents/model';
import { volumeContent, volumeKey } from '../../src/documents/render/volume-content';
import { volumesOf, type Volume } from '../../src/documents/render/volumes';
import { loadReportTexts } from '../../src/documents/texts';
import { fixturePartners, fixtureReports } from '../support/compiled-report-world';

/**
 * A volume's key changes exactly when what the volume prints changes: its chapters; for volume 1
 * the front matter, overview and missing list; for the last one the statistics and figures.
 * The seed fixtures' four accepted reports, one chapter a volume: 2 | 9 | 16 | 22 (statistics).
 */
describe('the content key of a PDF or DOCX volume', () => {
  let report: CompiledReport;
  let volumes: Volume[];
  const keys = (r: CompiledReport, vs: Volume[] = volumes, format: 'pdf' | 'docx' = 'pdf') =>
    vs.map((volume) => volumeKey(format, volumeContent(r, volume)));
  const changed = (before: string[], after: string[]) => before.flatMap((key, index) => (after[index] === key ? [] : [index + 1]));

  beforeAll(async () => {
    report = await compileReport({
      year: 2018,
      asOf: '2018-09-30',
      texts: loadReportTexts(),
      partners: fixturePartners(),
      reports: fixtureReports(),
      sink: memoryChapterSink(),
    });
    volumes = [];
    for await (const volume of volumesOf(report, 1)) volumes.push(volume);
  });

  it('is the same for the same content, and differs between volumes and between PDF and DOCX', () => {
    expect(volumes.map((v) => v.chapters.map((c) => c.number))).toEqual([[2], [9], [16], [22]]);
    expect(keys(report)).toEqual(keys(report));
    expect(new Set(keys(report)).size).toBe(4);
    expect(keys(report, volumes, 'docx').some((key) => keys(report).includes(key))).toBe(false);
  });

  it('changes only for the volume whose chapter was corrected', () => {
    const corrected = volumes.map((volume) => ({
      ...volume,
      chapters: volume.chapters.map((chapter): PartnerChapter =>
        chapter.number === 16 ? { ...chapter, blocks: [...chapter.blocks, { kind: 'paragraph', text: 'Berichtigung.' }] } : chapter,
      ),
    }));
    expect(changed(keys(report), keys(report, corrected))).toEqual([3]);
  });

  it('changes volume 1 alone when the list of missing reports changes, the last alone when the figures do', () => {
    expect(changed(keys(report), keys({ ...report, missing: report.missing.slice(1) }))).toEqual([1]);
    expect(changed(keys(report), keys({ ...report, indicatorFigures: report.indicatorFigures.slice(1) }))).toEqual([4]);
    expect(changed(keys(report), keys({ ...report, statistics: { ...report.statistics, remindersSent: 99 } }))).toEqual([4]);
    // The partner rows are the spreadsheet's; no volume prints them.
    expect(changed(keys(report), keys({ ...report, partnerFigures: [] }))).toEqual([]);
  });

  it('changes every volume when the "Stand" date does, since each prints it on its title page', () => {
    expect(changed(keys(report), keys({ ...report, asOf: '2018-10-31' }))).toEqual([1, 2, 3, 4]);
  });
});

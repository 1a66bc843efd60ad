/**
 * How a DOCX table without given widths shares the text width among its columns. Word lays out a
 * fixed table as told and breaks a word wider than its cell inside the word: equal shares put
 * "Anteil Beschäftigte mit Einwanderungsgeschichte" in a fifth of the page and printed
 * "Einwanderungsgeschicht-e" over two lines. So, as a browser lays out an automatic table, each
 * column first gets its minimum, its longest word; what is left of the width goes to the columns
 * whose longest cell is longer than that (capped, so a long text wraps instead of taking all),
 * in proportion to what they lack. When the minimums alone overflow, each gets its minimum's share.
 * Widths are counted in characters of the body text. (The PDF hyphenates instead: report.typ.)
 */

/** A cell's margins, in characters. */
const marginChars = 2;
/** Bold header text runs wider than the cells' text. */
const headerWidening = 1.12;
/** Past this many characters a cell's text wraps rather than asking for more width. */
const longCellCap = 40;

/** `widthChars`: the table's width in characters of its body text. */
export function columnShares(columns: readonly string[], rows: readonly (readonly string[])[], widthChars: number): number[] {
  const count = Math.max(columns.length, ...rows.map((row) => row.length), 1);
  const longestWord = (text: string) => Math.max(...text.split(/\s+/).map((word) => word.length));
  const need = Array.from({ length: count }, (_, column) => {
    const header = columns[column] ?? '';
    const cells = rows.map((row) => row[column] ?? '');
    const least = Math.max(longestWord(header) * headerWidening, ...cells.map(longestWord), 1) + marginChars;
    const wished = Math.max(header.length * headerWidening, ...cells.map((text) => Math.min(text.length, longCellCap))) + marginChars;
    return { least, wished: Math.max(least, wished) };
  });
  const least = need.reduce((sum, n) => sum + n.least, 0);
  const lacking = need.reduce((sum, n) => sum + (n.wished - n.least), 0);
  if (least >= widthChars || lacking === 0) return need.map((n) => n.least / least);
  const spare = Math.min(widthChars - least, lacking);
  const widths = need.map((n) => n.least + (spare * (n.wished - n.least)) / lacking);
  const total = widths.reduce((sum, width) => sum + width, 0);
  return widths.map((width) => width / total);
}

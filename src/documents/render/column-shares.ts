/**
 * How a DOCX table without given widths shares the text width among its columns. Word lays out a
 * fixed table as told and breaks a word wider than its cell inside the word: equal shares put
 * "Anteil Beschäftigte mit Einwanderungsgeschichte" in a fifth of the page and printed
 * "Einwanderungsgeschicht-e" over two lines. So each column gets room for its longest word at
 * least, and beyond that a share that grows with its longest cell up to a cap, so that a long text
 * wraps instead of squeezing the other columns. (Typst sizes its columns itself: PDF needs none.)
 */
const longCellCap = 40;

export function columnShares(columns: readonly string[], rows: readonly (readonly string[])[]): number[] {
  const count = Math.max(columns.length, ...rows.map((row) => row.length), 1);
  const weights = Array.from({ length: count }, (_, column) => {
    const texts = [columns[column] ?? '', ...rows.map((row) => row[column] ?? '')];
    const longestWord = Math.max(...texts.flatMap((text) => text.split(/\s+/).map((word) => word.length)));
    const longestCell = Math.max(...texts.map((text) => text.length));
    return Math.max(longestWord, Math.min(longestCell, longCellCap) / 2, 3);
  });
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return weights.map((weight) => weight / total);
}

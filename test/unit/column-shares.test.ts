import { expect, it } from 'vitest';
import { columnShares } from '../../src/documents/render/column-shares';

const sum = (shares: number[]) => shares.reduce((a, b) => a + b, 0);
// A 10 pt DOCX page's text width in characters (src/documents/render/docx.ts).
const page = 77;

it('gives each column its longest word first, so Word does not break a word inside it', () => {
  // The statistics chapter's indicator table (src/documents/indicator-years.ts).
  const columns = ['Kategorie', 'Berichtsjahr', 'Angegeben', 'Nicht angegeben', 'Form der Angaben'];
  const rows = [
    ['Anteil Beschäftigte mit Einwanderungsgeschichte', '2018', '11 von 39 (28,2 %)', '27, davon 4 ohne Wert', '54 Zahlen, 4 Schwellen'],
    ['Auszubildende', '2018', '2 von 4', '2', 'Anzahl'],
  ];
  const shares = columnShares(columns, rows, page);
  expect(sum(shares)).toBeCloseTo(1, 10);
  // Every column gets at least its minimum: its longest word plus two characters of margin (a bold
  // header's words a little wider). Here the minimums fit the page with 1.4 characters to spare.
  const least = [23 + 2, 12 * 1.12 + 2, 9 * 1.12 + 2, 9 * 1.12 + 2, 9 + 2];
  expect(sum(least)).toBeLessThan(page);
  shares.forEach((share, column) => expect(share * page).toBeGreaterThanOrEqual(least[column]! - 1e-9));
  // On a narrower page they overflow, and each column gets its minimum's share.
  columnShares(columns, rows, 60).forEach((share, column) => expect(share).toBeCloseTo(least[column]! / sum(least), 10));
  // Equal shares gave the first a fifth, too narrow for "Einwanderungsgeschichte".
  expect(shares[0]).toBeGreaterThan(0.3);
});

it('gives what the minimums leave to the columns with longer text, a long text capped so it wraps', () => {
  const long = 'ein langer Satz, der in seiner Zelle umbrechen darf, weil er aus kurzen Wörtern besteht, wie Text eben';
  const [text, value] = columnShares(['Text', 'Wert'], [[long, '12']], page);
  // Minimums: "umbrechen" 9 + 2, the bold "Wert" 4 × 1.12 + 2; the text wishes for 40 + 2 and gets the rest.
  const valueLeast = 4 * 1.12 + 2;
  expect(value).toBeCloseTo(valueLeast / (valueLeast + 42), 10);
  expect(text).toBeCloseTo(42 / (valueLeast + 42), 10);
  // Where even the wishes fit, columns alike share alike.
  expect(columnShares(['a', 'b'], [['xx', 'yy']], page)).toEqual([0.5, 0.5]);
  expect(columnShares(['a', 'b', 'c'], [['x']], page)).toHaveLength(3);
  expect(columnShares([], [], page)).toEqual([1]);
});

import { expect, it } from 'vitest';
import { columnShares } from '../../src/documents/render/column-shares';

const sum = (shares: number[]) => shares.reduce((a, b) => a + b, 0);

it('gives a column room for its longest word, so Word does not break it inside the word', () => {
  // The statistics chapter's indicator table (src/documents/indicator-years.ts).
  const columns = ['Kategorie', 'Berichtsjahr', 'Angegeben', 'Nicht angegeben', 'Form der Angaben'];
  const rows = [
    ['Anteil Beschäftigte mit Einwanderungsgeschichte', '2018', '3 von 4', '1', 'Anteil in %'],
    ['Auszubildende', '2018', '2 von 4', '2', 'Anzahl'],
  ];
  const shares = columnShares(columns, rows);
  expect(shares).toHaveLength(5);
  expect(sum(shares)).toBeCloseTo(1, 10);
  // Equal shares gave it a fifth; "Einwanderungsgeschichte" is 23 of the table's widest words.
  expect(shares[0]).toBeGreaterThan(0.3);
  expect(shares[0]).toBe(Math.max(...shares));
  // Each column keeps at least its longest word's part of all columns' longest words.
  const longestWords = [23, 12, 9, 9, 8];
  shares.forEach((share, column) => expect(share).toBeGreaterThanOrEqual(longestWords[column]! / sum(longestWords) - 0.05));
});

it('shares alike where the columns hold alike, caps a long text so it wraps, and fills rows shorter than the header', () => {
  expect(columnShares(['a', 'b'], [['xx', 'yy']])).toEqual([0.5, 0.5]);
  const long = 'ein langer Satz, der in seiner Zelle umbrechen darf, weil er aus kurzen Wörtern besteht, wie Text eben';
  const [text, short] = columnShares(['Text', 'Wert'], [[long, '12']]);
  // Capped at 40 characters: the text column gets 20 parts against the value column's 4, not 103 against 4.
  expect(text).toBeCloseTo(20 / 24, 10);
  expect(short).toBeCloseTo(4 / 24, 10);
  expect(columnShares(['a', 'b', 'c'], [['x']])).toHaveLength(3);
  expect(columnShares([], [])).toEqual([1]);
});

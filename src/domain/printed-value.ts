import { approximations, comparators, numberWord, printedNumbers, type FigureValue } from './report-figure';

/**
 * A figure's value from the words a person typed, kept exactly as typed in `printed`:
 * "1.500" → number 1500, "rund 300" → number 300 (rund), "19 bis 30" → range, "unter 25" →
 * threshold 25, "mindestens B2" → threshold at level B2, "zahlreiche" → words. The numbers are
 * read with the schema's own reader of German notation (printedNumbers), so the schema's check
 * that they agree with `printed` holds by construction. Nothing is guessed: what names no single
 * number ("2 von 26") stays words.
 */

const comparatorWords: [word: string, comparator: (typeof comparators)[number]][] = [
  ['mehr als', 'mehr_als'],
  ['weniger als', 'weniger_als'],
  ['bis zu', 'bis_zu'],
  ['mindestens', 'mindestens'],
  ['höchstens', 'hoechstens'],
  ['unter', 'unter'],
  ['über', 'ueber'],
];

const number = String.raw`\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?`;
const range = new RegExp(String.raw`^(?:zwischen\s+)?(${number})\s*(?:bis|–|-|und)\s*(${number})(?!\S*\d)`, 'i');

export function parsePrintedValue(printed: string): FigureValue {
  const text = printed.trim().replace(/\s+/g, ' ');
  const lower = text.toLowerCase();
  const approximationWord = approximations.find((word) => new RegExp(`^${word}\\.?\\s`, 'i').test(lower));
  const rest = approximationWord === undefined ? lower : lower.replace(/^[a-z]+\.?\s/, '');
  const approximation = approximationWord === undefined ? {} : { approximation: approximationWord };

  for (const [word, comparator] of comparatorWords) {
    if (!rest.startsWith(`${word} `)) continue;
    const bound = text.slice(text.length - rest.length + word.length + 1).trim();
    const digits = printedNumbers(bound);
    if (digits.length === 1 && new RegExp(`^(?:${number})`).test(bound)) return { kind: 'threshold', printed, comparator, number: digits[0] as number };
    if (digits.length === 0 && numberWord(bound) !== undefined) return { kind: 'threshold', printed, comparator, number: numberWord(bound) as number };
    if (bound !== '' && digits.length <= 1 && !/\s/.test(bound)) return { kind: 'threshold', printed, comparator, level: bound };
    return { kind: 'words', printed };
  }

  const digits = printedNumbers(printed);
  if (digits.length === 2 && range.test(rest)) {
    const [from, to] = digits as [number, number];
    if (from <= to) return { kind: 'range', printed, from, to, ...approximation };
  }
  if (digits.length === 1) return { kind: 'number', printed, number: digits[0] as number, ...approximation };
  if (digits.length === 0 && numberWord(printed) !== undefined) return { kind: 'number', printed, number: numberWord(printed) as number, ...approximation };
  return { kind: 'words', printed };
}

import { z } from 'zod';
import { fuzzyDateSchema, periodSchema } from './fuzzy-date';
import { richText, singleLine, textLimits } from './partner-input';
import { classification, orNotStated, statedLine } from './report-values';

/**
 * A figure a partner printed: a count, a share, a range, a threshold or target, or a quantity
 * given only in words. `printed` keeps it exactly as printed ("rund 19.000", "19 bis 30",
 * "unter 25", "mindestens B2", "einem Drittel"); the parsed numbers sit beside it and must agree.
 */

/** Words that make a number approximate or distributive: "ca. 350", "rund 30", "je 3". */
export const approximations = ['ca', 'circa', 'rund', 'etwa', 'knapp', 'gut', 'fast', 'je'] as const;
/** Words that make a number a bound: "unter 25", "über 70", "mindestens fünf", "bis zu 20". */
export const comparators = ['unter', 'ueber', 'mehr_als', 'weniger_als', 'mindestens', 'hoechstens', 'bis_zu'] as const;

const approximationWords: Record<(typeof approximations)[number], string> = {
  ca: 'ca', circa: 'circa', rund: 'rund', etwa: 'etwa', knapp: 'knapp', gut: 'gut', fast: 'fast', je: 'je',
};
const comparatorWords: Record<(typeof comparators)[number], string> = {
  unter: 'unter', ueber: 'über', mehr_als: 'mehr als', weniger_als: 'weniger als', mindestens: 'mindestens', hoechstens: 'höchstens', bis_zu: 'bis zu',
};

const numberWords: Record<string, number> = {
  ein: 1, eine: 1, einem: 1, einen: 1, einer: 1, eins: 1, zwei: 2, drei: 3, vier: 4, fünf: 5, sechs: 6, sieben: 7,
  acht: 8, neun: 9, zehn: 10, elf: 11, zwölf: 12, zwanzig: 20, dreißig: 30, hundert: 100,
};

const digitToken = /\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?/g;

/** The numbers printed in German notation ("1.500", "10,42", "48 %"), in order. */
export function printedNumbers(printed: string): number[] {
  return [...printed.matchAll(digitToken)].map((match) => Number(match[0].replace(/\./g, '').replace(',', '.')));
}

const fractionWords: Record<string, number> = { hälfte: 2, drittel: 3, viertel: 4, fünftel: 5, zehntel: 10 };

/** The number German words stand for ("zwölf" → 12, "einem Drittel" → 1/3), if they name exactly one. */
export function numberWord(printed: string): number | undefined {
  const all = printed.toLowerCase().split(/[^a-zäöüß]+/);
  const fraction = all.findIndex((word) => word in fractionWords);
  if (fraction >= 0) {
    const numerator = fraction > 0 ? numberWords[all[fraction - 1] as string] : undefined;
    return (numerator ?? 1) / (fractionWords[all[fraction] as string] as number);
  }
  const words = all.filter((word) => word in numberWords);
  return words.length === 1 ? numberWords[words[0] as string] : undefined;
}

const printedSchema = singleLine(textLimits.label);
const finite = z.number().finite();

function mentions(printed: string, word: string): boolean {
  return new RegExp(`(^|[^a-zäöüß])${word.replace('.', '\\.')}($|[^a-zäöüß])`, 'i').test(printed);
}

function checkNumber(printed: string, number: number | undefined, path: string, ctx: z.RefinementCtx): void {
  const digits = printedNumbers(printed);
  if (digits.length > 1) return; // several numbers in one printed value: "2 von 26"; the field says which
  const expected = digits[0] ?? numberWord(printed);
  if (digits.length === 1 && number === undefined) {
    ctx.addIssue({ code: 'custom', path: [path], message: `is required: "${printed}" prints a number` });
  } else if (expected !== undefined && number !== undefined && number !== expected) {
    ctx.addIssue({ code: 'custom', path: [path], message: `must be ${expected}, the number printed in "${printed}"` });
  }
}

const numberValueSchema = z
  .strictObject({
    kind: z.literal('number'),
    printed: printedSchema,
    number: finite.optional(),
    approximation: z.enum(approximations).optional(),
  })
  .superRefine((value, ctx) => {
    checkNumber(value.printed, value.number, 'number', ctx);
    if (value.approximation !== undefined && !mentions(value.printed, approximationWords[value.approximation])) {
      ctx.addIssue({ code: 'custom', path: ['approximation'], message: `must be printed: "${value.printed}" does not say "${approximationWords[value.approximation]}"` });
    }
  });

const rangeValueSchema = z
  .strictObject({
    kind: z.literal('range'),
    printed: printedSchema,
    from: finite,
    to: finite,
    approximation: z.enum(approximations).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.to < value.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be below from' });
    const digits = printedNumbers(value.printed);
    if (digits.length === 2 && (digits[0] !== value.from || digits[1] !== value.to)) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: `from and to must be ${digits[0]} and ${digits[1]}, as printed in "${value.printed}"` });
    }
  });

const thresholdValueSchema = z
  .strictObject({
    kind: z.literal('threshold'),
    printed: printedSchema,
    comparator: z.enum(comparators),
    /** The bound as a number ("unter 25"), or … */
    number: finite.optional(),
    /** … as a level that is no number ("mindestens B2"). */
    level: singleLine(textLimits.unit).optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.number === undefined) === (value.level === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['number'], message: 'give either number or level, not both and not neither' });
    }
    if (!mentions(value.printed, comparatorWords[value.comparator])) {
      ctx.addIssue({ code: 'custom', path: ['comparator'], message: `must be printed: "${value.printed}" does not say "${comparatorWords[value.comparator]}"` });
    }
    if (value.number !== undefined) checkNumber(value.printed, value.number, 'number', ctx);
  });

/** A quantity only in words, with no number a reader could add up ("zahlreiche", "einem Drittel"). */
const wordsValueSchema = z.strictObject({ kind: z.literal('words'), printed: printedSchema });

export const figureValueSchema = z.discriminatedUnion('kind', [numberValueSchema, rangeValueSchema, thresholdValueSchema, wordsValueSchema], {
  error: (issue) => (issue.input === undefined ? 'is required' : 'must be a value of kind number, range, threshold or words'),
});
export type FigureValue = z.infer<typeof figureValueSchema>;

export const figureCategories = [
  'workforce_share',
  'survey',
  'hires',
  'training',
  'recruitment_outreach',
  'language_services',
  'communication',
  'events',
  'structures',
  'evaluation',
  'context',
  'target',
] as const;

export const figureMethods = ['befragung_freiwillig_anonym', 'personaldaten', 'schaetzung', 'evaluation', 'sonstige'] as const;

/**
 * erhoben: measured; prognose: a forecast; ziel: a target the partner sets itself;
 * nachgereicht_bis: the figure follows by `dueAt` ("erst im Rahmen der Erhebung im März 2019");
 * nicht_mehr_erhoben: no longer collected, with a reason.
 */
export const figureStatuses = ['erhoben', 'prognose', 'ziel', 'nachgereicht_bis', 'nicht_mehr_erhoben'] as const;
export type FigureStatus = (typeof figureStatuses)[number];

export const figureSchema = z
  .strictObject({
    /** What is counted, in a reader's words ("Sprachen im Sprachvermittlerpool"). */
    label: singleLine(textLimits.label),
    // A classification: the partner may leave it open (not stated), staff may assign it later.
    category: classification(z.enum(figureCategories), 'a figure category'),
    value: figureValueSchema.optional(),
    /** As printed ("%", "Sprachen", "Unterrichtsstunden"); not stated when the text names none. */
    unit: orNotStated(statedLine(textLimits.unit), 'a unit'),
    /** The day, month or year the value describes; not stated when the partner gave none. */
    referenceDate: orNotStated(fuzzyDateSchema, 'a fuzzy date { year, month?, day?, … }'),
    period: periodSchema.optional(),
    /** What a share is of, when the partner says it only in words ("der Einwohner in Lippe"). */
    base: z.strictObject({ printed: singleLine(textLimits.label), number: finite.positive().optional() }).optional(),
    comparison: z.strictObject({ value: figureValueSchema, period: periodSchema }).optional(),
    method: z.enum(figureMethods).optional(),
    status: z.enum(figureStatuses),
    dueAt: fuzzyDateSchema.optional(),
    reason: richText(2000).optional(),
  })
  .superRefine((figure, ctx) => {
    const hasValue = figure.status === 'erhoben' || figure.status === 'prognose' || figure.status === 'ziel';
    if (hasValue && figure.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `is required when status is ${figure.status}` });
    }
    if (!hasValue && figure.value !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `must be absent when status is ${figure.status}` });
    }
    if (figure.status === 'nachgereicht_bis' && figure.dueAt === undefined) {
      ctx.addIssue({ code: 'custom', path: ['dueAt'], message: 'is required when status is nachgereicht_bis' });
    }
    if (figure.status !== 'nachgereicht_bis' && figure.dueAt !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['dueAt'], message: 'is only allowed when status is nachgereicht_bis' });
    }
    if (figure.status === 'nicht_mehr_erhoben' && figure.reason === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required when status is nicht_mehr_erhoben' });
    }
  });

export type Figure = z.infer<typeof figureSchema>;

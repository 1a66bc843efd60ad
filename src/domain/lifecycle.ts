/**
 * A partner's life in the network after accession, as data: answers about milestones, contact
 * changes, withdrawal, and where a year turns. Pure and synchronous: Update validators run these.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { emailSchema } from './email-schema';
import { isLocalDate } from './local-date';
import { languages } from './partner';

const staffName = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const day = z.string().refine(isLocalDate, 'must be a calendar date as YYYY-MM-DD');

export const cycleOpenedArgsSchema = z.strictObject({
  year: z.int().min(2000).max(2100),
  by: staffName.optional(),
  dueAt: z.iso.datetime({ offset: true }).optional(),
});

export const milestoneAnswerArgsSchema = z.discriminatedUnion('outcome', [
  z.strictObject({ milestoneId: text(100), outcome: z.literal('reached'), date: day.optional(), by: staffName.optional() }),
  z.strictObject({
    milestoneId: text(100),
    outcome: z.literal('delayed'),
    /** The new date: the next request is planned against it. */
    newDate: day,
    /** The new date in the partner's words, e.g. "bis Herbst 2019". */
    newDueText: text(300).optional(),
    by: staffName.optional(),
  }),
]);

export const contactChangeArgsSchema = z.strictObject({
  role: z.enum(['main_contact', 'leadership_signatory']),
  name: text(200),
  email: emailSchema('must be an email address'),
  language: z.enum(languages).optional(),
  by: staffName,
});

export const withdrawPartnerArgsSchema = z.strictObject({ by: staffName, reason: text(2_000), date: day.optional() });

/** The first moment of the next calendar year in `zone`: where a lifecycle continues as new. */
export function startOfNextYear(now: Date, zone: string): Date {
  return DateTime.fromJSDate(now, { zone }).plus({ years: 1 }).startOf('year').toJSDate();
}

/** The calendar year of an instant in `zone`. */
export function yearIn(now: Date, zone: string): number {
  return DateTime.fromJSDate(now, { zone }).year;
}

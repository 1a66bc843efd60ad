import { localDateSchema } from './local-date';
import { z } from 'zod';
import { emailSchema } from './email-schema';

/** What kind of organisation a partner is; assigned by the ministry, the network's 2018 compiled report gives none. */
export const partnerKinds = [
  'district_government',
  'district',
  'association',
  'municipality',
  'job_centre',
  'police',
  'chamber',
  'company',
  'public_broadcaster',
  'city_cooperation',
  'regional_authority',
] as const;
export type PartnerKind = (typeof partnerKinds)[number];

/** Where an organisation stands in the network, from first contact to leaving it. */
export const organisationStatuses = ['prospect', 'invited', 'accession_in_progress', 'active', 'left'] as const;
export type OrganisationStatus = (typeof organisationStatuses)[number];

export const languages = ['de', 'en'] as const;
export type Language = (typeof languages)[number];

export const contactRoles = ['main_contact', 'leadership_signatory'] as const;
export type ContactRole = (typeof contactRoles)[number];

const text = () =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
    .trim()
    .min(1, 'must not be empty');

const email = emailSchema({
  error: (issue) => (issue.input === undefined ? 'is required' : 'must be an email address'),
});

const languageSchema = z.enum(languages, { error: `must be one of ${languages.join(', ')}` });

/**
 * One partner as an import file describes it (CSV row or JSON object). Optional fields left out
 * mean "keep what is stored", so a file need not repeat contacts entered elsewhere.
 */
export const partnerRowSchema = z
  .strictObject(
    {
      number: z
        .number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a positive whole number') })
        .int('must be a positive whole number')
        .positive('must be a positive whole number'),
      name: text(),
      kind: z.enum(partnerKinds, {
        error: (issue) => (issue.input === undefined ? 'is required' : `must be one of ${partnerKinds.join(', ')}`),
      }),
      // Prospects have not joined yet, so they have no accession date.
      accessionDate: localDateSchema.optional(),
      memberCities: z
        .array(text(), { error: 'must be a list of city names' })
        .refine((cities) => new Set(cities).size === cities.length, 'must not name a city twice')
        .optional(),
      reportHeading: text().optional(),
      mainContactName: text().optional(),
      mainContactEmail: email.optional(),
      mainContactLanguage: languageSchema.optional(),
      leadershipName: text().optional(),
      leadershipEmail: email.optional(),
      leadershipLanguage: languageSchema.optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? 'unknown field' : 'must be an object') },
  )
  .superRefine((row, ctx) => {
    if (row.memberCities !== undefined && row.memberCities.length > 0 && row.kind !== 'city_cooperation') {
      ctx.addIssue({ code: 'custom', path: ['memberCities'], message: 'only a city_cooperation has member cities' });
    }
    requireContactPair(ctx, row.mainContactName, row.mainContactEmail, row.mainContactLanguage, 'mainContact');
    requireContactPair(ctx, row.leadershipName, row.leadershipEmail, row.leadershipLanguage, 'leadership');
  });

export type PartnerRow = z.infer<typeof partnerRowSchema>;

/** A contact is a person with an address; a language alone, or a name without an email, is a mistake. */
function requireContactPair(
  ctx: z.RefinementCtx,
  name: string | undefined,
  address: string | undefined,
  language: Language | undefined,
  prefix: 'mainContact' | 'leadership',
): void {
  if (name !== undefined && address === undefined) {
    ctx.addIssue({ code: 'custom', path: [`${prefix}Email`], message: `is required with ${prefix}Name` });
  }
  if (address !== undefined && name === undefined) {
    ctx.addIssue({ code: 'custom', path: [`${prefix}Name`], message: `is required with ${prefix}Email` });
  }
  if (language !== undefined && address === undefined && name === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: [`${prefix}Language`],
      message: `needs ${prefix}Name and ${prefix}Email`,
    });
  }
}

/** The columns (CSV) or fields (JSON) an import file may use. */
export const partnerRowFields = Object.keys(partnerRowSchema.shape) as (keyof PartnerRow)[];

/**
 * Families of notices: each kind of deadline (annual report, declaration, …) brings its own
 * templates and the recipient roles it may address. The deadline machinery knows families, not
 * template names: a new family joins by adding its vocabulary here and its mail in src/email.
 */

/** Every role a notice can address; src/email/recipients.ts resolves each to people. */
export const recipientRoles = [
  'partner_main_contact',
  'partner_leadership',
  'ministry_caseworker',
  'head_of_unit',
] as const;

export type RecipientRole = (typeof recipientRoles)[number];

export type NoticeFamily = {
  id: string;
  templates: readonly string[];
  roles: readonly RecipientRole[];
};

/** Declares a family, keeping its literal template names as types. */
function family<const Id extends string, const T extends readonly string[], const R extends readonly RecipientRole[]>(
  id: Id,
  templates: T,
  roles: R,
) {
  return { id, templates, roles } satisfies NoticeFamily;
}

export const annualReportFamily = family(
  'annual-report',
  [
    'report-invitation',
    'report-reminder',
    'report-overdue',
    'report-escalation-partner',
    'report-escalation-ministry',
    'report-received',
    'report-revision-requested',
    'report-extension-granted',
    'report-accepted',
    'report-waived',
  ],
  recipientRoles,
);

/** An organisation's declaration of measures and milestones, the first step of accession. */
export const declarationFamily = family(
  'declaration',
  ['declaration-invitation', 'declaration-reminder', 'declaration-overdue-ministry'],
  ['partner_main_contact', 'partner_leadership', 'ministry_caseworker', 'head_of_unit'],
);

export const noticeFamilies = {
  [annualReportFamily.id]: annualReportFamily,
  [declarationFamily.id]: declarationFamily,
} as const;

export type NoticeFamilyId = keyof typeof noticeFamilies;
export const noticeFamilyIds = Object.keys(noticeFamilies) as [NoticeFamilyId, ...NoticeFamilyId[]];

export type FamilyTemplate<F extends NoticeFamilyId> = (typeof noticeFamilies)[F]['templates'][number];

export const noticeTemplates = Object.values(noticeFamilies).flatMap((f) => f.templates) as FamilyTemplate<NoticeFamilyId>[];
export type NoticeTemplate = FamilyTemplate<NoticeFamilyId>;

/** The family a template belongs to; template names are unique across families. */
export function familyOfTemplate(template: NoticeTemplate): NoticeFamilyId {
  const owner = noticeFamilyIds.find((id) => (noticeFamilies[id].templates as readonly string[]).includes(template));
  if (owner === undefined) throw new RangeError(`no family has the template "${template}"`);
  return owner;
}

/** The roles of ministry people in the web interface; a person may hold several. */
export const accountRoles = ['staff', 'caseworker', 'signatory', 'admin'] as const;
export type AccountRole = (typeof accountRoles)[number];

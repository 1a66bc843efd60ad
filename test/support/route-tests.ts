/**
 * Every route of the web server, API and pages, with the test that walks its happy path, as
 * "file › test title". test/integration/route-inventory.test.ts checks this table against the
 * app's routes and /openapi.json both ways and that each named test exists: a new route without
 * a test, or a test renamed away from its route, breaks the suite. Add your route here with the
 * test that shows it working (a refusal-only test does not count).
 * Keys: "METHOD path" as Hono registers it, with the regex of a parameter left out (":year", not
 * ":year{[0-9]{4}}").
 */

const webApi = 'test/integration/web-api.test.ts';
const accessionApi = 'test/integration/accession-api.test.ts';
const opsApi = 'test/integration/web-ops-api.test.ts';
const happyPaths = 'test/integration/route-happy-paths.test.ts';
const webBrowser = 'test/e2e/web-browser.test.ts';
const opsBrowser = 'test/e2e/web-ops-browser.test.ts';
const accessionBrowser = 'test/e2e/accession-browser.test.ts';

const at = (file: string, title: string) => `${file} › ${title}`;

const serverItself = at(webApi, 'serves an OpenAPI document generated from the route schemas, its docs, and KERN from local files');
const securityHeaders = at(webApi, 'sends security headers and refuses a form post from another origin');
const scannerGet = at(webApi, 'a scanner’s GET shows a button and changes nothing; the person’s POST opens a session and leaves the token behind');
const linkRefusals = at(webApi, 'refuses expired, revoked and unknown links, and a revoked link ends the sessions it opened');
const staffIssuesLink = at(webApi, 'lets staff issue a new link for a partner’s report, for the future only');
const boardLinks = at(webApi, 'issues a link shown once and revokes every link of a partner’s report');
const partnerSubmits = at(webApi, 'submits a report once per idempotency key, with field errors for bad input and nothing stored');
const partnerDraft = at(webApi, 'keeps a partner to its own organisation and year');
const staffDecides = at(webApi, 'accepts on the board through the workflow’s Update; bad input gets field lines and a 4xx, the wrong role a 403');
const adminApi = at(webApi, 'lists workflows by filter, shows a history with its Temporal UI link, and terminates with a reason, audited');
const adminPage = at(webApi, 'cancels a workflow from the admin page only with a reason, and only for admins');
const apiLogout = at(webApi, 'ends a session on logout');
const reportForm = at(webApi, 'shows German field messages next to the fields and keeps what was typed; a good submission leads to the receipt');

const accessionStarts = at(accessionApi, 'starts with an invitation, refusing a role that may not, bad input field by field, a taken number; a retried request starts nothing twice');
const declarationApi = at(accessionApi, 'takes the declaration: a scanner’s GET changes nothing, a draft is kept, an invalid one is refused field by field and changes nothing, a valid one is received once');
const linkPurposes = at(accessionApi, 'keeps each link to its purpose and its organisation, and ends a session whose link expired or was revoked');
const accessionReviewed = at(accessionApi, 'is reviewed (a revision, then acceptance), signed by the signatory for the ministry and by the organisation, and the partner becomes active');
const accessionEnded = at(accessionApi, 'ends an accession with a reason: a rejection by a caseworker, after which nothing changes');
const accessionPages = at(accessionApi, 'shows the declaration form with German field messages and keeps what was typed; staff pages by role');

const reportPageForStaff = at(
  webApi,
  'shows what was submitted beside the decisions the phase allows, and each version’s review; a decision from a page the phase has moved past is refused in the page’s language',
);
const staffClassify = at(webApi, 'classifies on the report page and through the API what the partner left open, marked as the ministry’s and audited');
const boardLastEmail = at(opsApi, 'shows each report’s newest email with its delivery outcome, in the API and on the page');
const resend = at(opsApi, 'asks the workflow to send it again as a new ledger row, with a reason, audited; refuses bad input and other roles');
const workflowEmails = at(opsApi, 'lists a workflow’s emails for admins only');
const cycleOpens = at(opsApi, 'previews the plan without storing anything, opens once, reports the status; bad input and roles refused');
const cycleCompiles = at(opsApi, 'compiles in the cycle workflow (202 at once, the outcome at its Location) and keeps every version; files download by name only');
const organisationsApi = at(opsApi, 'lists organisations with their stage, reads one and its contacts; bad input 4xx, partners and strangers refused');

const assets = at(happyPaths, 'serves the stylesheet, the API docs’ script and the cycle page’s follow script');
const landings = at(happyPaths, 'leads a partner from /portal to its report, and staff from /staff/reports and /staff/cycles to this year’s pages');
const pageLogout = at(happyPaths, 'ends the session on the logout button, clears the cookie, and the next page asks for a login');
const staffAccessionPages = at(happyPaths, 'lets staff download the agreement, reject an accession and record a partner leaving, on the pages, by role');

const browserStory = at(webBrowser, 'takes a partner from the email to the receipt, staff to acceptance and an admin into the history');
const opsStory = at(opsBrowser, 'shows the last email on the board, previews and compiles a cycle, resends an email and retries a failed report');
const accessionStory = at(accessionBrowser, 'takes an organisation from the invitation to an active partner');

export const routeTests: Record<string, string> = {
  'GET /assets/kern/*': serverItself,
  'GET /assets/swagger/*': serverItself,
  'GET /assets/app.css': assets,
  'GET /assets/docs.js': assets,
  'GET /assets/cycle-follow.js': assets,
  'GET /openapi.json': serverItself,
  'GET /api/docs': serverItself,
  'GET /': securityHeaders,

  'POST /api/v1/session/link': partnerSubmits,
  'POST /api/v1/session/login': adminApi,
  'POST /api/v1/session/second-factor': adminApi,
  'DELETE /api/v1/session': apiLogout,
  'GET /api/v1/partner/reports/:year': partnerSubmits,
  'GET /api/v1/partner/reports/:year/timeline': partnerSubmits,
  'GET /api/v1/partner/reports/:year/draft': partnerDraft,
  'PUT /api/v1/partner/reports/:year/draft': partnerDraft,
  'POST /api/v1/partner/reports/:year/submission': partnerSubmits,
  'GET /api/v1/reports/:year': staffDecides,
  'POST /api/v1/reports/:year/:partner/decisions/:decision': staffDecides,
  'POST /api/v1/reports/:year/:partner/versions/:reference/classifications': staffClassify,
  'POST /api/v1/reports/:year/:partner/links': staffIssuesLink,
  'DELETE /api/v1/links/:id': linkRefusals,
  'GET /api/v1/workflows': browserStory,
  'GET /api/v1/workflows/:id/history': adminApi,
  'POST /api/v1/workflows/:id/:action': adminApi,
  'GET /api/v1/accessions': accessionStarts,
  'POST /api/v1/accessions': accessionStarts,
  'GET /api/v1/accessions/:partner': accessionPages,
  'POST /api/v1/accessions/:partner/review': accessionReviewed,
  'POST /api/v1/accessions/:partner/signatures': accessionReviewed,
  'POST /api/v1/accessions/:partner/end': accessionEnded,
  'POST /api/v1/accessions/:partner/partnership/withdrawal': accessionReviewed,
  'GET /api/v1/partner/accession': linkPurposes,
  'PUT /api/v1/partner/accession/declaration/draft': declarationApi,
  'POST /api/v1/partner/accession/declaration': declarationApi,
  'POST /api/v1/partner/accession/signature': accessionReviewed,
  'GET /api/v1/partner/milestones': accessionReviewed,
  'POST /api/v1/partner/milestones/:milestoneId/answer': accessionReviewed,
  'GET /api/v1/workflows/:id/emails': workflowEmails,
  'POST /api/v1/emails/:id/resend': resend,
  'POST /api/v1/cycles/:year/preview': cycleOpens,
  'POST /api/v1/cycles/:year/open': cycleOpens,
  'GET /api/v1/cycles/:year/progress': cycleOpens,
  'GET /api/v1/cycles/:year/compilations/requests/:requestId': cycleCompiles,
  'GET /api/v1/cycles/:year/status': cycleOpens,
  'POST /api/v1/cycles/:year/compilations': cycleCompiles,
  'GET /api/v1/cycles/:year/compilations': cycleCompiles,
  'GET /api/v1/cycles/:year/compilations/:version/:file': cycleCompiles,
  'POST /api/v1/cycles/:year/compilations/:version/typesetting': cycleCompiles,
  'GET /api/v1/organisations': organisationsApi,
  'GET /api/v1/organisations/:number': organisationsApi,
  'GET /api/v1/organisations/:number/contacts': organisationsApi,

  'GET /link/:token': scannerGet,
  'POST /link/:token': scannerGet,
  // The links of before personal links open nothing: the page saying whom to ask is the route's whole job.
  'GET /reports/:year/:partner': linkRefusals,
  'GET /portal': landings,
  'GET /portal/reports/:year/status': browserStory,
  'GET /portal/reports/:year': reportForm,
  'POST /portal/reports/:year': reportForm,
  'GET /portal/reports/:year/receipts/:reference': reportForm,
  'GET /portal/accession/declaration': accessionPages,
  'POST /portal/accession/declaration': accessionPages,
  'GET /portal/accession/declaration/receipts/:version': accessionPages,
  'GET /portal/accession/agreement': accessionStory,
  'GET /portal/accession/agreement.pdf': accessionStory,
  'POST /portal/accession/agreement/signature': accessionStory,
  'GET /portal/milestones': accessionStory,
  'POST /portal/milestones/answer': accessionStory,

  'GET /staff/login': browserStory,
  'POST /staff/login': browserStory,
  'GET /staff/login/second-factor': browserStory,
  'POST /staff/login/second-factor': browserStory,
  'POST /logout': pageLogout,
  'GET /staff': landings,
  'GET /staff/reports': landings,
  'GET /staff/reports/:year': boardLastEmail,
  'GET /staff/reports/:year/:partner': reportPageForStaff,
  'POST /staff/reports/:year/:partner/versions/:reference/classifications': staffClassify,
  'POST /staff/reports/:year/:partner/links': boardLinks,
  'POST /staff/reports/:year/:partner/links/revoke': boardLinks,
  'POST /staff/reports/:year/:partner/:decision': browserStory,
  'GET /admin/workflows': browserStory,
  'GET /admin/workflow': adminPage,
  'POST /admin/workflow/:action': adminPage,
  'POST /admin/emails/:id/resend': resend,
  'GET /staff/accessions': accessionPages,
  'GET /staff/accessions/new': accessionStory,
  'POST /staff/accessions': accessionStory,
  'GET /staff/accessions/:number': accessionPages,
  'GET /staff/accessions/:number/agreement.pdf': staffAccessionPages,
  'POST /staff/accessions/:number/review/:outcome': accessionStory,
  'POST /staff/accessions/:number/signatures/:party': accessionPages,
  'POST /staff/accessions/:number/partnership/withdrawal': staffAccessionPages,
  'POST /staff/accessions/:number/end/:outcome': staffAccessionPages,
  'GET /staff/cycles': landings,
  'GET /staff/cycles/:year': cycleCompiles,
  'POST /staff/cycles/:year/opening': cycleCompiles,
  'POST /staff/cycles/:year/compilations': opsStory,
  'GET /staff/cycles/:year/versions/:version/:file': cycleCompiles,
  'POST /staff/cycles/:year/versions/:version/typesetting': cycleCompiles,
};

/** "METHOD path" as this table keys it, from a Hono route (its parameters' regexes dropped). */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/(:\w+)\{(?:[^{}]|\{[^{}]*\})*\}/g, '$1')}`;
}

/** "METHOD path" of an OpenAPI operation, with {param} written as :param. */
export function openApiKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
}

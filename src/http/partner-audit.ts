/**
 * Every refused request on a partner's routes is in the audit log: the portal pages and
 * /api/v1/partner answering 401, 403, 404 or 409 to no session, a session of a staff account, a
 * link of another purpose or year, a link that expired or was revoked after its session opened, a
 * record that is not the link's organisation's, or an action done already (a second signature). Exchanging a link token audits itself (auth.ts).
 */
import type { MiddlewareHandler } from 'hono';
import { recordAudit } from '../db/queries/audit';
import { clientOf } from './auth';
import { nowOf, type AppEnv } from './context';

const refusals = new Set([401, 403, 404, 409]);

export function isPartnerPath(path: string): boolean {
  return path === '/portal' || path.startsWith('/portal/') || path.startsWith('/api/v1/partner/');
}

export const auditPartnerRefusals: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (!refusals.has(c.res.status) || !isPartnerPath(c.req.path)) return;
  const deps = c.get('deps');
  const principal = c.get('principal');
  const ended = c.get('endedLink');
  const partner = principal?.kind === 'partner' ? principal : undefined;
  const reason = partner ? ({ 404: 'not-found', 409: 'state' } as Record<number, string>)[c.res.status] ?? 'out-of-scope' : ended ? `link-${ended.state}` : principal ? 'not-a-partner' : 'no-session';
  await recordAudit(deps.db, {
    occurredAt: nowOf(deps),
    actor: partner ? `partner:${partner.link.partnerNumber}` : ended ? `partner:${ended.partnerNumber}` : principal?.kind === 'account' ? principal.account.name : 'anonymous',
    entityType: 'partner_link',
    entityId: String(partner?.link.id ?? ended?.id ?? 'none'),
    action: 'refused-request',
    details: { method: c.req.method, path: c.req.path, status: c.res.status, reason, client: clientOf(c) },
  });
};

import { sql } from 'drizzle-orm';
import type { ActivityDeps } from './deps';

export function createSystemActivities({ db, mailer }: ActivityDeps) {
  return {
    /** Read-only: safe to retry as often as Temporal likes. */
    async checkSystem(): Promise<{ database: string; partners: number; smtp: string }> {
      const [version] = await db.execute<{ version: string }>(sql`select version() as version`);
      const [count] = await db.execute<{ partners: number }>(sql`select count(*)::int as partners from organisations`);
      const smtp = await mailer.verify();
      return { database: String(version?.version).split(' on ')[0] ?? 'unknown', partners: count?.partners ?? 0, smtp };
    },
  };
}

import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
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

/** The system check's hop to a documents worker (on its own queue): it runs, reads its fonts and may write the volumes' folder. */
export function createDocumentsCheckActivities({ config }: Pick<ActivityDeps, 'config'>) {
  return {
    /** Read-only but for creating the data folder if it is missing: safe to retry. */
    async checkDocuments(): Promise<string> {
      // Loaded here: the document modules stay out of a worker's start (cli-build test).
      const { fontFiles } = await import('../src/documents/fonts');
      await Promise.all(fontFiles.map((file) => access(file, constants.R_OK)));
      const dataDir = resolve(config.dataDir);
      await mkdir(dataDir, { recursive: true });
      await access(dataDir, constants.W_OK);
      return `documents worker on ${hostname()} (pid ${process.pid}): ${fontFiles.length} fonts, ${dataDir} writable`;
    },
  };
}

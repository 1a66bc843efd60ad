import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { formatIssues } from '../domain/issues';

/**
 * The production topology's Temporal settings, read from docker-compose.yml: `npm run stack` runs
 * the same server without Docker, so the file is the one place they are written and the two
 * cannot drift. test/integration/docker-compose.test.ts checks the rest of the wiring.
 */

export const composeFile = fileURLToPath(new URL('../../docker-compose.yml', import.meta.url));

const serviceSchema = z.object({
  image: z.string().optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

/** The auto-setup image's variables we run by (its own defaults made explicit in the file). */
const temporalEnvironmentSchema = z.object({
  DB: z.literal('postgres12'),
  DBNAME: z.string().regex(/^[a-z_][a-z0-9_]*$/),
  VISIBILITY_DBNAME: z.string().regex(/^[a-z_][a-z0-9_]*$/),
  NUM_HISTORY_SHARDS: z.coerce.number().int().min(1).max(16_384),
  DEFAULT_NAMESPACE: z.string().min(1),
  DEFAULT_NAMESPACE_RETENTION: z.string().regex(/^\d+h$/, 'must be whole hours, e.g. 24h'),
});

export type TemporalTopology = {
  /** The server version, from the image tag (temporalio/auto-setup:<version>). */
  serverVersion: string;
  sqlPlugin: 'postgres12';
  databases: { history: string; visibility: string };
  historyShards: number;
  namespace: string;
  retentionHours: number;
};

export function loadTemporalTopology(file: string = composeFile): TemporalTopology {
  const compose = z.object({ services: z.object({ temporal: serviceSchema }) }).safeParse(parse(readFileSync(file, 'utf8'), { merge: true }));
  if (!compose.success) throw new Error(`${file}:\n${formatIssues(compose.error).join('\n')}`);
  const { image, environment } = compose.data.services.temporal;
  const version = /^temporalio\/auto-setup:(\d+\.\d+\.\d+)$/.exec(image ?? '')?.[1];
  if (!version) throw new Error(`${file}: services.temporal.image: must be temporalio/auto-setup:<x.y.z>, not ${image}`);
  const env = temporalEnvironmentSchema.safeParse(environment ?? {});
  if (!env.success) {
    throw new Error(`${file}:\n${formatIssues(env.error, 'services.temporal.environment').join('\n')}`);
  }
  return {
    serverVersion: version,
    sqlPlugin: env.data.DB,
    databases: { history: env.data.DBNAME, visibility: env.data.VISIBILITY_DBNAME },
    historyShards: env.data.NUM_HISTORY_SHARDS,
    namespace: env.data.DEFAULT_NAMESPACE,
    retentionHours: Number(env.data.DEFAULT_NAMESPACE_RETENTION.slice(0, -1)),
  };
}

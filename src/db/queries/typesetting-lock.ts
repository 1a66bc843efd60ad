import type { Database } from '../client';

/** Says that another process is typesetting the version right now. */
export class TypesettingInProgressError extends Error {
  readonly code = 'TypesettingInProgress';
}

/**
 * Runs `body` while this process alone typesets the compiled version `compiledReportId`: a
 * session-level advisory lock on a connection of its own, so it is held for the minutes PDF and
 * DOCX take without a transaction open that long, and released by PostgreSQL itself if the
 * process dies. A second process (the CLI's `cycle typeset` beside the worker's) is refused at
 * once rather than writing the same volumes: the version is ready when the first one is done.
 */
export async function whileTypesetting<T>(db: Database, compiledReportId: number, body: () => Promise<T>): Promise<T> {
  const connection = await db.$client.reserve();
  try {
    const [row] = await connection<{ locked: boolean }[]>`select pg_try_advisory_lock(hashtext('compiled_reports.typesetting'), ${compiledReportId}) as locked`;
    if (!row?.locked) throw new TypesettingInProgressError(`version: another process is typesetting its PDF and DOCX right now; they are ready when it is done`);
    try {
      return await body();
    } finally {
      await connection`select pg_advisory_unlock(hashtext('compiled_reports.typesetting'), ${compiledReportId})`;
    }
  } finally {
    connection.release();
  }
}

import type { Config } from '../src/config';
import type { Database } from '../src/db/client';
import type { Mailer } from '../src/email/transport';
import type { FaultInjector } from '../src/faults';

/** The real dependencies every activity is built from (see createActivities). */
export type ActivityDeps = {
  db: Database;
  mailer: Mailer;
  config: Config;
  faults: FaultInjector;
};

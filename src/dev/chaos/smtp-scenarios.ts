/** The SMTP fault and SIGTERM scenarios, for the registry of `npm run chaos`. */
import type { ChaosScenario } from './scenario';
import { sigtermScenario } from './sigterm';
import { droppedAfterData, permanentRefusals, refusedLogin, temporaryRefusals } from './smtp-faults';
import type { SmtpWorldParts } from './smtp-world';

/** `parts`: a PostgreSQL server to make the scenarios' databases on (the suite's); without it each starts its own. */
export function smtpScenariosOn(parts: SmtpWorldParts = {}): ChaosScenario[] {
  return [temporaryRefusals(parts), permanentRefusals(parts), droppedAfterData(parts), refusedLogin(parts), sigtermScenario(parts)];
}

export const smtpScenarios: ChaosScenario[] = smtpScenariosOn();

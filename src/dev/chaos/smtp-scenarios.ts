/** The SMTP fault and SIGTERM scenarios, for the registry of `npm run chaos`. */
import type { ChaosScenario } from './scenario';
import { droppedAfterData, permanentRefusals, refusedLogin, temporaryRefusals } from './smtp-faults';
import type { SmtpWorldParts } from './smtp-world';

export function smtpScenarios(parts: SmtpWorldParts = {}): ChaosScenario[] {
  return [temporaryRefusals(parts), permanentRefusals(parts), droppedAfterData(parts), refusedLogin(parts)];
}

/**
 * Every scenario `npm run chaos` knows, in the order it runs them. Kill scenarios (worker,
 * Temporal server, PostgreSQL) live in scenarios/; SMTP-fault and SIGTERM scenarios in smtp-scenarios.ts.
 */
import type { ChaosScenario } from './scenario';
import { acceptWindow } from './scenarios/accept-window';
import { databaseWindow } from './scenarios/database-window';
import { postgresKill } from './scenarios/postgres-kill';
import { temporalKill } from './scenarios/temporal-kill';
import { typesettingWindow } from './scenarios/typesetting-window';
import { workerKills } from './scenarios/worker-kills';
import { smtpScenarios } from './smtp-scenarios';

export const chaosScenarios: ChaosScenario[] = [workerKills, acceptWindow, databaseWindow, typesettingWindow, temporalKill(), postgresKill(), ...smtpScenarios];

export function findScenario(name: string): ChaosScenario | undefined {
  return chaosScenarios.find((scenario) => scenario.name === name);
}

export type { ChaosOptions, ChaosRow, ChaosScenario } from './scenario';

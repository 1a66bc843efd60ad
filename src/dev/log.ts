/** One line per event, tagged with the part of the stack it comes from ("[postgres] ready" when pretty). */
import { processLogger } from '../observability/logger';

export type Log = (line: string) => void;

export function partLog(part: string): Log {
  const logger = processLogger().child({ part });
  return (line) => logger.info(line);
}

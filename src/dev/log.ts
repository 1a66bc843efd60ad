/** One line per event, prefixed with the part of the stack it comes from: "[postgres] ready". */
export type Log = (line: string) => void;

export function prefixedLog(prefix: string, write: (line: string) => void = console.log): Log {
  const tag = `[${prefix}]`.padEnd(10);
  return (line) => write(`${tag} ${line}`);
}

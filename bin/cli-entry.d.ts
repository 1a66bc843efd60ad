/** The compiled CLI's entry point, or undefined when it is missing or older than a source file. */
export function compiledCli(): string | undefined;

/**
 * An error meant for the person at the terminal: printed as one line, no stack trace
 * (CONTRACTS.md §2). exitCode 2 = bad usage or bad input file, 1 = runtime failure.
 */
export class CliError extends Error {
  readonly exitCode: 1 | 2;
  constructor(message: string, exitCode: 1 | 2) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

export const usageError = (message: string): CliError => new CliError(message, 2);
export const runtimeError = (message: string): CliError => new CliError(message, 1);

/** Node's system errors (ENOENT, EACCES, EADDRINUSE, ...) are user-facing, not bugs. */
export function describeSystemError(err: unknown): string | null {
  if (err instanceof Error && typeof (err as NodeJS.ErrnoException).code === "string") {
    const e = err as NodeJS.ErrnoException;
    const where = e.path ?? (e as { address?: string }).address ?? "";
    const what: Record<string, string> = {
      ENOENT: "no such file",
      EACCES: "permission denied",
      EISDIR: "is a directory",
      ENOTDIR: "not a directory",
      EADDRINUSE: "address already in use",
      EADDRNOTAVAIL: "address not available",
      ENOSPC: "no space left on device",
    };
    const text = what[e.code!];
    if (text) return where ? `${where}: ${text}` : `${text} (${e.code})`;
  }
  return null;
}

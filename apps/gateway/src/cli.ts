/**
 * The `spinewatch` command line (CONTRACTS.md §2): serve, analyze, simulate, scan.
 * Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input. A user mistake is one
 * line on stderr (`spinewatch: ...`), never a stack trace; an unexpected error (a bug) keeps
 * its stack so that it can be reported.
 */
import { CliError, describeSystemError } from "./cli-error.js";

const USAGE = `usage: spinewatch <command> [options]

  serve     [--source sim|replay|ble] [--file F] [--rate R] [--scenario S] [--port P] [--host H]
            [--token T] [--record F] [--no-record] [--sessions-dir D] [--exercise NAME]
  analyze   F [--angles OUT.csv] [--json] [--exercise NAME]
  simulate  --scenario S [--duration-s N] [--device D] [--seed N] [--rate-hz N] --out F
  scan      [--seconds N]

Run 'spinewatch <command> --help' for a command's details.`;

type CommandRun = (argv: string[]) => Promise<number | void>;

const COMMANDS: Record<string, () => Promise<CommandRun>> = {
  serve: async () => (await import("./commands/serve-command.js")).serveCommand,
  analyze: async () => (await import("./commands/analyze-command.js")).analyzeCommand,
  simulate: async () => (await import("./commands/simulate-command.js")).simulateCommand,
  scan: async () => (await import("./commands/scan-command.js")).scanCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? process.stderr : process.stdout).write(USAGE + "\n");
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`spinewatch: unknown command '${name}' (serve, analyze, simulate, scan)\n`);
    return 2;
  }
  try {
    const run = await load();
    return (await run(rest)) ?? 0;
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`spinewatch: ${err.message}\n`);
      return err.exitCode;
    }
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (code === "ERR_MODULE_NOT_FOUND" && /@spinewatch\//.test(String((err as Error).message))) {
      // A workspace package that is not written yet: unfinished, said plainly (brief: never a stub).
      const pkg = /@spinewatch\/[a-z-]+/.exec(String((err as Error).message))?.[0];
      process.stderr.write(`spinewatch: ${name}: not available yet: ${pkg} is missing\n`);
      return 1;
    }
    const system = describeSystemError(err);
    if (system) {
      process.stderr.write(`spinewatch: ${name}: ${system}\n`);
      return 1;
    }
    process.stderr.write(`spinewatch: ${name}: internal error (please report):\n`);
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

// serve resolves only after SIGINT/SIGTERM has ended the session; the others when done.
const exitCode = await main(process.argv.slice(2));
if (process.argv[2] === "scan" || process.argv[2] === "serve") {
  // abandonware noble, once loaded, polls the adapter with a referenced timer and has no close
  // API (packages/ble/README.md): a command that used BLE ends the process itself.
  const { bleWasLoaded } = await import("./server/sources.js");
  if (bleWasLoaded()) process.exit(exitCode);
}
process.exitCode = exitCode;

import { EXERCISE_NAMES } from "@spinewatch/protocol";
import { existsSync, statSync } from "node:fs";
import { basename } from "node:path";
import { parseCommandArgs } from "../cli-args.js";
import { usageError } from "../cli-error.js";
import { parseInWorkerFor, startParseThread } from "../analyze-reading.js";
import { bundledFilePath } from "../bundle-files.js";
import { formatSummaryTable } from "../summary-table.js";

const HELP = `usage: spinewatch analyze F [--angles OUT.csv] [--json] [--exercise NAME]

Runs recording F (.ndjson or .ndjson.gz) through the pipeline as fast as it can and prints the
session summary: a table, or JSON with --json. --angles writes one CSV row per frame after
calibration. --exercise overrides the recording's exercise.`;

export async function analyzeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    "analyze",
    argv,
    { angles: { type: "string" }, json: { type: "boolean" }, exercise: { type: "string" }, help: { type: "boolean", short: "h" } },
    1,
  );
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  const file = positionals[0];
  if (file === undefined) throw usageError("analyze: which recording? usage: spinewatch analyze F [--angles OUT.csv] [--json] [--exercise NAME]");
  if (!existsSync(file)) throw usageError(`${file}: no such file`);
  if (statSync(file).isDirectory()) throw usageError(`${file}: is a directory, not a recording`);
  if (typeof values.exercise === "string" && !(EXERCISE_NAMES as readonly string[]).includes(values.exercise)) {
    throw usageError(`analyze: --exercise: unknown exercise '${values.exercise}' (one of ${EXERCISE_NAMES.join(", ")})`);
  }
  // A big recording is read on a second thread, started before the pipeline's modules load (the
  // thread's start-up then overlaps their loading: docs/BENCHMARKS.md, analyze).
  const { parseInWorker = parseInWorkerFor(file) } = parseThreadChoice(process.env.SPINEWATCH_PARSE_THREAD);
  const parseThread = parseInWorker ? startParseThread(file) : undefined;
  try {
    // The pipeline is loaded only now, so that flag mistakes are reported at once.
    const { analyzeRecording } = await import("../analyze-recording.js");
    // From the CLI bundle, the bend calibration's mathjs is the bundle's own build of it.
    const eigsBuild = bundledFilePath("mathjs-eigs.cjs");
    if (eigsBuild !== undefined) (await import("@spinewatch/kinematics")).useMathjsEigsBuild(eigsBuild);
    const summary = await analyzeRecording(file, {
      ...(typeof values.exercise === "string" ? { exercise: values.exercise } : {}),
      ...(typeof values.angles === "string" ? { anglesPath: values.angles } : {}),
      progress: process.stderr.isTTY === true,
      parseInWorker,
      ...(parseThread ? { parseThread } : {}),
    });
    process.stdout.write(values.json ? JSON.stringify(summary, null, 1) + "\n" : formatSummaryTable(summary, basename(file)));
  } finally {
    parseThread?.stop(); // ended already unless analyze failed first (a bad header)
  }
  return 0;
}

/**
 * SPINEWATCH_PARSE_THREAD=1 / 0 forces parsing on a second thread or on the main one; unset,
 * analyze decides by the file's size (analyze-reading.ts). For tests and for comparing the two.
 */
function parseThreadChoice(value: string | undefined): { parseInWorker?: boolean } {
  if (value === "1") return { parseInWorker: true };
  if (value === "0") return { parseInWorker: false };
  if (value === undefined || value === "") return {};
  throw usageError(`SPINEWATCH_PARSE_THREAD: expected 1 or 0, got ${JSON.stringify(value)}`);
}

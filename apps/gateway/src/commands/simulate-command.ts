import type { HeaderLine, RecordingLine } from "@spinewatch/protocol";
import type { ScenarioName, SimulationOptions } from "@spinewatch/simulator";
import { existsSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { choiceFlag, numberFlag, parseCommandArgs } from "../cli-args.js";
import { usageError } from "../cli-error.js";
import { scenarioNames } from "../server/sources.js";

const DEVICES = ["witmotion-wt901ble", "movella-dot", "generic"] as const;

const HELP = `usage: spinewatch simulate --scenario S [--duration-s N] [--device D] [--seed N] [--rate-hz N] --out F

Writes a simulated recording (format v1, with truth and truth-event lines) to F; a name ending
in .gz is compressed. Devices: ${DEVICES.join(", ")} (default witmotion-wt901ble).`;

export async function simulateCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs("simulate", argv, {
    scenario: { type: "string" },
    "duration-s": { type: "string" },
    device: { type: "string" },
    seed: { type: "string" },
    "rate-hz": { type: "string" },
    out: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  if (typeof values.scenario !== "string") throw usageError("simulate: --scenario S is required");
  if (typeof values.out !== "string") throw usageError("simulate: --out F is required");
  const out = values.out;
  const dir = dirname(out);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw usageError(`simulate: --out: directory ${dir} does not exist`);
  const options = {
    scenario: values.scenario as ScenarioName,
    durationS: numberFlag("simulate", "duration-s", values["duration-s"], 60, { min: 1, max: 24 * 3600 }),
    device: choiceFlag("simulate", "device", values.device, DEVICES, "witmotion-wt901ble"),
    seed: numberFlag("simulate", "seed", values.seed, 1, { integer: true, min: 0 }),
    ...(values["rate-hz"] !== undefined ? { rateHz: numberFlag("simulate", "rate-hz", values["rate-hz"], 100, { min: 1, max: 1000 }) } : {}),
  };
  // The simulator is loaded only now, so that flag mistakes are reported at once.
  const names = scenarioNames((await import("@spinewatch/simulator")).SCENARIOS);
  if (!names.includes(values.scenario)) throw usageError(`simulate: unknown scenario '${values.scenario}' (one of ${names.join(", ")})`);
  await writeSimulation(out, options);
  return 0;
}

/** Streams the simulator's lines into a recording file: header first, then data lines, never the whole session in memory. */
export async function writeSimulation(out: string, options: SimulationOptions): Promise<void> {
  const { simulateSession } = await import("@spinewatch/simulator");
  const { RecordingWriter } = await import("@spinewatch/recording");
  const lines = simulateSession(options)[Symbol.iterator]();
  const first = lines.next();
  if (first.done || (first.value as RecordingLine).type !== "header") throw new Error("simulator produced no header line");
  const writer = await RecordingWriter.open(out, first.value as HeaderLine);
  try {
    for (let r = lines.next(); !r.done; r = lines.next()) writer.write(r.value as Exclude<RecordingLine, HeaderLine>);
  } finally {
    await writer.close();
  }
}

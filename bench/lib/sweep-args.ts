import { parseArgs, type ParseArgsConfig } from "node:util";
import { resolveErrorModel, SCENARIO_NAMES, SIMULATED_DEVICES, type ErrorModelOption, type ScenarioName, type SimulatedDevice } from "@spinewatch/simulator";

/** What a simulator bench sweeps: every scenario × device × seed 1..seeds, each session durationS long. */
export interface Sweep {
  scenarios: ScenarioName[];
  devices: SimulatedDevice[];
  seeds: number;
  durationS: number;
}

type Options = NonNullable<ParseArgsConfig["options"]>;
/** The values of a bench's own options, as node:util parseArgs gives them. */
export type ExtraValues = Record<string, string | boolean | undefined>;

/**
 * The command line of a simulator bench: `--scenarios a,b --devices d1,d2 --seeds N
 * --duration-s S` with the bench's defaults, plus the bench's own `extra` options (parseArgs
 * syntax, strict). A bad or unknown option exits with a one-line error naming it (code 2),
 * instead of a stack trace from deep inside the simulator.
 */
export function parseSweepArgs(defaults: Sweep, extra: Options = {}): { sweep: Sweep; values: ExtraValues } {
  try {
    const { values } = parseArgs({
      options: {
        seeds: { type: "string", default: String(defaults.seeds) },
        "duration-s": { type: "string", default: String(defaults.durationS) },
        scenarios: { type: "string", default: defaults.scenarios.join(",") },
        devices: { type: "string", default: defaults.devices.join(",") },
        ...extra,
      },
      strict: true,
    });
    const v = values as Record<string, string | boolean | undefined>;
    const seeds = Number(v.seeds);
    if (!(Number.isInteger(seeds) && seeds >= 1)) throw new Error(`--seeds: expected a whole number ≥ 1, got ${JSON.stringify(v.seeds)}`);
    const durationS = Number(v["duration-s"]);
    if (!(durationS > 0 && durationS < Infinity)) throw new Error(`--duration-s: expected seconds > 0, got ${JSON.stringify(v["duration-s"])}`);
    const scenarios = listOf("--scenarios", String(v.scenarios), SCENARIO_NAMES);
    const devices = listOf("--devices", String(v.devices), SIMULATED_DEVICES);
    return { sweep: { scenarios, devices, seeds, durationS }, values: v };
  } catch (e) {
    return fail(e);
  }
}

/** A bench's `--error-model` option (add it to `extra`): JSON overrides of the simulator's error model. */
export const ERROR_MODEL_OPTION: Options = { "error-model": { type: "string", default: "{}" } };

/**
 * The `--error-model` overrides (e.g. '{"gyrScaleSd":0}'), checked against the simulator's error
 * model (resolveErrorModel: known fields, finite numbers ≥ 0), so that a bad one exits with one
 * line (code 2) instead of a stack trace from the simulator.
 */
export function errorModelArg(values: ExtraValues): Record<string, number> {
  const text = String(values["error-model"] ?? "{}");
  try {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`--error-model: expected JSON, e.g. '{"gyrScaleSd":0}', got ${text}`);
    }
    resolveErrorModel(parsed as ErrorModelOption);
    return parsed as Record<string, number>;
  } catch (e) {
    return fail(e);
  }
}

function fail(e: unknown): never {
  process.stderr.write(`${process.argv[1]?.split("/").pop() ?? "bench"}: ${(e as Error).message}\n`);
  process.exit(2);
}

function listOf<T extends string>(name: string, text: string, valid: readonly T[]): T[] {
  const items = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  for (const item of items) if (!valid.includes(item as T)) throw new Error(`${name}: unknown "${item}"; valid: ${valid.join(", ")}`);
  if (items.length === 0) throw new Error(`${name}: expected at least one name`);
  return items as T[];
}

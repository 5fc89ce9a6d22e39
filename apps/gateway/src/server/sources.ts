import type { Clock, SensorSource, Snapshot } from "@spinewatch/protocol";
import type { BleStreamOptions, Pairing } from "@spinewatch/ble";
import { runtimeError, usageError } from "../cli-error.js";

/**
 * packages/ble is loaded by name at run time: it is the only package that touches noble, and its
 * API (scan, createBleSource) is used through a checked shape, so the gateway typechecks and
 * runs whether or not it is there (a clear "not available" otherwise).
 */
export const BLE_PACKAGE: string = "@spinewatch/ble";

export type SourceSpec =
  | { kind: "sim"; scenario: string; seed: number; device?: string; durationS: number }
  | { kind: "replay"; file: string; rate: number }
  | { kind: "ble"; sacrum?: string; thoracic?: string }
  /** An already-built source (programmatic use: tests with a fake noble, other importers). */
  | { kind: "source"; source: SensorSource; label?: Snapshot["source"] };

export interface OpenedSource {
  source: SensorSource;
  label: Snapshot["source"];
}

/**
 * The three sources of `serve` (CONTRACTS.md §2). Each package is imported only when used, so
 * that the simulator path (what `npm start` runs) never touches noble.
 */
export async function openSource(spec: SourceSpec, clock: Clock, bleEnv: BleStreamOptions = {}): Promise<OpenedSource> {
  switch (spec.kind) {
    case "source":
      return { source: spec.source, label: spec.label ?? { kind: spec.source.kind } };
    case "sim": {
      const { createSimulatedSource, SCENARIOS } = await import("@spinewatch/simulator");
      const names = scenarioNames(SCENARIOS);
      if (!names.includes(spec.scenario)) {
        throw usageError(`serve: unknown scenario '${spec.scenario}' (one of ${names.join(", ")})`);
      }
      const source = createSimulatedSource(
        { scenario: spec.scenario, durationS: spec.durationS, seed: spec.seed, ...(spec.device ? { device: spec.device } : {}) } as Parameters<typeof createSimulatedSource>[0],
        clock,
      );
      return { source, label: { kind: "sim", scenario: spec.scenario } };
    }
    case "replay": {
      const { createReplaySource } = await import("@spinewatch/recording");
      const source = await createReplaySource(spec.file, { rate: spec.rate, clock });
      return { source, label: { kind: "replay", file: spec.file } };
    }
    case "ble": {
      const ble = await importBle("serve");
      const create = ble.createBleSource as undefined | ((o: object) => SensorSource | Promise<SensorSource>);
      if (typeof create !== "function") throw runtimeError("serve: not implemented: the ble package has no createBleSource yet");
      try {
        const source = await create({ sacrum: spec.sacrum, thoracic: spec.thoracic, clock, ...bleEnv });
        return { source, label: { kind: "ble" } };
      } catch (err) {
        throw runtimeError(`serve: ${oneLine(err)}`);
      }
    }
  }
}

/** `serve --source ble` without --sacrum and --thoracic: roles are chosen on the dashboard (issue 6). */
export const needsPairing = (spec: SourceSpec): boolean => spec.kind === "ble" && spec.sacrum === undefined && spec.thoracic === undefined;

/** Starts scanning for the dashboard's pairing step (packages/ble createPairing); BleErrors become one-line CLI errors. */
export async function openPairing(clock: Clock, bleEnv: BleStreamOptions = {}): Promise<Pairing> {
  const ble = await importBle("serve");
  const create = ble.createPairing as undefined | ((o: BleStreamOptions) => Promise<Pairing>);
  if (typeof create !== "function") throw runtimeError("serve: not implemented: the ble package has no createPairing yet");
  try {
    return await create({ clock, ...bleEnv });
  } catch (err) {
    throw runtimeError(`serve: ${oneLine(err)}`);
  }
}

let bleLoaded = false;

/**
 * packages/ble, loaded by name. Once it was loaded noble may be too, and abandonware noble keeps
 * a referenced timer polling the adapter (packages/ble/README.md): the CLI must then end with
 * process.exit (bleWasLoaded).
 */
export async function importBle(command: string): Promise<Record<string, unknown>> {
  try {
    const ble = (await import(BLE_PACKAGE)) as Record<string, unknown>;
    bleLoaded = true;
    return ble;
  } catch (err) {
    throw runtimeError(`${command}: ${bleUnavailable(err)}`);
  }
}

export const bleWasLoaded = (): boolean => bleLoaded;

/** SCENARIOS may be a list of names or of scenario objects with a `name`. */
export function scenarioNames(scenarios: unknown): string[] {
  const list = Array.isArray(scenarios) ? scenarios : Object.keys((scenarios ?? {}) as object);
  return list.map((s) => (typeof s === "string" ? s : String((s as { name?: unknown }).name)));
}

/** Why packages/ble could not be loaded, in one line. */
export function bleUnavailable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === "ERR_MODULE_NOT_FOUND" && String((err as Error).message).includes("@spinewatch/ble")) {
    return "BLE support is not available: packages/ble is not written yet";
  }
  return `BLE support is not available (${oneLine(err)})`;
}

export const oneLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split("\n")[0];

import type { MountPreset, RangeLimits } from "@spinewatch/protocol";
import type { BodyGeometry } from "./body-geometry.js";
import type { ErrorModelOption } from "./error-model.js";
import type { DropoutSpec, ScenarioName } from "./scenarios/index.js";

/** Devices the simulator can speak as. */
export type SimulatedDevice = "witmotion-wt901ble" | "movella-dot" | "generic";
export const SIMULATED_DEVICES: readonly SimulatedDevice[] = ["witmotion-wt901ble", "movella-dot", "generic"];

export interface SimulationOptions {
  scenario: ScenarioName;
  /** Session length, s (default 60). Scenarios repeat their pattern to fill it. */
  durationS?: number;
  /** Default `witmotion-wt901ble`. */
  device?: SimulatedDevice;
  /** Default 1. Same seed and options: the same lines, byte for byte. */
  seed?: number;
  /** Sensor output rate, Hz. Default 100 (WitMotion, generic) or 60 (Movella DOT streaming maximum, LUMBAR-FACTS.md). */
  rateHz?: number;
  /** Rate of `truth` lines, Hz. Default 100. */
  truthRateHz?: number;
  /** `'default'` (consumer MEMS on BLE), `'none'` (perfect sensor and link) or overrides of the defaults. */
  errorModel?: ErrorModelOption;
  /** Declared mount presets; default {up: "+x", out: "+z"} for both (CONTRACTS.md §1 example). */
  mounts?: { sacrum?: MountPreset; thoracic?: MountPreset };
  /** A link dropout (replaces the scenario's own; null: none). */
  dropout?: DropoutSpec | null;
  /** Overrides of the scenario's header limits (truth warnings follow them). */
  limits?: Partial<RangeLimits>;
  /** Overrides of the body dimensions. */
  geometry?: Partial<BodyGeometry>;
  /**
   * Device options written to the header and given to the encoder. Movella DOT default
   * `{ payloadMode: 21 }` (rate quantities: timestamp, acc, gyro; BLE-PROTOCOLS.md §2.4).
   */
  deviceOptions?: Record<string, unknown>;
  /**
   * Write the link's constant latency (the error model's `latencyMs`: sample taken to its
   * earliest arrival) into every sensor's header `deviceOptions.transportLatencyMs`, as a
   * latency measured on the hardware would be (DESIGN.md: "a per-device latency constant").
   * Default false: the pipeline then knows only the notification's air time.
   */
  declareLinkLatency?: boolean;
  /** Header `createdAt` (no wall clock below apps/): default "2026-01-01T00:00:00.000Z". */
  createdAt?: string;
  /**
   * Called for every notification (or `sample` line) the link delivers, in the order the sensor
   * sent them, with the true times of the samples it carries: what no recording line says, for
   * benchmarks that check where the pipeline placed each sample (bench/diagnose-placement-sim.ts).
   */
  onDelivered?: (d: DeliveredNotification) => void;
}

/** A delivered notification and the true times of its samples (SimulationOptions.onDelivered). */
export interface DeliveredNotification {
  sensor: string;
  /** Host receive time, ms (the line's tMs before rounding). */
  rxMs: number;
  /** True time each of its samples was taken, ms, in order. */
  sampleTrueMs: number[];
}

export const DEFAULT_DURATION_S = 60;
export const DEFAULT_SEED = 1;
export const DEFAULT_TRUTH_RATE_HZ = 100;
export const DEFAULT_CREATED_AT = "2026-01-01T00:00:00.000Z";
export const DEFAULT_MOUNT: Readonly<MountPreset> = { up: "+x", out: "+z" };
/** DOT payload mode 21, rate quantities: u32 µs timestamp, acc, gyro (BLE-PROTOCOLS.md §2.4). */
export const DOT_SIM_PAYLOAD_MODE = 21;

export function defaultRateHz(device: SimulatedDevice): number {
  return device === "movella-dot" ? 60 : 100;
}

/** One-line errors for options a user can get wrong (CLI flags end up here). */
export function checkSimulationOptions(o: SimulationOptions): void {
  const positive = (name: string, v: unknown) => {
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v <= 0)) {
      throw new Error(`simulator option ${name}: expected a positive number, got ${JSON.stringify(v)}`);
    }
  };
  positive("durationS", o.durationS);
  positive("rateHz", o.rateHz);
  positive("truthRateHz", o.truthRateHz);
  if (o.seed !== undefined && (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff)) {
    throw new Error(`simulator option seed: expected an integer 0..4294967295, got ${JSON.stringify(o.seed)}`);
  }
  if (o.device !== undefined && !SIMULATED_DEVICES.includes(o.device)) {
    throw new Error(`simulator option device: "${o.device}" cannot be simulated; valid devices: ${SIMULATED_DEVICES.join(", ")}`);
  }
  if (o.dropout) {
    const d = o.dropout;
    if (d.sensor !== "sacrum" && d.sensor !== "thoracic") throw new Error(`simulator option dropout.sensor: expected "sacrum" or "thoracic", got ${JSON.stringify(d.sensor)}`);
    positive("dropout.durationMs", d.durationMs);
    if (typeof d.startMs !== "number" || !(d.startMs >= 0)) throw new Error(`simulator option dropout.startMs: expected a number ≥ 0, got ${JSON.stringify(d.startMs)}`);
  }
}

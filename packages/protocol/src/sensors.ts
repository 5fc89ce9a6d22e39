/** Identifier of one sensor within a session, e.g. "sacrum", "thoracic" or a BLE address. */
export type SensorId = string;

/** Which body segment a sensor sits on (CONTRACTS.md §1). */
export type SensorRole = "sacrum" | "thoracolumbar";

/** Device modules that can decode a sensor's packets (CONTRACTS.md §1). */
export type DeviceKind =
  | "witmotion-wt901ble"
  | "movella-dot"
  | "nordic-thingy52"
  | "mbientlab-metamotion"
  | "generic";

export const DEVICE_KINDS: readonly DeviceKind[] = [
  "witmotion-wt901ble",
  "movella-dot",
  "nordic-thingy52",
  "mbientlab-metamotion",
  "generic",
];

/** A signed sensor axis, as written in a recording header's mount preset. */
export type SignedAxis = "+x" | "-x" | "+y" | "-y" | "+z" | "-z";
export const SIGNED_AXES: readonly SignedAxis[] = ["+x", "-x", "+y", "-y", "+z", "-z"];

/**
 * How a sensor is mounted when the person stands upright: which sensor axis points up the
 * spine (`up`) and which points out of the back, away from the body (`out`).
 */
export interface MountPreset {
  up: SignedAxis;
  out: SignedAxis;
}

/** One sensor as a recording header or a live source describes it. */
export interface SensorInfo {
  id: SensorId;
  role: SensorRole;
  device: DeviceKind;
  /** Nominal output rate in Hz. */
  rateHz: number;
  mount: MountPreset;
  /** Device-specific mode details, e.g. `{ payloadMode: 20 }` for a Movella DOT. */
  deviceOptions?: Record<string, unknown>;
  /** Human-readable name or BLE address, when known. */
  name?: string;
}

/** Link state of one sensor (CONTRACTS.md §1 `status` lines). */
export type LinkState = "connecting" | "streaming" | "lost" | "reconnected";

/**
 * Largest `deviceOptions.transportLatencyMs` (a sensor's measured sample-to-host latency, the
 * least or constant part) a header may declare, ms: beyond it a "latency" is a mistake.
 */
export const MAX_TRANSPORT_LATENCY_MS = 1000;

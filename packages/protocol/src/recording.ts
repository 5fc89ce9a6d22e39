import type { ExerciseName, RangeLimits } from "./limits.js";
import type { LinkState, SensorInfo } from "./sensors.js";
import type { QuatWxyz, Vec3 } from "./vectors.js";
import type { RepPhase } from "./events.js";

/** Recording format v1 (CONTRACTS.md §1): UTF-8 NDJSON, one object per line, line 1 the header. */
export const RECORDING_FORMAT = "spinewatch-recording";
export const RECORDING_VERSION = 1;

export interface HeaderLine {
  type: "header";
  format: typeof RECORDING_FORMAT;
  version: number;
  /** ISO 8601 wall time when recording began (the only wall time in a recording). */
  createdAt: string;
  sensors: SensorInfo[];
  exercise?: ExerciseName | string;
  limits?: RangeLimits;
  /** Simulator scenario and seed, when simulated. */
  simulation?: { scenario: string; seed: number; [k: string]: unknown };
}

/** One raw BLE notification. `tMs`: host receive time, ms since the recording started. */
export interface PacketLine {
  type: "packet";
  tMs: number;
  sensor: string;
  /** Characteristic UUID as noble prints it (lower-case hex, no dashes). */
  char: string;
  /** Bytes as lowercase hex. */
  hex: string;
}

/** One already-decoded sample in the sensor's own axes. */
export interface SampleLine {
  type: "sample";
  tMs: number;
  sensor: string;
  sensorTimeUs?: number;
  accMps2: Vec3;
  gyrDps: Vec3;
  magUt?: Vec3;
  quatWxyz?: QuatWxyz;
}

export type RecordingEventKind =
  | "calibrate-neutral"
  | "calibrate-bend"
  | "exercise"
  | "limits"
  | "note"
  | "rpe"
  | "comfort";

/** What the person or operator did. */
export interface EventLine {
  type: "event";
  tMs: number;
  kind: RecordingEventKind | string;
  durationMs?: number;
  name?: string;
  limits?: RangeLimits;
  text?: string;
  /** Rating of perceived exertion 0-10 (`rpe`). */
  value?: number;
  [k: string]: unknown;
}

export interface StatusLine {
  type: "status";
  tMs: number;
  sensor: string;
  state: LinkState;
  detail?: string;
}

/** Ground truth, simulator only. */
export interface TruthLine {
  type: "truth";
  tMs: number;
  flexionDeg: number;
  lateralBendDeg: number;
  axialRotationDeg: number;
  pelvisTiltDeg: number;
  thoraxInclinationDeg?: number;
  /** The pelvis' lateral inclination (AngleFrame.pelvisObliquityDeg); an addition to CONTRACTS.md §1. */
  pelvisObliquityDeg?: number;
  phase?: RepPhase | "hold" | "calibrate" | "rest" | string;
}

/** Ground-truth events, simulator only. */
export interface TruthEventLine {
  type: "truth-event";
  kind: "rep" | "hold" | "warning" | string;
  startMs: number;
  endMs: number;
  /** e.g. rep index, peak flexion, warning axis. */
  [k: string]: unknown;
}

export type DataLine = PacketLine | SampleLine | EventLine | StatusLine | TruthLine | TruthEventLine;
export type RecordingLine = HeaderLine | DataLine;

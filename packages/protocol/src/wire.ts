import type { AngleFrame } from "./frames.js";
import type { MovementEvent } from "./events.js";
import type { ExerciseName, RangeLimits } from "./limits.js";
import type { LinkState, SensorInfo } from "./sensors.js";
import type { CalibrationSummary, HoldSummary, ProblemReport, RepSummary, SessionSummary, WarningSummary } from "./summary.js";
import type { ReplayState, SourceKind } from "./source.js";

/**
 * The WebSocket protocol between gateway and dashboard (docs/PROTOCOL.md). Every message is
 * a JSON object with a `type`. Bump WIRE_VERSION on any incompatible change.
 */
export const WIRE_VERSION = 1;

/** Live status of one sensor. */
export interface SensorStatus {
  id: string;
  role: SensorInfo["role"];
  device: SensorInfo["device"];
  name?: string;
  state: LinkState | "idle" | "stale";
  /** Measured sample rate over the last few seconds, Hz. */
  rateHz: number;
  /** Fraction of packets lost over the last few seconds, 0..1. */
  lossFraction: number;
  lostPackets: number;
  /** Samples placed on the timeline since the session started (pipeline; for the summary). */
  samples?: number;
  /** Gaps (a step longer than ~2.5 periods) since the session started. */
  gaps?: number;
  /** Longest gap so far, ms. */
  longestGapMs?: number;
  /** Packets the decoder reported a problem with. */
  badPackets?: number;
  /** Repeated samples or notifications dropped. */
  duplicates?: number;
  /** Samples dropped for arriving older than their predecessor. */
  outOfOrder?: number;
  batteryPercent?: number;
  rssiDbm?: number;
}

export interface RecordingState {
  active: boolean;
  session?: string;
  startedAt?: string;
  bytes?: number;
}

/** A sensor found while scanning, offered for role assignment. */
export interface FoundSensor {
  address: string;
  name: string;
  model: string;
  rssiDbm: number;
}

export interface Snapshot {
  type: "snapshot";
  version: typeof WIRE_VERSION;
  source: { kind: SourceKind; scenario?: string; file?: string; replay?: ReplayState };
  sensors: SensorStatus[];
  calibration: CalibrationSummary;
  exercise: ExerciseName | string;
  limits: RangeLimits;
  /** Angle frames of the last 30 s, oldest first. */
  frames: AngleFrame[];
  reps: RepSummary[];
  holds: HoldSummary[];
  warnings: WarningSummary[];
  /** Range warnings currently active. */
  activeWarnings: MovementEvent[];
  recording: RecordingState;
  /** Whether control commands need a token. */
  tokenRequired: boolean;
  pairing?: { required: boolean; found: FoundSensor[] };
}

export type ServerMessage =
  | Snapshot
  /** Angle frames since the last batch (about every 20 ms). */
  | { type: "frames"; frames: AngleFrame[] }
  | { type: "events"; events: MovementEvent[] }
  | { type: "sensors"; sensors: SensorStatus[] }
  | { type: "problem"; problem: ProblemReport }
  | { type: "replay"; replay: ReplayState }
  | { type: "recording"; recording: RecordingState }
  | { type: "exercise"; exercise: ExerciseName | string; limits: RangeLimits }
  | { type: "pairing"; required: boolean; found: FoundSensor[] }
  | { type: "summary"; summary: SessionSummary }
  /** This client fell behind and frames were dropped for it. */
  | { type: "dropped"; frames: number; total: number }
  | { type: "ack"; id: string; result?: unknown }
  | { type: "error"; id?: string; code: string; message: string };

/** Commands from a dashboard; each carries a client-chosen request id, answered by ack or error. */
export type ClientCommand =
  | { type: "calibrate-neutral"; id: string; durationMs?: number }
  | { type: "calibrate-bend"; id: string; durationMs?: number }
  | { type: "set-exercise"; id: string; exercise: ExerciseName | string }
  | { type: "set-limits"; id: string; limits: Partial<RangeLimits> }
  | { type: "start-recording"; id: string }
  | { type: "stop-recording"; id: string }
  | { type: "replay-pause"; id: string }
  | { type: "replay-resume"; id: string }
  | { type: "replay-seek"; id: string; tMs: number }
  | { type: "replay-rate"; id: string; rate: number }
  | { type: "replay-session"; id: string; session: string }
  | { type: "mark"; id: string; kind: "note" | "rpe" | "comfort"; text?: string; value?: number }
  | { type: "assign-roles"; id: string; sacrum: string; thoracolumbar: string }
  | { type: "hello"; id: string; token?: string };

export type ClientCommandType = ClientCommand["type"];

/** Limits on what a client may send (bytes). */
export const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;

/** Session list entry of the JSON API. */
export interface SessionListEntry {
  name: string;
  bytes: number;
  createdAt?: string;
  durationMs?: number;
  hasSummary: boolean;
}

export type { WarningSummary };

/**
 * `code` of an `error` message (docs/PROTOCOL.md): what was wrong with a command.
 * bad-json: not JSON or not an object; unknown-type: no such command; bad-field: a field
 * missing or of the wrong type (the message names it); too-large: over
 * MAX_CLIENT_MESSAGE_BYTES; unauthorized: a control command without the token;
 * unsupported: the current source cannot do it (e.g. replay-seek on the simulator);
 * not-found: no such session; failed: the command was valid but could not be carried out.
 */
export type WireErrorCode =
  | "bad-json"
  | "unknown-type"
  | "bad-field"
  | "too-large"
  | "unauthorized"
  | "unsupported"
  | "not-found"
  | "failed";

/** Frames a client may have waiting in the gateway's send buffer before frames are dropped for it. */
export const MAX_CLIENT_BUFFERED_BYTES = 256 * 1024;

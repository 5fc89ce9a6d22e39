import type { DeviceSample } from "./samples.js";
import type { EventLine } from "./recording.js";
import type { ExerciseName, RangeLimits } from "./limits.js";
import type { LinkState, SensorId, SensorInfo } from "./sensors.js";

/**
 * What a SensorSource emits (DESIGN.md data flow). Problems travel in-band instead of
 * ending the stream. `hostTimeMs` is host receive time, ms since the session started.
 */
export type SourceEvent =
  | { type: "packet"; sensorId: SensorId; hostTimeMs: number; char: string; bytes: Uint8Array }
  | { type: "sample"; sensorId: SensorId; hostTimeMs: number; sample: DeviceSample }
  | { type: "status"; sensorId: SensorId; hostTimeMs: number; state: LinkState; detail?: string }
  | { type: "problem"; sensorId?: SensorId; hostTimeMs: number; code: string; message: string }
  /** What the person or operator did: calibration windows, exercise, limits, notes. */
  | { type: "mark"; hostTimeMs: number; event: EventLine }
  /** Time has advanced to `hostTimeMs` with no data (lets detectors see silence). */
  | { type: "stamp"; hostTimeMs: number };

/** What a source knows about its session before the first event: the header's content. */
export interface SessionInfo {
  sensors: SensorInfo[];
  exercise?: ExerciseName | string;
  limits?: RangeLimits;
}

/** Minimal observer/subscribable shapes, so that protocol needs no rxjs (an rxjs Observable fits). */
export interface EventObserver<T> {
  next: (value: T) => void;
  error: (err: unknown) => void;
  complete: () => void;
}
export interface Unsubscribable {
  unsubscribe(): void;
}
export interface Subscribable<T> {
  subscribe(observer: Partial<EventObserver<T>>): Unsubscribable;
}

export type SourceKind = "sim" | "replay" | "ble";

/** Playback controls, present only on sources that can honour them (replays). */
export interface ReplayControl {
  pause(): void;
  resume(): void;
  /** Jump to a session time; events before it are skipped, not replayed. */
  seek(tMs: number): void;
  /** 1 = real time, Infinity = as fast as possible. */
  setRate(rate: number): void;
  readonly state: ReplayState;
}

export interface ReplayState {
  paused: boolean;
  rate: number;
  positionMs: number;
  durationMs: number | null;
}

/**
 * A source of sensor data: BLE, replay or simulator. `events()` is cold: subscribing starts
 * it, unsubscribing stops it.
 */
export interface SensorSource {
  readonly kind: SourceKind;
  readonly info: SessionInfo;
  events(): Subscribable<SourceEvent>;
  readonly replay?: ReplayControl;
}

/**
 * Time for code below apps/ that must pace itself (replay, live simulation). Injected so
 * that tests use a fake clock; apps/ supplies the real one (DESIGN.md: no wall clock below apps/).
 */
export interface Clock {
  /** Monotonic milliseconds. */
  nowMs(): number;
  /** Resolves after `ms` milliseconds of this clock. */
  sleep(ms: number): Promise<void>;
}

import type {
  CalibrationSummary,
  FoundSensor,
  HoldSummary,
  MovementEvent,
  ProblemReport,
  RangeAxis,
  RangeLimits,
  RecordingState,
  RepPhase,
  RepSummary,
  ReplayState,
  SensorStatus,
  ServerMessage,
  SessionSummary,
  Snapshot,
  WarningSummary,
} from "@spinewatch/protocol";
import { AngleRing } from "./angle-ring.js";
import type { EndedWarning } from "./banner-pick.js";

type RangeEvent = Extract<MovementEvent, { kind: "range" }>;
type CalibrationEvent = Extract<MovementEvent, { kind: "calibration" }>;

/** A hold in progress (hold-start / hold-progress events). */
export interface LiveHold {
  startMs: number;
  elapsedMs: number;
  targetMs: number;
  flexionDeg: number;
  driftDeg: number;
}

/** A range event the banner shows, with where the dashboard saw the value cross the limit. */
export interface ActiveRange extends RangeEvent {
  /** Sample time at which the value went beyond the limit (warnings; from the ring buffer). */
  beyondSinceMs?: number;
}

/** 30 s at up to 200 Hz (the snapshot's history is 30 s). */
const RING_CAPACITY = 8192;
const MAX_PROBLEMS = 5;

/**
 * Everything the dashboard knows about the gateway's session, built only from wire messages
 * (docs/PROTOCOL.md). Non-frame changes fire a `change` event; angle frames only go into the
 * ring buffer, which the animation-frame loop reads (never a re-render per message).
 */
export class SessionState extends EventTarget {
  readonly ring = new AngleRing(RING_CAPACITY);
  source: Snapshot["source"] | null = null;
  sensors: SensorStatus[] = [];
  calibration: CalibrationSummary = { source: "none" };
  /** Calibration results seen live, newest last (the calibration flow matches them by tMs). */
  calibrationEvents: CalibrationEvent[] = [];
  exercise = "";
  limits: RangeLimits | null = null;
  reps: RepSummary[] = [];
  holds: HoldSummary[] = [];
  warnings: WarningSummary[] = [];
  /** Caution or warning per axis, while active. */
  active = new Map<RangeAxis, ActiveRange>();
  /** The newest warning that ended, for the banner to keep up a moment (banner-pick.ts). */
  endedWarning: EndedWarning | null = null;
  phase: { phase: RepPhase; rep: number } | null = null;
  hold: LiveHold | null = null;
  recording: RecordingState = { active: false };
  replay: ReplayState | null = null;
  /** performance.now() when `replay` arrived (to advance its position between messages). */
  replayAtMs = 0;
  /** Ring revision when `replay` arrived: newer frames then tell the position better. */
  replayRingRevision = 0;
  summary: SessionSummary | null = null;
  pairing: { required: boolean; found: FoundSensor[] } | null = null;
  tokenRequired = false;
  problems: ProblemReport[] = [];
  droppedFrames = 0;
  /** Incremented on each snapshot, so views can reset what they derived. */
  generation = 0;

  /** Applies one server message; returns false for messages this state does not use. */
  apply(msg: ServerMessage): boolean {
    switch (msg.type) {
      case "snapshot":
        this.#snapshot(msg);
        break;
      case "frames":
        for (const f of msg.frames) this.ring.push(f);
        return true; // no change event: the frame loop picks frames up
      case "events":
        for (const e of msg.events) this.#event(e);
        break;
      case "sensors":
        this.sensors = msg.sensors;
        break;
      case "problem":
        this.problems = [...this.problems, msg.problem].slice(-MAX_PROBLEMS);
        break;
      case "replay":
        this.#setReplay(msg.replay);
        break;
      case "recording":
        this.recording = msg.recording;
        break;
      case "exercise":
        this.exercise = msg.exercise;
        this.limits = msg.limits;
        break;
      case "pairing":
        this.pairing = { required: msg.required, found: msg.found };
        break;
      case "summary":
        this.summary = msg.summary;
        break;
      case "dropped":
        this.droppedFrames = msg.total;
        break;
      default:
        return false;
    }
    this.changed();
    return true;
  }

  changed(): void {
    this.dispatchEvent(new Event("change"));
  }

  #snapshot(s: Snapshot): void {
    this.generation++;
    this.source = s.source;
    this.#setReplay(s.source.replay ?? null);
    this.sensors = s.sensors;
    this.calibration = s.calibration;
    this.exercise = s.exercise;
    this.limits = s.limits;
    this.reps = [...s.reps];
    this.holds = [...s.holds];
    this.warnings = [...s.warnings];
    this.recording = s.recording;
    this.tokenRequired = s.tokenRequired;
    this.pairing = s.pairing ?? null;
    this.phase = null;
    this.hold = null;
    this.summary = null;
    this.active.clear();
    this.endedWarning = null;
    this.ring.clear();
    for (const f of s.frames) this.ring.push(f);
    for (const e of s.activeWarnings) if (e.kind === "range") this.active.set(e.axis, { ...e });
  }

  #setReplay(r: ReplayState | null): void {
    this.replay = r;
    this.replayAtMs = performance.now();
    this.replayRingRevision = this.ring.revision;
  }

  /**
   * Where a replay is now, in session time: the newest frame when frames flowed since the last
   * replay message, else that message's position advanced by the wall time since, times the rate
   * (before calibration no frames flow, yet the replay moves).
   */
  replayPositionMs(nowMs: number): number {
    const r = this.replay;
    if (!r) return Number.NaN;
    if (this.ring.revision !== this.replayRingRevision && this.ring.size > 0) return this.ring.lastTMs;
    const advanced = r.paused ? r.positionMs : r.positionMs + (nowMs - this.replayAtMs) * r.rate;
    return r.durationMs !== null ? Math.min(advanced, r.durationMs) : advanced;
  }

  #event(e: MovementEvent): void {
    switch (e.kind) {
      case "phase":
        this.phase = { phase: e.phase, rep: e.rep };
        break;
      case "rep":
        this.reps = [...this.reps, e.rep];
        break;
      case "hold-start":
        this.hold = { startMs: e.tMs, elapsedMs: 0, targetMs: e.targetMs, flexionDeg: e.flexionDeg, driftDeg: 0 };
        break;
      case "hold-progress":
        this.hold = {
          startMs: this.hold?.startMs ?? e.tMs - e.elapsedMs,
          elapsedMs: e.elapsedMs,
          targetMs: e.targetMs,
          flexionDeg: e.flexionDeg,
          driftDeg: e.driftDeg,
        };
        break;
      case "hold-end":
        this.hold = null;
        this.holds = [...this.holds, e.hold];
        break;
      case "range": {
        const beyond = e.level === "warning" ? this.#beyondSince(e) : Number.NaN;
        this.active.set(e.axis, { ...e, ...(Number.isNaN(beyond) ? {} : { beyondSinceMs: beyond }) });
        break;
      }
      case "range-clear": {
        const last = this.active.get(e.axis);
        this.active.delete(e.axis);
        if (!e.warning) break;
        this.warnings = [...this.warnings, e.warning];
        // Shown with its peak; the live event's time stays (that is when the banner went up).
        const w = e.warning;
        const range: ActiveRange = { kind: "range", tMs: last?.tMs ?? w.startMs, level: "warning", axis: w.axis, valueDeg: w.peakDeg, limitDeg: w.limitDeg, rep: w.rep };
        if (last?.beyondSinceMs !== undefined) range.beyondSinceMs = last.beyondSinceMs;
        this.endedWarning = { range, warning: w, endedAtMs: performance.now() };
        break;
      }
      case "calibration":
        this.calibration = e.calibration;
        this.calibrationEvents = [...this.calibrationEvents, e].slice(-10);
        break;
      case "limits":
        this.limits = e.limits;
        break;
      default:
        break;
    }
  }

  /** Where the frames in the ring went beyond the warning's limit (the frame batch comes after its events, so this may be NaN). */
  #beyondSince(e: RangeEvent): number {
    switch (e.axis) {
      case "flexion":
        return this.ring.exceedanceStartMs("flexionDeg", 1, e.limitDeg);
      case "extension":
        return this.ring.exceedanceStartMs("flexionDeg", -1, e.limitDeg);
      case "lateralBendLeft":
        return this.ring.exceedanceStartMs("lateralBendDeg", -1, e.limitDeg);
      case "lateralBendRight":
        return this.ring.exceedanceStartMs("lateralBendDeg", 1, e.limitDeg);
      case "rotationLeft":
        return this.ring.exceedanceStartMs("axialRotationDeg", -1, e.limitDeg);
      case "rotationRight":
        return this.ring.exceedanceStartMs("axialRotationDeg", 1, e.limitDeg);
    }
  }
}

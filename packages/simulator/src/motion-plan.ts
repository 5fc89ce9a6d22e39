import type { EventLine } from "@spinewatch/protocol";
import { minJerk } from "./min-jerk.js";
import type { SeededRandom } from "./seeded-random.js";
import { neutralPose, POSE_CHANNELS, type TrunkPose } from "./trunk-pose.js";

/** What the person is doing during a move, written into `truth` lines as `phase`. */
export type TruthPhase = "calibrate" | "standing" | "down" | "bottom" | "up" | "hold" | "rest" | "transition" | "lockout";

/**
 * One minimum-jerk movement from the pose at its start to `to` (channels not named stay put),
 * over `durationMs`. Moves that carry the same `rep` number form one ground-truth rep; a move
 * with `hold` is one ground-truth hold.
 */
export interface Move {
  durationMs: number;
  to?: Partial<TrunkPose>;
  phase: TruthPhase;
  rep?: number;
  side?: "left" | "right";
  hold?: boolean;
}

/** An `event` line (calibration, notes) placed at the plan's current time. */
export interface PlanMark {
  mark: Omit<EventLine, "type" | "tMs">;
}

export type PlanStep = Move | PlanMark;

/** What a scenario script sees while it lays out the session. */
export interface ScenarioContext {
  readonly rng: SeededRandom;
  /** Session end, ms. */
  readonly endMs: number;
  /** Time at which the next step starts, ms. */
  readonly nowMs: number;
  /** Pose at `nowMs` (the end pose of the moves so far). */
  readonly pose: Readonly<TrunkPose>;
  /** Whether a block of `ms` starting now still ends before the session does. */
  fits(ms: number): boolean;
  /** The next 1-based rep number. */
  nextRep(): number;
}

/** A scenario: yields moves and marks lazily, in time order, until the session is full. */
export type ScenarioScript = (ctx: ScenarioContext) => Iterable<PlanStep>;

export interface PlannedMove {
  readonly startMs: number;
  readonly endMs: number;
  readonly from: Float64Array;
  readonly to: Float64Array;
  readonly move: Move;
}

export interface TimedMark {
  tMs: number;
  mark: PlanMark["mark"];
}

const N = POSE_CHANNELS.length;
/** After the script ends, the person stands at rest in blocks of this length. */
const TAIL_REST_MS = 60_000;

/**
 * The scenario's moves laid out on the session timeline, generated lazily as time advances
 * (a 1-hour session never holds more than a few seconds of moves) and evaluated at any instant
 * as a C²-smooth pose.
 */
export class MotionPlan {
  readonly #iterator: Iterator<PlanStep>;
  readonly #moves: PlannedMove[] = [];
  readonly #marks: TimedMark[] = [];
  readonly #ctx: ScenarioContext;
  #endPose: Float64Array;
  #nowMs = 0;
  #repCount = 0;
  #scriptDone = false;

  constructor(script: ScenarioScript, rng: SeededRandom, endMs: number) {
    this.#endPose = poseToArray(neutralPose());
    const plan = this;
    this.#ctx = {
      rng,
      endMs,
      get nowMs() {
        return plan.#nowMs;
      },
      get pose() {
        return arrayToPose(plan.#endPose);
      },
      fits: (ms) => plan.#nowMs + ms <= endMs,
      nextRep: () => ++plan.#repCount,
    };
    this.#iterator = script(this.#ctx)[Symbol.iterator]();
  }

  /** Pose at `tMs`, written into `out` (channel order of POSE_CHANNELS). */
  poseArrayAt(tMs: number, out: Float64Array): Float64Array {
    const m = this.moveAt(tMs);
    const span = m.endMs - m.startMs;
    const s = span > 0 ? minJerk((tMs - m.startMs) / span) : 1;
    for (let k = 0; k < N; k++) out[k] = m.from[k] + (m.to[k] - m.from[k]) * s;
    return out;
  }

  poseAt(tMs: number): TrunkPose {
    return arrayToPose(this.poseArrayAt(tMs, new Float64Array(N)));
  }

  /** The move in progress at `tMs` (the later one at a boundary). */
  moveAt(tMs: number): PlannedMove {
    this.#ensure(tMs);
    const moves = this.#moves;
    for (let i = moves.length - 1; i >= 0; i--) {
      if (moves[i].startMs <= tMs) return moves[i];
    }
    // Before the session the person stood as the first move starts (the IMUs' central
    // differences look half a millisecond back from t = 0).
    if (moves[0].startMs === 0) return moves[0];
    throw new Error(`simulator: pose requested at ${tMs} ms, before the moves still kept (released too early)`);
  }

  /** Marks at or before `tMs`, removed from the plan. */
  takeMarks(tMs: number): TimedMark[] {
    this.#ensure(tMs);
    let n = 0;
    while (n < this.#marks.length && this.#marks[n].tMs <= tMs) n++;
    return this.#marks.splice(0, n);
  }

  /** Forget moves that ended before `tMs` (keeps memory bounded in long sessions). */
  release(tMs: number): void {
    let n = 0;
    while (n < this.#moves.length - 1 && this.#moves[n].endMs < tMs) n++;
    if (n > 0) this.#moves.splice(0, n);
  }

  #ensure(tMs: number): void {
    while (this.#moves.length === 0 || this.#moves[this.#moves.length - 1].endMs <= tMs) this.#step();
  }

  #step(): void {
    let step: PlanStep;
    if (this.#scriptDone) step = { durationMs: TAIL_REST_MS, phase: "rest" };
    else {
      const r = this.#iterator.next();
      if (r.done) {
        this.#scriptDone = true;
        return;
      }
      step = r.value;
    }
    if ("mark" in step) {
      this.#marks.push({ tMs: this.#nowMs, mark: step.mark });
      return;
    }
    if (!(step.durationMs > 0) || !Number.isFinite(step.durationMs)) {
      throw new Error(`simulator scenario: a move needs a positive finite durationMs, got ${step.durationMs}`);
    }
    const from = this.#endPose;
    const to = Float64Array.from(from);
    if (step.to) {
      POSE_CHANNELS.forEach((c, k) => {
        const v = step.to![c];
        if (v !== undefined) to[k] = v;
      });
    }
    this.#moves.push({ startMs: this.#nowMs, endMs: this.#nowMs + step.durationMs, from, to, move: step });
    this.#nowMs += step.durationMs;
    this.#endPose = to;
  }
}

export function poseToArray(p: Readonly<TrunkPose>): Float64Array {
  return Float64Array.from(POSE_CHANNELS, (c) => p[c]);
}

export function arrayToPose(a: Float64Array): TrunkPose {
  const p = neutralPose();
  POSE_CHANNELS.forEach((c, k) => (p[c] = a[k]));
  return p;
}

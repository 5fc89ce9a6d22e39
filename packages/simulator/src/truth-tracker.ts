import { toAxisLimits, type AngleFrame, type AxisLimits, type RangeAxis, type RangeLimits, type TruthEventLine, type TruthLine } from "@spinewatch/protocol";
import type { PlannedMove } from "./motion-plan.js";

/** The ground truth at one instant, before rounding: the angles an AngleFrame carries. */
export type TruthSample = Omit<AngleFrame, "relQuatWxyz">;

interface RepAcc {
  index: number;
  side?: "left" | "right";
  startMs: number;
  endMs: number;
  peakFlexionDeg: number;
  lastFlexionDeg: number;
  minFlexionDeg: number;
  peakPelvisTiltDeg: number;
  peakLateralBendDeg: number;
}

interface HoldAcc {
  move: PlannedMove;
  sumFlexion: number;
  sumTilt: number;
  n: number;
}

interface WarningAcc {
  startMs: number;
  peakDeg: number;
  rep: number | null;
}

/** Truth values are written to 0.001° (far below any error the pipeline can reach). */
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Turns truth samples into `truth` lines and `truth-event` lines (CONTRACTS.md §1): one `rep`
 * per rep of the plan (index, peaks), one `hold` per planned hold (mean flexion, drift), and one
 * `warning` per interval in which a truth angle is beyond the header's limits (axis, limit,
 * peak). Each event is returned with the first truth sample after it ends, so lines stay in
 * time order.
 */
export class TruthTracker {
  readonly #limits: AxisLimits;
  readonly #flexionChannel: number;
  #rep: RepAcc | null = null;
  #hold: HoldAcc | null = null;
  readonly #warnings = new Map<RangeAxis, WarningAcc>();
  #last: TruthSample | null = null;

  constructor(limits: RangeLimits, flexionChannel: number) {
    this.#flexionChannel = flexionChannel;
    this.#limits = toAxisLimits(limits);
  }

  next(s: TruthSample, move: PlannedMove): Array<TruthLine | TruthEventLine> {
    const events: TruthEventLine[] = [];
    this.#trackRep(s, move, events);
    this.#trackHold(s, move, events);
    this.#trackWarnings(s, events);
    const out: Array<TruthLine | TruthEventLine> = [{
      type: "truth",
      tMs: round3(s.tMs),
      flexionDeg: round3(s.flexionDeg),
      lateralBendDeg: round3(s.lateralBendDeg),
      axialRotationDeg: round3(s.axialRotationDeg),
      pelvisTiltDeg: round3(s.pelvisTiltDeg),
      thoraxInclinationDeg: round3(s.thoraxInclinationDeg),
      pelvisObliquityDeg: round3(s.pelvisObliquityDeg),
      phase: move.move.phase,
    }];
    for (const e of events) out.push(e);
    this.#last = s;
    return out;
  }

  /** Closes what is still open at the end of the session (an unfinished rep is dropped). */
  finish(): TruthEventLine[] {
    const out: TruthEventLine[] = [];
    const last = this.#last;
    if (last === null) return out;
    for (const [axis, w] of this.#warnings) out.push(this.#warningLine(axis, w, last.tMs));
    this.#warnings.clear();
    return out;
  }

  #trackRep(s: TruthSample, move: PlannedMove, out: TruthEventLine[]): void {
    const index = move.move.rep;
    if (this.#rep !== null && this.#rep.index !== index) {
      const r = this.#rep;
      out.push({
        type: "truth-event",
        kind: "rep",
        startMs: round3(r.startMs),
        endMs: round3(r.endMs),
        index: r.index,
        ...(r.side ? { side: r.side } : {}),
        peakFlexionDeg: round3(r.peakFlexionDeg),
        peakPelvisTiltDeg: round3(r.peakPelvisTiltDeg),
        // The rep's own lockout: where it ends (the previous rep's lockout is not counted again).
        lockoutExtensionDeg: round3(Math.max(0, -r.lastFlexionDeg)),
        peakExtensionDeg: round3(Math.max(0, -r.minFlexionDeg)),
        peakLateralBendDeg: round3(r.peakLateralBendDeg),
      });
      this.#rep = null;
    }
    if (index === undefined) return;
    if (this.#rep === null) {
      this.#rep = {
        index,
        side: move.move.side,
        startMs: move.startMs,
        endMs: move.endMs,
        peakFlexionDeg: -Infinity,
        lastFlexionDeg: 0,
        minFlexionDeg: Infinity,
        peakPelvisTiltDeg: -Infinity,
        peakLateralBendDeg: 0,
      };
    }
    const r = this.#rep;
    r.endMs = move.endMs;
    r.peakFlexionDeg = Math.max(r.peakFlexionDeg, s.flexionDeg);
    r.lastFlexionDeg = s.flexionDeg;
    r.minFlexionDeg = Math.min(r.minFlexionDeg, s.flexionDeg);
    r.peakPelvisTiltDeg = Math.max(r.peakPelvisTiltDeg, s.pelvisTiltDeg);
    if (Math.abs(s.lateralBendDeg) > Math.abs(r.peakLateralBendDeg)) r.peakLateralBendDeg = s.lateralBendDeg;
  }

  #trackHold(s: TruthSample, move: PlannedMove, out: TruthEventLine[]): void {
    if (this.#hold !== null && this.#hold.move !== move) {
      const h = this.#hold;
      const c = this.#flexionChannel;
      out.push({
        type: "truth-event",
        kind: "hold",
        startMs: round3(h.move.startMs),
        endMs: round3(h.move.endMs),
        durationMs: round3(h.move.endMs - h.move.startMs),
        ...(h.move.move.rep !== undefined ? { rep: h.move.move.rep } : {}),
        meanFlexionDeg: round3(h.sumFlexion / h.n),
        // Exact: the planned change of flexion over the hold (sagging positive).
        driftDeg: round3(h.move.to[c] - h.move.from[c]),
        meanPelvisTiltDeg: round3(h.sumTilt / h.n),
      });
      this.#hold = null;
    }
    if (!move.move.hold) return;
    if (this.#hold === null) this.#hold = { move, sumFlexion: 0, sumTilt: 0, n: 0 };
    this.#hold.sumFlexion += s.flexionDeg;
    this.#hold.sumTilt += s.pelvisTiltDeg;
    this.#hold.n++;
  }

  #trackWarnings(s: TruthSample, out: TruthEventLine[]): void {
    const values: Record<RangeAxis, number> = {
      flexion: s.flexionDeg,
      extension: -s.flexionDeg,
      lateralBendRight: s.lateralBendDeg,
      lateralBendLeft: -s.lateralBendDeg,
      rotationRight: s.axialRotationDeg,
      rotationLeft: -s.axialRotationDeg,
    };
    for (const axis of Object.keys(values) as RangeAxis[]) {
      const v = values[axis];
      const w = this.#warnings.get(axis);
      if (v > this.#limits[axis]) {
        if (w) w.peakDeg = Math.max(w.peakDeg, v);
        else this.#warnings.set(axis, { startMs: s.tMs, peakDeg: v, rep: this.#rep?.index ?? null });
      } else if (w) {
        out.push(this.#warningLine(axis, w, s.tMs));
        this.#warnings.delete(axis);
      }
    }
  }

  #warningLine(axis: RangeAxis, w: WarningAcc, endMs: number): TruthEventLine {
    return {
      type: "truth-event",
      kind: "warning",
      startMs: round3(w.startMs),
      endMs: round3(endMs),
      axis,
      limitDeg: this.#limits[axis],
      peakDeg: round3(w.peakDeg),
      rep: w.rep,
    };
  }
}

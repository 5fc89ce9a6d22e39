import type { AngleFrame, MovementEvent, RangeAxis, RangeLimits, WarningSummary } from "@spinewatch/protocol";
import { RANGE_AXES } from "@spinewatch/protocol";
import { toAxisLimits, type AxisLimits } from "./range-limits.js";

export interface RangeMonitorSettings {
  /** Caution from this fraction of the limit on. */
  cautionFraction: number;
  /**
   * A warning needs the value beyond the limit for this long: rejects single-frame noise
   * (6 frames at 100 Hz) while the whole chain stays under the ~100 ms that feels
   * instantaneous (Miller 1968, LUMBAR-FACTS.md "Feedback latency"): the measured angle
   * crosses the limit p50 10 ms / p90 30 ms after the truth (docs/BENCHMARKS.md, events), so
   * dwell 60 ms + one 10 ms frame + that lag keeps most warnings within 100 ms of the real
   * exceedance; 100 ms of dwell alone used that whole budget.
   */
  dwellMs: number;
  /** A warning (or caution) re-arms only after the value is this far back inside... */
  hysteresisDeg: number;
  /** ...for this long. */
  clearMs: number;
  /** Frames further apart than this are a gap: an open warning ends at the last frame before it. */
  gapMs: number;
}

export const RANGE_DEFAULTS: Readonly<RangeMonitorSettings> = {
  cautionFraction: 0.8,
  dwellMs: 60,
  hysteresisDeg: 2,
  clearMs: 200,
  gapMs: 250,
};

/** Float slack when comparing sample-time differences with the dwell (10 ms steps are inexact). */
const EPS_MS = 1e-6;

const AXIS_READERS: Record<RangeAxis, (f: AngleFrame) => number> = {
  flexion: (f) => f.flexionDeg,
  extension: (f) => -f.flexionDeg,
  lateralBendLeft: (f) => -f.lateralBendDeg,
  lateralBendRight: (f) => f.lateralBendDeg,
  rotationLeft: (f) => -f.axialRotationDeg,
  rotationRight: (f) => f.axialRotationDeg,
};

/** Time at which a straight line from (t0, v0) to (t1, v1) reaches `level`. */
function crossing(t0: number, v0: number, t1: number, v1: number, level: number): number {
  return t0 + ((t1 - t0) * (level - v0)) / (v1 - v0);
}

class AxisState {
  /** Reads this direction's value from a frame (range-limits.ts axisValueDeg, pre-resolved). */
  readonly valueDeg: (frame: AngleFrame) => number;

  constructor(axis: RangeAxis) {
    this.valueDeg = AXIS_READERS[axis];
  }

  caution = false;
  cautionBelowSinceMs = Number.NaN;
  /** none -> pending (beyond the limit, dwelling) -> active (warned) -> none after the clear. */
  warning: "none" | "pending" | "active" = "none";
  crossMs = 0;
  peakDeg = 0;
  rep: number | null = null;
  limitAtStartDeg = 0;
  backInsideMs = Number.NaN;
  belowHysteresisSinceMs = Number.NaN;
  /** The axis value at the previous frame (NaN after a gap). */
  lastValueDeg = Number.NaN;
  /** The limit of this axis changed at this frame (no interpolation across the change). */
  limitChanged = false;
}

/**
 * Tolerated-range monitor (DESIGN.md, Detectors) over the six directions of RANGE_AXES.
 * Per direction: caution at cautionFraction × limit; warning once the value has stayed
 * beyond the limit for dwellMs, emitted at the first frame where the dwell is met (latency
 * ≤ dwell + one frame), starting where the value crossed the limit (interpolated between
 * frames); it clears after the value has stayed hysteresisDeg inside the limit for clearMs
 * and ends where the value came back inside the limit. New limits apply from the next frame.
 */
export class RangeMonitor {
  readonly settings: RangeMonitorSettings;
  #limits: RangeLimits;
  #axisLimits: AxisLimits;
  #pending: RangeLimits | null = null;
  #states: AxisState[] = RANGE_AXES.map((axis) => new AxisState(axis));
  #warnings: WarningSummary[] = [];
  #lastMs = Number.NaN;

  constructor(limits: RangeLimits, settings: Partial<RangeMonitorSettings> = {}) {
    this.settings = { ...RANGE_DEFAULTS, ...settings };
    this.#limits = { ...limits };
    this.#axisLimits = toAxisLimits(limits);
  }

  /** The limits in force (pending ones apply at the next frame). */
  get limits(): RangeLimits {
    return { ...(this.#pending ?? this.#limits) };
  }

  get warnings(): readonly WarningSummary[] {
    return this.#warnings;
  }

  /** Number of warnings active now. */
  get activeWarnings(): number {
    let n = 0;
    for (const st of this.#states) if (st.warning === "active") n++;
    return n;
  }

  /** Replaces all limits; they take effect at the next frame. */
  setLimits(limits: RangeLimits): void {
    this.#pending = { ...limits };
  }

  /**
   * Feeds one frame. `rep`: the rep in progress (for the warnings' rep numbers), null outside
   * a rep. Events are appended to `out` (a new array by default), which is returned.
   */
  next(frame: AngleFrame, rep: number | null = null, out: MovementEvent[] = []): MovementEvent[] {
    const events = out;
    const t = frame.tMs;
    const cfg = this.settings;
    const continuous = !Number.isNaN(this.#lastMs) && t - this.#lastMs <= cfg.gapMs;
    if (!Number.isNaN(this.#lastMs) && !continuous) this.#closeAll(events, this.#lastMs);
    if (this.#pending) {
      const next = toAxisLimits(this.#pending);
      for (let a = 0; a < RANGE_AXES.length; a++) {
        const axis = RANGE_AXES[a];
        const st = this.#states[a];
        st.limitChanged = next[axis] !== this.#axisLimits[axis];
      }
      this.#limits = this.#pending;
      this.#axisLimits = next;
      this.#pending = null;
      events.push({ kind: "limits", tMs: t, limits: { ...this.#limits } });
    }

    for (let a = 0; a < RANGE_AXES.length; a++) {
      const axis = RANGE_AXES[a];
      const st = this.#states[a];
      const limitDeg = this.#axisLimits[axis];
      const v = st.valueDeg(frame);
      const prev = st.lastValueDeg;
      // Interpolation only across a continuous stretch under an unchanged limit.
      const canInterpolate = continuous && !Number.isNaN(prev) && !st.limitChanged && v !== prev;
      const prevMs = this.#lastMs;

      // Caution, with its own hysteresis so that noise at 80% does not chatter.
      const cautionDeg = cfg.cautionFraction * limitDeg;
      if (!st.caution && v >= cautionDeg) {
        st.caution = true;
        st.cautionBelowSinceMs = Number.NaN;
        events.push({ kind: "range", tMs: t, level: "caution", axis, valueDeg: v, limitDeg, rep });
      } else if (st.caution && st.warning === "none") {
        if (v < cautionDeg - cfg.hysteresisDeg) {
          if (Number.isNaN(st.cautionBelowSinceMs)) st.cautionBelowSinceMs = t;
          if (t - st.cautionBelowSinceMs >= cfg.clearMs - EPS_MS) {
            st.caution = false;
            events.push({ kind: "range-clear", tMs: t, axis });
          }
        } else {
          st.cautionBelowSinceMs = Number.NaN;
        }
      }

      if (st.warning === "active" && st.limitChanged && v < limitDeg - cfg.hysteresisDeg) {
        // The limit moved past the value: the warning is over now, not after the clear time.
        this.#endWarning(events, axis, st, t, t);
      } else if (st.warning === "none" || st.warning === "pending") {
        if (v > limitDeg) {
          if (st.warning === "none") {
            st.warning = "pending";
            st.crossMs = canInterpolate ? Math.min(t, crossing(prevMs, prev, t, v, limitDeg)) : t;
            st.peakDeg = v;
            st.rep = rep;
            st.limitAtStartDeg = limitDeg;
          } else if (v > st.peakDeg) {
            st.peakDeg = v;
          }
          if (t - st.crossMs >= cfg.dwellMs - EPS_MS) {
            st.warning = "active";
            st.backInsideMs = Number.NaN;
            st.belowHysteresisSinceMs = Number.NaN;
            events.push({ kind: "range", tMs: t, level: "warning", axis, valueDeg: v, limitDeg, rep: st.rep });
          }
        } else {
          st.warning = "none";
        }
      } else {
        if (v > st.peakDeg) st.peakDeg = v;
        if (v > limitDeg) {
          st.backInsideMs = Number.NaN;
        } else if (Number.isNaN(st.backInsideMs)) {
          st.backInsideMs = canInterpolate ? Math.min(t, crossing(prevMs, prev, t, v, limitDeg)) : t;
        }
        if (v < limitDeg - cfg.hysteresisDeg) {
          if (Number.isNaN(st.belowHysteresisSinceMs)) st.belowHysteresisSinceMs = t;
          if (t - st.belowHysteresisSinceMs >= cfg.clearMs - EPS_MS) {
            this.#endWarning(events, axis, st, t, st.backInsideMs);
          }
        } else {
          st.belowHysteresisSinceMs = Number.NaN;
        }
      }
      st.lastValueDeg = v;
      st.limitChanged = false;
    }
    this.#lastMs = t;
    return events;
  }

  /** End of the stream: open warnings end at the last frame. */
  finish(): MovementEvent[] {
    const events: MovementEvent[] = [];
    if (!Number.isNaN(this.#lastMs)) this.#closeAll(events, this.#lastMs);
    this.#lastMs = Number.NaN;
    return events;
  }

  reset(): void {
    this.#warnings = [];
    this.#lastMs = Number.NaN;
    this.#states = RANGE_AXES.map((axis) => new AxisState(axis));
  }

  #closeAll(events: MovementEvent[], lastMs: number): void {
    for (let a = 0; a < RANGE_AXES.length; a++) {
      const axis = RANGE_AXES[a];
      const st = this.#states[a];
      if (st.warning === "active") {
        this.#endWarning(events, axis, st, lastMs, lastMs);
      } else if (st.caution) {
        events.push({ kind: "range-clear", tMs: lastMs, axis });
      }
      this.#states[a] = new AxisState(axis);
    }
  }

  #endWarning(events: MovementEvent[], axis: RangeAxis, st: AxisState, tMs: number, endMs: number): void {
    const warning: WarningSummary = {
      axis,
      startMs: st.crossMs,
      endMs: Number.isNaN(endMs) ? tMs : endMs,
      peakDeg: st.peakDeg,
      limitDeg: st.limitAtStartDeg,
      rep: st.rep,
    };
    this.#warnings.push(warning);
    st.warning = "none";
    st.belowHysteresisSinceMs = Number.NaN;
    st.backInsideMs = Number.NaN;
    if (st.caution) {
      // The caution that preceded the warning ends with it; a value still near the limit
      // raises a fresh caution at the next frame.
      st.caution = false;
      st.cautionBelowSinceMs = Number.NaN;
    }
    events.push({ kind: "range-clear", tMs, axis, warning });
  }
}

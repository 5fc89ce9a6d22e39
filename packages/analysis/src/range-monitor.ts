import type { AngleFrame, MovementEvent, RangeAxis, RangeLimits, WarningSummary } from "@spinewatch/protocol";
import { RANGE_AXES } from "@spinewatch/protocol";
import { axisValueDeg, toAxisLimits, type AxisLimits } from "./range-limits.js";

export interface RangeMonitorSettings {
  /** Caution from this fraction of the limit on. */
  cautionFraction: number;
  /**
   * A warning needs the value beyond the limit for this long: rejects single-frame noise
   * while keeping the warning close to the ~100 ms that feels instantaneous (Miller 1968,
   * LUMBAR-FACTS.md "Feedback latency").
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
  dwellMs: 100,
  hysteresisDeg: 2,
  clearMs: 200,
  gapMs: 250,
};

/** Float slack when comparing sample-time differences with the dwell (10 ms steps are inexact). */
const EPS_MS = 1e-6;

class AxisState {
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
  #states = new Map<RangeAxis, AxisState>();
  #warnings: WarningSummary[] = [];
  #lastMs = Number.NaN;
  #lastValues = new Map<RangeAxis, number>();

  constructor(limits: RangeLimits, settings: Partial<RangeMonitorSettings> = {}) {
    this.settings = { ...RANGE_DEFAULTS, ...settings };
    this.#limits = { ...limits };
    this.#axisLimits = toAxisLimits(limits);
    for (const axis of RANGE_AXES) this.#states.set(axis, new AxisState());
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
    for (const st of this.#states.values()) if (st.warning === "active") n++;
    return n;
  }

  /** Replaces all limits; they take effect at the next frame. */
  setLimits(limits: RangeLimits): void {
    this.#pending = { ...limits };
  }

  /** `rep`: the rep in progress (for the warnings' rep numbers), null outside a rep. */
  next(frame: AngleFrame, rep: number | null = null): MovementEvent[] {
    const events: MovementEvent[] = [];
    const t = frame.tMs;
    const cfg = this.settings;
    const continuous = !Number.isNaN(this.#lastMs) && t - this.#lastMs <= cfg.gapMs;
    if (!Number.isNaN(this.#lastMs) && !continuous) this.#closeAll(events, this.#lastMs);
    const changed = new Set<RangeAxis>();
    if (this.#pending) {
      const next = toAxisLimits(this.#pending);
      for (const axis of RANGE_AXES) if (next[axis] !== this.#axisLimits[axis]) changed.add(axis);
      this.#limits = this.#pending;
      this.#axisLimits = next;
      this.#pending = null;
      events.push({ kind: "limits", tMs: t, limits: { ...this.#limits } });
    }

    for (const axis of RANGE_AXES) {
      const st = this.#states.get(axis)!;
      const limitDeg = this.#axisLimits[axis];
      const v = axisValueDeg(frame, axis);
      const prev = this.#lastValues.get(axis);
      // Interpolation only across a continuous stretch under an unchanged limit.
      const canInterpolate = continuous && prev !== undefined && !changed.has(axis);
      const crossingMs = (level: number): number =>
        canInterpolate && v !== prev ? this.#lastMs + ((t - this.#lastMs) * (level - prev)) / (v - prev) : t;

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

      if (st.warning === "active" && changed.has(axis) && v < limitDeg - cfg.hysteresisDeg) {
        // The limit moved past the value: the warning is over now, not after the clear time.
        this.#endWarning(events, axis, st, t, t);
      } else if (st.warning === "none" || st.warning === "pending") {
        if (v > limitDeg) {
          if (st.warning === "none") {
            st.warning = "pending";
            st.crossMs = Math.min(t, crossingMs(limitDeg));
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
          st.backInsideMs = Math.min(t, crossingMs(limitDeg));
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
      this.#lastValues.set(axis, v);
    }
    this.#lastMs = t;
    return events;
  }

  /** End of the stream: open warnings end at the last frame. */
  finish(): MovementEvent[] {
    const events: MovementEvent[] = [];
    if (!Number.isNaN(this.#lastMs)) this.#closeAll(events, this.#lastMs);
    this.#lastMs = Number.NaN;
    this.#lastValues.clear();
    return events;
  }

  reset(): void {
    this.#warnings = [];
    this.#lastMs = Number.NaN;
    this.#lastValues.clear();
    for (const axis of RANGE_AXES) this.#states.set(axis, new AxisState());
  }

  #closeAll(events: MovementEvent[], lastMs: number): void {
    for (const axis of RANGE_AXES) {
      const st = this.#states.get(axis)!;
      if (st.warning === "active") {
        this.#endWarning(events, axis, st, lastMs, lastMs);
      } else if (st.caution) {
        events.push({ kind: "range-clear", tMs: lastMs, axis });
      }
      this.#states.set(axis, new AxisState());
    }
    this.#lastValues.clear();
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

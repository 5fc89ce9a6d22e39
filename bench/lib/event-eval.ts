import type { MovementEvent, RangeAxis, RepSummary, HoldSummary, TruthEventLine } from "@spinewatch/protocol";
import { RANGE_DEFAULTS } from "@spinewatch/analysis";
import { matchIntervals, type Interval } from "./event-matching.js";
import type { SimRunResult, TruthTrace } from "./sim-run.js";

/**
 * Movement events of one simulated session against the simulator's truth events (issue 4,
 * "Measured against the simulator's truth"). Definitions, so that truth and detectors measure
 * the same thing:
 * - Reps: truth `rep` events (a rep runs from the start of the descent to the end of the return;
 *   the lockout pause belongs to no rep) matched one-to-one with the summary's reps by overlap.
 * - Warnings: the detector warns after the value has stayed beyond the limit for the dwell
 *   (RANGE_DEFAULTS.dwellMs) and re-arms only after it has stayed `hysteresisDeg` inside for
 *   `clearMs`. So truth exceedances of one axis are first merged when the truth did not re-arm
 *   between them, and a truth warning is *required* only if it lasted at least the dwell and
 *   went at least `marginDeg` beyond the limit; shorter or shallower ones are *optional*: a
 *   detection matching them is neither a hit nor a false alarm, missing them is no miss.
 *   Likewise a detected warning that matches nothing is not a false alarm if the truth came
 *   within `marginDeg` of the limit during it. marginDeg defaults to 1°, the angle accuracy goal.
 * - Warning latency: the tMs of the `range` warning event minus the truth exceedance start, in
 *   sample time; the goal is the dwell plus one frame.
 * - Holds: truth `hold` events (the planned pause) against the summary's holds; a hit needs
 *   its start and end within `holdToleranceMs` (150 ms).
 */
export interface EventEvalOptions {
  marginDeg?: number;
  holdToleranceMs?: number;
  /** Detected intervals are widened by this much when matching warnings, ms. Default 150. */
  warningSlackMs?: number;
}

export interface RepEval {
  truth: number;
  detected: number;
  matched: number;
  /** Detected − truth, per matched rep, degrees. */
  peakFlexionErrDeg: number[];
  peakPelvisTiltErrDeg: number[];
  lockoutExtensionErrDeg: number[];
  startErrMs: number[];
  endErrMs: number[];
}

export interface WarningEval {
  required: number;
  optional: number;
  detected: number;
  hits: number;
  falseAlarms: number;
  misses: number;
  /** Warning event tMs − truth exceedance start, per hit, ms. */
  latencyMs: number[];
}

export interface HoldEval {
  truth: number;
  detected: number;
  /** Matched with start and end within the tolerance. */
  hits: number;
  matched: number;
  startErrMs: number[];
  endErrMs: number[];
  driftErrDeg: number[];
  meanFlexionErrDeg: number[];
}

export interface EventEval {
  reps: RepEval;
  /** Flexion warnings (the goal) and all axes together. */
  flexionWarnings: WarningEval;
  allWarnings: WarningEval;
  holds: HoldEval;
}

interface TruthWarning extends Interval {
  axis: RangeAxis;
  peakDeg: number;
  limitDeg: number;
}

interface DetectedWarning extends Interval {
  axis: RangeAxis;
  /** When the warning event was emitted. */
  eventMs: number;
}

const AXIS_SIGN: Record<RangeAxis, { channel: keyof Omit<TruthTrace, "tMs">; sign: number }> = {
  flexion: { channel: "flexionDeg", sign: 1 },
  extension: { channel: "flexionDeg", sign: -1 },
  lateralBendRight: { channel: "lateralBendDeg", sign: 1 },
  lateralBendLeft: { channel: "lateralBendDeg", sign: -1 },
  rotationRight: { channel: "axialRotationDeg", sign: 1 },
  rotationLeft: { channel: "axialRotationDeg", sign: -1 },
};

/** Index of the first trace line at or after tMs (binary search). */
function lowerBound(ts: readonly number[], tMs: number): number {
  let lo = 0, hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] < tMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Largest truth value of an axis over [startMs, endMs]. */
function truthMax(trace: TruthTrace, axis: RangeAxis, startMs: number, endMs: number): number {
  const { channel, sign } = AXIS_SIGN[axis];
  const v = trace[channel];
  let max = -Infinity;
  for (let i = lowerBound(trace.tMs, startMs); i < trace.tMs.length && trace.tMs[i] <= endMs; i++) max = Math.max(max, sign * v[i]);
  return max;
}

/** Whether the truth re-armed between two exceedances: `hysteresisDeg` inside the limit for `clearMs`. */
function rearmed(trace: TruthTrace, axis: RangeAxis, limitDeg: number, fromMs: number, toMs: number): boolean {
  const { channel, sign } = AXIS_SIGN[axis];
  const v = trace[channel];
  const level = limitDeg - RANGE_DEFAULTS.hysteresisDeg;
  let insideSince = Number.NaN;
  for (let i = lowerBound(trace.tMs, fromMs); i < trace.tMs.length && trace.tMs[i] <= toMs; i++) {
    if (sign * v[i] < level) {
      if (Number.isNaN(insideSince)) insideSince = trace.tMs[i];
      if (trace.tMs[i] - insideSince >= RANGE_DEFAULTS.clearMs) return true;
    } else insideSince = Number.NaN;
  }
  return false;
}

function truthWarnings(truthEvents: readonly TruthEventLine[], trace: TruthTrace): TruthWarning[] {
  const raw = truthEvents
    .filter((e) => e.kind === "warning")
    .map((e) => ({ startMs: e.startMs, endMs: e.endMs, axis: e.axis as RangeAxis, peakDeg: Number(e.peakDeg), limitDeg: Number(e.limitDeg) }))
    .sort((a, b) => a.startMs - b.startMs);
  const merged: TruthWarning[] = [];
  const lastByAxis = new Map<RangeAxis, TruthWarning>();
  for (const w of raw) {
    const prev = lastByAxis.get(w.axis);
    if (prev && !rearmed(trace, w.axis, w.limitDeg, prev.endMs, w.startMs)) {
      prev.endMs = w.endMs;
      prev.peakDeg = Math.max(prev.peakDeg, w.peakDeg);
      continue;
    }
    const copy = { ...w };
    merged.push(copy);
    lastByAxis.set(w.axis, copy);
  }
  return merged;
}

function detectedWarnings(events: readonly MovementEvent[]): DetectedWarning[] {
  const open = new Map<RangeAxis, number>();
  const out: DetectedWarning[] = [];
  for (const e of events) {
    if (e.kind === "range" && e.level === "warning") open.set(e.axis, e.tMs);
    else if (e.kind === "range-clear" && e.warning !== undefined) {
      const eventMs = open.get(e.axis);
      open.delete(e.axis);
      out.push({ startMs: e.warning.startMs, endMs: e.warning.endMs, axis: e.axis, eventMs: eventMs ?? e.warning.startMs });
    }
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}

function evalWarnings(truth: TruthWarning[], detected: DetectedWarning[], trace: TruthTrace, marginDeg: number, slackMs: number): WarningEval {
  const out: WarningEval = { required: 0, optional: 0, detected: 0, hits: 0, falseAlarms: 0, misses: 0, latencyMs: [] };
  const axes = new Set<RangeAxis>([...truth.map((w) => w.axis), ...detected.map((w) => w.axis)]);
  for (const axis of axes) {
    const t = truth.filter((w) => w.axis === axis);
    const d = detected.filter((w) => w.axis === axis);
    const isRequired = (w: TruthWarning) => w.endMs - w.startMs >= RANGE_DEFAULTS.dwellMs && w.peakDeg - w.limitDeg >= marginDeg;
    const m = matchIntervals(t, d, slackMs);
    out.detected += d.length;
    for (const w of t) (isRequired(w) ? out.required++ : out.optional++);
    for (const { truth: tw, detected: dw } of m.matches) {
      if (!isRequired(tw)) continue;
      out.hits++;
      out.latencyMs.push(dw.eventMs - tw.startMs);
    }
    for (const tw of m.unmatchedTruth) if (isRequired(tw)) out.misses++;
    for (const dw of m.unmatchedDetected) {
      const limit = t[0]?.limitDeg ?? Number.NaN;
      const near = Number.isFinite(limit) && truthMax(trace, axis, dw.startMs - slackMs, dw.endMs + slackMs) >= limit - marginDeg;
      if (!near) out.falseAlarms++;
    }
  }
  return out;
}

function evalReps(truthEvents: readonly TruthEventLine[], reps: readonly RepSummary[]): RepEval {
  const truth = truthEvents.filter((e) => e.kind === "rep");
  const m = matchIntervals(truth, reps);
  const out: RepEval = { truth: truth.length, detected: reps.length, matched: m.matches.length, peakFlexionErrDeg: [], peakPelvisTiltErrDeg: [], lockoutExtensionErrDeg: [], startErrMs: [], endErrMs: [] };
  for (const { truth: t, detected: d } of m.matches) {
    out.peakFlexionErrDeg.push(d.peakFlexionDeg - Number(t.peakFlexionDeg));
    out.peakPelvisTiltErrDeg.push(d.peakPelvisTiltDeg - Number(t.peakPelvisTiltDeg));
    out.lockoutExtensionErrDeg.push(d.lockoutExtensionDeg - Number(t.lockoutExtensionDeg));
    out.startErrMs.push(d.startMs - t.startMs);
    out.endErrMs.push(d.endMs - t.endMs);
  }
  return out;
}

function evalHolds(truthEvents: readonly TruthEventLine[], holds: readonly HoldSummary[], toleranceMs: number): HoldEval {
  const truth = truthEvents.filter((e) => e.kind === "hold");
  const m = matchIntervals(truth, holds);
  const out: HoldEval = { truth: truth.length, detected: holds.length, hits: 0, matched: m.matches.length, startErrMs: [], endErrMs: [], driftErrDeg: [], meanFlexionErrDeg: [] };
  for (const { truth: t, detected: d } of m.matches) {
    const ds = d.startMs - t.startMs, de = d.endMs - t.endMs;
    out.startErrMs.push(ds);
    out.endErrMs.push(de);
    out.driftErrDeg.push(d.driftDeg - Number(t.driftDeg));
    out.meanFlexionErrDeg.push(d.meanFlexionDeg - Number(t.meanFlexionDeg));
    if (Math.abs(ds) <= toleranceMs && Math.abs(de) <= toleranceMs) out.hits++;
  }
  return out;
}

export function evaluateEvents(run: SimRunResult, options: EventEvalOptions = {}): EventEval {
  const marginDeg = options.marginDeg ?? 1;
  const slackMs = options.warningSlackMs ?? 150;
  const tw = truthWarnings(run.truthEvents, run.truthTrace);
  const dw = detectedWarnings(run.events);
  return {
    reps: evalReps(run.truthEvents, run.summary.reps),
    flexionWarnings: evalWarnings(tw.filter((w) => w.axis === "flexion"), dw.filter((w) => w.axis === "flexion"), run.truthTrace, marginDeg, slackMs),
    allWarnings: evalWarnings(tw, dw, run.truthTrace, marginDeg, slackMs),
    holds: evalHolds(run.truthEvents, run.summary.holds, options.holdToleranceMs ?? 150),
  };
}

/** Pools several sessions' evaluations (counts add, error lists concatenate). */
export function mergeEventEval(into: EventEval, from: EventEval): void {
  const addNums = (a: Record<string, unknown>, b: Record<string, unknown>) => {
    for (const k of Object.keys(b)) {
      const x = b[k];
      if (typeof x === "number") (a as Record<string, number>)[k] = ((a[k] as number) ?? 0) + x;
      else if (Array.isArray(x)) (a[k] as number[]).push(...x);
    }
  };
  addNums(into.reps as unknown as Record<string, unknown>, from.reps as unknown as Record<string, unknown>);
  addNums(into.flexionWarnings as unknown as Record<string, unknown>, from.flexionWarnings as unknown as Record<string, unknown>);
  addNums(into.allWarnings as unknown as Record<string, unknown>, from.allWarnings as unknown as Record<string, unknown>);
  addNums(into.holds as unknown as Record<string, unknown>, from.holds as unknown as Record<string, unknown>);
}

export function emptyEventEval(): EventEval {
  const w = (): WarningEval => ({ required: 0, optional: 0, detected: 0, hits: 0, falseAlarms: 0, misses: 0, latencyMs: [] });
  return {
    reps: { truth: 0, detected: 0, matched: 0, peakFlexionErrDeg: [], peakPelvisTiltErrDeg: [], lockoutExtensionErrDeg: [], startErrMs: [], endErrMs: [] },
    flexionWarnings: w(),
    allWarnings: w(),
    holds: { truth: 0, detected: 0, hits: 0, matched: 0, startErrMs: [], endErrMs: [], driftErrDeg: [], meanFlexionErrDeg: [] },
  };
}

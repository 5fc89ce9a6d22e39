import type { MovementEvent, RangeAxis, RepSummary, TruthEventLine } from "@spinewatch/protocol";
import { RANGE_DEFAULTS, REP_DEFAULTS } from "@spinewatch/analysis";
import { matchIntervals, type Interval } from "./event-matching.js";
import { evalHolds, type HoldEval } from "./hold-eval.js";
import type { SimRunResult, TruthTrace } from "./sim-run.js";
import { lowerBound } from "./truth-series.js";

export type { HoldEval } from "./hold-eval.js";

/**
 * Movement events of one simulated session against the simulator's truth events (issue 4,
 * "Measured against the simulator's truth"). Definitions, so that truth and detectors measure
 * the same thing:
 * - Reps: truth `rep` events (a rep runs from the start of the descent to the end of the return;
 *   the lockout pause belongs to no rep) matched one-to-one with the summary's reps by overlap.
 *   A truth rep that overlaps a simulated link dropout or the `unobservableAfterMs` (1 s, issue
 *   4: angles resume within 1 s of a sensor's return) after it cannot be seen: it is optional
 *   (neither required nor, when detected, extra).
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
 * - Warnings out of sight: a required truth warning whose first dwell plus a frame (from a frame
 *   before its start) overlaps a stretch without angle frames (SimRunResult.frameGaps: a sensor
 *   was stale, and the pipeline emits no angle from a stale orientation) could not be seen in
 *   time by any detector. Such warnings are counted (`unobservable`) and the recall and latency
 *   are reported both over every required warning and over the observable ones alone (as reps
 *   across a loss are optional).
 * - Holds: hold-eval.ts.
 */
export interface EventEvalOptions {
  marginDeg?: number;
  holdToleranceMs?: number;
  /** Detected intervals are widened by this much when matching warnings, ms. Default 150. */
  warningSlackMs?: number;
  /** Truth hold boundaries: pelvis tilt within this of the held value, degrees. Default 0.5. */
  holdLevelDeg?: number;
  /** After a dropout, reps are optional for this long, ms. Default 1000. */
  unobservableAfterMs?: number;
}

export interface RepEval {
  truth: number;
  /** Truth reps that had to be counted (all but those overlapping a dropout). */
  required: number;
  detected: number;
  /** Matches with any truth rep. */
  matched: number;
  /** Matches with required truth reps. */
  matchedRequired: number;
  /** Detected − truth, per matched rep, degrees. */
  peakFlexionErrDeg: number[];
  /**
   * The same, for the matched reps whose truth peak came while the pipeline emitted frames (not
   * inside SimRunResult.frameGaps): a peak no frame saw cannot be measured by any detector, as a
   * warning out of sight cannot be seen in time (the reps found across a loss are flagged
   * RepSummary.bridgedGapMs and report the peak of the frames seen).
   */
  peakFlexionErrObservableDeg: number[];
  peakPelvisTiltErrDeg: number[];
  /** Lockout to lockout: the truth's extension where its rep ends (CONTRACTS.md §2 "extension at lockout"). */
  lockoutExtensionErrDeg: number[];
  /** Reps whose truth and detection both have a peak extension (cycle reps: the camel). */
  peakExtensionErrDeg: number[];
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
  /** Required warnings whose start fell in a stretch without frames (see the module comment). */
  unobservable: number;
  /** Of the misses, those that were observable. */
  observableMisses: number;
  /** latencyMs of the observable hits only. */
  observableLatencyMs: number[];
  /**
   * The two parts of that latency, per hit: where the pipeline's own angle crossed the limit
   * (the warning's startMs, interpolated by the range monitor) − the truth's crossing, i.e. what
   * the angle's error and lag cost; and the warning event − that crossing, i.e. the detector's
   * own delay (by design the dwell plus at most a frame, more only where frames are missing).
   */
  crossingOffsetMs: number[];
  detectionDelayMs: number[];
}

export interface EventEval {
  reps: RepEval;
  /** Flexion warnings (the goal) and all axes together. */
  flexionWarnings: WarningEval;
  allWarnings: WarningEval;
  holds: HoldEval;
}

export interface TruthWarning extends Interval {
  axis: RangeAxis;
  peakDeg: number;
  limitDeg: number;
}

export interface DetectedWarning extends Interval {
  axis: RangeAxis;
  /** When the warning event was emitted. */
  eventMs: number;
}

/** The truth channel of each range axis, and its sign (extension = −flexion, ...). */
export const AXIS_SIGN: Record<RangeAxis, { channel: keyof Omit<TruthTrace, "tMs">; sign: number }> = {
  flexion: { channel: "flexionDeg", sign: 1 },
  extension: { channel: "flexionDeg", sign: -1 },
  lateralBendRight: { channel: "lateralBendDeg", sign: 1 },
  lateralBendLeft: { channel: "lateralBendDeg", sign: -1 },
  rotationRight: { channel: "axialRotationDeg", sign: 1 },
  rotationLeft: { channel: "axialRotationDeg", sign: -1 },
};

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

/** The truth's warnings, merged per axis where the truth did not re-arm in between (see the module comment). */
export function truthWarnings(truthEvents: readonly TruthEventLine[], trace: TruthTrace): TruthWarning[] {
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

/** The pipeline's warnings: interval, axis, and when the `range` warning event was emitted. */
export function detectedWarnings(events: readonly MovementEvent[]): DetectedWarning[] {
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

/** One 100 Hz frame, ms: the latency goal's "plus one frame". */
const FRAME_MS = 10;

function evalWarnings(truth: TruthWarning[], detected: DetectedWarning[], trace: TruthTrace, marginDeg: number, slackMs: number, frameGaps: readonly Interval[]): WarningEval {
  const out: WarningEval = emptyWarningEval();
  const outOfSight = (w: TruthWarning) => frameGaps.some((g) => g.endMs > w.startMs - FRAME_MS && g.startMs < w.startMs + RANGE_DEFAULTS.dwellMs + FRAME_MS);
  const axes = new Set<RangeAxis>([...truth.map((w) => w.axis), ...detected.map((w) => w.axis)]);
  for (const axis of axes) {
    const t = truth.filter((w) => w.axis === axis);
    const d = detected.filter((w) => w.axis === axis);
    const isRequired = (w: TruthWarning) => w.endMs - w.startMs >= RANGE_DEFAULTS.dwellMs && w.peakDeg - w.limitDeg >= marginDeg;
    const m = matchIntervals(t, d, slackMs);
    out.detected += d.length;
    for (const w of t) (isRequired(w) ? out.required++ : out.optional++);
    for (const w of t) if (isRequired(w) && outOfSight(w)) out.unobservable++;
    for (const { truth: tw, detected: dw } of m.matches) {
      if (!isRequired(tw)) continue;
      out.hits++;
      out.latencyMs.push(dw.eventMs - tw.startMs);
      if (!outOfSight(tw)) out.observableLatencyMs.push(dw.eventMs - tw.startMs);
      out.crossingOffsetMs.push(dw.startMs - tw.startMs);
      out.detectionDelayMs.push(dw.eventMs - dw.startMs);
    }
    for (const tw of m.unmatchedTruth) {
      if (!isRequired(tw)) continue;
      out.misses++;
      if (!outOfSight(tw)) out.observableMisses++;
    }
    for (const dw of m.unmatchedDetected) {
      const limit = t[0]?.limitDeg ?? Number.NaN;
      const near = Number.isFinite(limit) && truthMax(trace, axis, dw.startMs - slackMs, dw.endMs + slackMs) >= limit - marginDeg;
      if (!near) out.falseAlarms++;
    }
  }
  return out;
}

function evalReps(truthEvents: readonly TruthEventLine[], reps: readonly RepSummary[], unobservable: readonly Interval[], trace: TruthTrace, frameGaps: readonly Interval[]): RepEval {
  const truth = truthEvents.filter((e) => e.kind === "rep");
  const optional = (t: Interval) => unobservable.some((u) => t.endMs > u.startMs && t.startMs < u.endMs);
  const m = matchIntervals(truth, reps);
  const out: RepEval = {
    truth: truth.length,
    required: truth.filter((t) => !optional(t)).length,
    detected: reps.length,
    matched: m.matches.length,
    matchedRequired: 0,
    peakFlexionErrDeg: [],
    peakFlexionErrObservableDeg: [],
    peakPelvisTiltErrDeg: [],
    lockoutExtensionErrDeg: [],
    peakExtensionErrDeg: [],
    startErrMs: [],
    endErrMs: [],
  };
  for (const { truth: t, detected: d } of m.matches) {
    if (!optional(t)) out.matchedRequired++;
    out.peakFlexionErrDeg.push(d.peakFlexionDeg - Number(t.peakFlexionDeg));
    const peakMs = truthPeakMs(trace, t.startMs, t.endMs);
    if (!frameGaps.some((g) => peakMs > g.startMs && peakMs < g.endMs)) out.peakFlexionErrObservableDeg.push(d.peakFlexionDeg - Number(t.peakFlexionDeg));
    out.peakPelvisTiltErrDeg.push(d.peakPelvisTiltDeg - Number(t.peakPelvisTiltDeg));
    out.lockoutExtensionErrDeg.push(d.lockoutExtensionDeg - Number(t.lockoutExtensionDeg));
    if (d.peakExtensionDeg !== undefined && t.peakExtensionDeg !== undefined) out.peakExtensionErrDeg.push(d.peakExtensionDeg - Number(t.peakExtensionDeg));
    out.startErrMs.push(d.startMs - t.startMs);
    out.endErrMs.push(d.endMs - t.endMs);
  }
  return out;
}

/** Time of the truth's largest lumbar flexion in [startMs, endMs] (a rep's peak), ms. */
function truthPeakMs(trace: TruthTrace, startMs: number, endMs: number): number {
  let best = Number.NaN, bestDeg = -Infinity;
  for (let i = lowerBound(trace.tMs, startMs); i < trace.tMs.length && trace.tMs[i] <= endMs; i++) {
    if (trace.flexionDeg[i] > bestDeg) {
      bestDeg = trace.flexionDeg[i];
      best = trace.tMs[i];
    }
  }
  return best;
}

/** Reps counted exactly: every required rep found, nothing detected that matches no truth rep. */
export function repsExact(r: RepEval): boolean {
  return r.matchedRequired === r.required && r.detected === r.matched;
}

/**
 * Where reps cannot be seen: the simulated dropout (and unobservableAfterMs after it), and every
 * loss burst of either sensor longer than the rep detector's gapMs (REP_DEFAULTS: the pipeline
 * emits no angle from a stale orientation, and the detector abandons a rep across such a gap
 * rather than interpolating through it, unless the rep is slow enough to bridge it
 * (RepDetectorSettings.bridgeFraction); kettlebell-swing WitMotion seed 2 loses 770 ms of a
 * 1.44 s swing to one burst). Reps overlapping them are optional.
 */
/** The pipeline declares a sensor stale after ~100 ms without a sample (its sensor-state detail). */
const STALE_AFTER_MS = 100;

function unobservableSpans(run: SimRunResult, afterMs: number): Interval[] {
  const out: Interval[] = [];
  if (run.dropout) out.push({ startMs: run.dropout.startMs, endMs: run.dropout.startMs + run.dropout.durationMs + afterMs });
  // A stale sensor (no sample for ~100 ms) yields no frames until it is "fresh" again, which
  // can be longer than its gap of lost packets (kettlebell-swing WitMotion seed 3: 570 ms lost,
  // 1.1 s without frames).
  const staleSinceMs = new Map<string, number>();
  for (const e of run.events) {
    if (e.kind === "sensor-gap" && e.endMs - e.startMs > REP_DEFAULTS.gapMs) out.push({ startMs: e.startMs, endMs: e.endMs });
    // The stale sensor's last sample, when the gap it was stale in is reported (the stale event
    // comes when the pipeline notices, up to a frame or two after STALE_AFTER_MS: counted from
    // there, a 600.1 ms span without frames read as 584 ms and its abandoned rep as required).
    const since = e.kind === "sensor-gap" ? staleSinceMs.get(e.sensor) : undefined;
    if (e.kind === "sensor-gap" && since !== undefined && e.startMs < since) staleSinceMs.set(e.sensor, e.startMs);
    if (e.kind === "sensor-state" && e.state === "stale") staleSinceMs.set(e.sensor, e.tMs - STALE_AFTER_MS);
    if (e.kind === "sensor-state" && e.state === "fresh") {
      const since = staleSinceMs.get(e.sensor);
      if (since !== undefined && e.tMs - since > REP_DEFAULTS.gapMs) out.push({ startMs: since, endMs: e.tMs });
      staleSinceMs.delete(e.sensor);
    }
  }
  return out;
}

export function evaluateEvents(run: SimRunResult, options: EventEvalOptions = {}): EventEval {
  const marginDeg = options.marginDeg ?? 1;
  const slackMs = options.warningSlackMs ?? 150;
  const tw = truthWarnings(run.truthEvents, run.truthTrace);
  const dw = detectedWarnings(run.events);
  return {
    reps: evalReps(run.truthEvents, run.summary.reps, unobservableSpans(run, options.unobservableAfterMs ?? 1000), run.truthTrace, run.frameGaps),
    flexionWarnings: evalWarnings(tw.filter((w) => w.axis === "flexion"), dw.filter((w) => w.axis === "flexion"), run.truthTrace, marginDeg, slackMs, run.frameGaps),
    allWarnings: evalWarnings(tw, dw, run.truthTrace, marginDeg, slackMs, run.frameGaps),
    holds: evalHolds(run.truthEvents, run.summary.holds, run.truthTrace, options.holdToleranceMs ?? 150, options.holdLevelDeg ?? 0.5),
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

function emptyWarningEval(): WarningEval {
  return {
    required: 0, optional: 0, detected: 0, hits: 0, falseAlarms: 0, misses: 0, latencyMs: [],
    unobservable: 0, observableMisses: 0, observableLatencyMs: [], crossingOffsetMs: [], detectionDelayMs: [],
  };
}

export function emptyEventEval(): EventEval {
  const w = emptyWarningEval;
  return {
    reps: { truth: 0, required: 0, detected: 0, matched: 0, matchedRequired: 0, peakFlexionErrDeg: [], peakFlexionErrObservableDeg: [], peakPelvisTiltErrDeg: [], lockoutExtensionErrDeg: [], peakExtensionErrDeg: [], startErrMs: [], endErrMs: [] },
    flexionWarnings: w(),
    allWarnings: w(),
    holds: { truth: 0, detected: 0, hits: 0, matched: 0, startErrMs: [], endErrMs: [], plannedStartErrMs: [], plannedEndErrMs: [], driftErrDeg: [], meanFlexionErrDeg: [] },
  };
}

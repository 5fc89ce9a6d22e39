import type { AngleFrame, MovementEvent, SessionInfo, SessionSummary, TruthEventLine } from "@spinewatch/protocol";
import { lineToSourceEvent, simulateSession, type SimulationOptions } from "@spinewatch/simulator";
import { SpineCore, SummaryCollector, type PipelineOptions, type PipelineOutput } from "@spinewatch/pipeline";
import { ErrorStats } from "./error-stats.js";
import { LagEstimator } from "./lag-estimator.js";
import { TRUTH_CHANNELS, TruthSeries, type TruthChannel } from "./truth-series.js";

/** Per-channel errors (estimate − truth) of the angle frames of one session. */
export type ChannelErrors = Record<TruthChannel, ErrorStats>;

export function newChannelErrors(): ChannelErrors {
  return Object.fromEntries(TRUTH_CHANNELS.map((c) => [c, new ErrorStats()])) as ChannelErrors;
}

export function mergeChannelErrors(into: ChannelErrors, from: ChannelErrors): void {
  for (const c of TRUTH_CHANNELS) into[c].merge(from[c]);
}

/** Per-channel time offset of the estimate against the truth (LagEstimator). */
export type ChannelLags = Record<TruthChannel, LagEstimator>;

export function newChannelLags(): ChannelLags {
  return Object.fromEntries(TRUTH_CHANNELS.map((c) => [c, new LagEstimator()])) as ChannelLags;
}

export function mergeChannelLags(into: ChannelLags, from: ChannelLags): void {
  for (const c of TRUTH_CHANNELS) into[c].merge(from[c]);
}

const RATE_HALF_STEP_MS = 10;

/** The truth's lumbar angles at every truth line (100 Hz): ~2.4 MB for a 10-minute session. */
export interface TruthTrace {
  tMs: number[];
  flexionDeg: number[];
  lateralBendDeg: number[];
  axialRotationDeg: number[];
  pelvisTiltDeg: number[];
  /** NaN where the truth line has none (recordings from before the field existed). */
  pelvisObliquityDeg: number[];
}

export interface SimRunResult {
  info: SessionInfo;
  summary: SessionSummary;
  /** Errors of every angle frame against the truth interpolated at the frame's tMs. */
  errors: ChannelErrors;
  /** Least-squares time offset of each channel against the truth (positive: the estimate lags). */
  lags: ChannelLags;
  /** Frames whose tMs fell outside the truth's span (not compared). */
  framesOutsideTruth: number;
  /** Every movement event the pipeline emitted, in order. */
  events: MovementEvent[];
  truthEvents: TruthEventLine[];
  /** Every truth line's time and lumbar angles (for event evaluation: what the truth did between events). */
  truthTrace: TruthTrace;
  /** The simulated link dropout (header `simulation.dropout`), if any. */
  dropout: { sensor: string; startMs: number; durationMs: number } | null;
  /** Sample time of the first angle frame (calibration done), ms. */
  firstFrameMs: number;
  /**
   * Where the pipeline emitted no angle frame for longer than FRAME_GAP_MS after the first one
   * (a stale sensor: no angle from a stale orientation), from the last frame before to the first after.
   */
  frameGaps: { startMs: number; endMs: number }[];
}

/** A frame gap: more than this between two angle frames (2.5 frames at the default 100 Hz), ms. */
export const FRAME_GAP_MS = 25;

export interface SimRunOptions {
  pipeline?: PipelineOptions;
  /** Called with each compared frame and its truth (TRUTH_CHANNELS order): for tracing in a bench. */
  onCompared?: (frame: AngleFrame, truth: Float64Array) => void;
}

/**
 * Streams one simulated session through the real pipeline processor (SpineCore, what
 * spinePipeline and runToSummary wrap) in-process: the simulator's lines become source events
 * exactly as a live simulated source makes them (lineToSourceEvent: packets as bytes through the
 * device decoders), truth lines go to a TruthSeries, and every angle frame is compared with the
 * truth at its own tMs. Memory stays bounded: a 10-minute session is never held whole.
 */
export function runSimulated(sim: SimulationOptions, options: SimRunOptions = {}): SimRunResult {
  let info: SessionInfo | null = null;
  let core: SpineCore | null = null;
  let collector: SummaryCollector | null = null;
  const truth = new TruthSeries();
  const errors = newChannelErrors();
  const lags = newChannelLags();
  const events: MovementEvent[] = [];
  const truthEvents: TruthEventLine[] = [];
  const truthTrace: TruthTrace = { tMs: [], flexionDeg: [], lateralBendDeg: [], axialRotationDeg: [], pelvisTiltDeg: [], pelvisObliquityDeg: [] };
  const pending: AngleFrame[] = [];
  const tv = new Float64Array(TRUTH_CHANNELS.length);
  const before = new Float64Array(TRUTH_CHANNELS.length);
  const after = new Float64Array(TRUTH_CHANNELS.length);
  let outside = 0;
  let firstFrameMs = Number.NaN;
  let lastFrameMs = Number.NaN;
  const frameGaps: SimRunResult["frameGaps"] = [];
  let dropout: SimRunResult["dropout"] = null;

  const compare = (f: AngleFrame): void => {
    if (!truth.at(f.tMs, tv)) {
      outside++;
      return;
    }
    // Truth rate by a central difference over ±RATE_HALF_STEP_MS (for the lag estimate).
    const rated = truth.at(f.tMs - RATE_HALF_STEP_MS, before) && truth.at(f.tMs + RATE_HALF_STEP_MS, after);
    for (let k = 0; k < TRUTH_CHANNELS.length; k++) {
      const c = TRUTH_CHANNELS[k];
      const e = f[c] - tv[k];
      errors[c].add(e, f.tMs);
      if (rated) lags[c].add(e, (after[k] - before[k]) / (2 * RATE_HALF_STEP_MS));
    }
    truth.release(f.tMs);
    options.onCompared?.(f, tv);
  };
  // Frames can be stamped a little ahead of the truth written so far (the pipeline's timeline is
  // host time): they wait until the truth has caught up.
  const drain = (final: boolean): void => {
    let i = 0;
    while (i < pending.length && (final || pending[i].tMs + RATE_HALF_STEP_MS <= truth.lastMs)) compare(pending[i++]);
    if (i > 0) pending.splice(0, i);
  };
  const emit = (out: PipelineOutput): void => {
    collector!.next(out);
    if (out.type === "frame") {
      if (Number.isNaN(firstFrameMs)) firstFrameMs = out.frame.tMs;
      if (out.frame.tMs - lastFrameMs > FRAME_GAP_MS) frameGaps.push({ startMs: lastFrameMs, endMs: out.frame.tMs });
      lastFrameMs = out.frame.tMs;
      // LumbarAngles may reuse its frame object: keep a copy of the numbers compared.
      pending.push({ ...out.frame });
    } else if (out.type === "event") events.push(out.event);
  };

  for (const line of simulateSession(sim)) {
    switch (line.type) {
      case "header":
        info = { sensors: line.sensors, exercise: line.exercise, limits: line.limits };
        dropout = (line.simulation?.dropout as SimRunResult["dropout"]) ?? null;
        core = new SpineCore(info, options.pipeline);
        collector = new SummaryCollector(info, options.pipeline);
        break;
      case "truth":
        truth.push(line);
        truthTrace.tMs.push(line.tMs);
        truthTrace.flexionDeg.push(line.flexionDeg);
        truthTrace.lateralBendDeg.push(line.lateralBendDeg);
        truthTrace.axialRotationDeg.push(line.axialRotationDeg);
        truthTrace.pelvisTiltDeg.push(line.pelvisTiltDeg);
        truthTrace.pelvisObliquityDeg.push(line.pelvisObliquityDeg ?? Number.NaN);
        drain(false);
        break;
      case "truth-event":
        truthEvents.push(line);
        break;
      default: {
        const ev = lineToSourceEvent(line);
        if (ev) core!.next(ev, emit);
      }
    }
  }
  if (core === null || collector === null || info === null) throw new Error("simulator produced no header");
  core.flush(emit);
  drain(true);
  return { info, summary: collector.summary(), errors, lags, framesOutsideTruth: outside, events, truthEvents, truthTrace, dropout, firstFrameMs, frameGaps };
}

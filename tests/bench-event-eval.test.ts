import { describe, expect, it } from "vitest";
import type { MovementEvent, SessionSummary, TruthEventLine } from "@spinewatch/protocol";
import { RANGE_DEFAULTS } from "@spinewatch/analysis";
import { evaluateEvents } from "../bench/lib/event-eval.js";
import type { SimRunResult } from "../bench/lib/sim-run.js";

/**
 * The bench's warning evaluation (bench/lib/event-eval.ts): a warning whose truth crossing came
 * while the pipeline had no angle frames (a stale sensor) is counted as out of sight, and the
 * observable figures leave it out; the figures over every required warning still count it.
 */

const LIMIT_DEG = 25;

/** 10 s of truth at 100 Hz: flexion 10°, above the limit (27°) from 3000 to 3400 ms. */
function run(opts: { frameGaps: { startMs: number; endMs: number }[]; warningAtMs: number | null }): SimRunResult {
  const trace: SimRunResult["truthTrace"] = { tMs: [], flexionDeg: [], lateralBendDeg: [], axialRotationDeg: [], pelvisTiltDeg: [], pelvisObliquityDeg: [] };
  for (let t = 0; t <= 10_000; t += 10) {
    trace.tMs.push(t);
    trace.flexionDeg.push(t >= 3000 && t < 3400 ? 27 : 10);
    trace.lateralBendDeg.push(0);
    trace.axialRotationDeg.push(0);
    trace.pelvisTiltDeg.push(0);
    trace.pelvisObliquityDeg.push(0);
  }
  const truthEvents: TruthEventLine[] = [{ type: "truth-event", kind: "warning", startMs: 3000, endMs: 3400, axis: "flexion", limitDeg: LIMIT_DEG, peakDeg: 27, rep: null }];
  const events: MovementEvent[] = [];
  if (opts.warningAtMs !== null) {
    const startMs = opts.warningAtMs - RANGE_DEFAULTS.dwellMs;
    events.push({ kind: "range", tMs: opts.warningAtMs, level: "warning", axis: "flexion", valueDeg: 27, limitDeg: LIMIT_DEG, rep: null } as MovementEvent);
    events.push({ kind: "range-clear", tMs: 3450, axis: "flexion", warning: { axis: "flexion", startMs, endMs: 3400, peakDeg: 27, limitDeg: LIMIT_DEG, rep: null } } as MovementEvent);
  }
  const summary = { reps: [], holds: [] } as unknown as SessionSummary;
  return { summary, events, truthEvents, truthTrace: trace, dropout: null, frameGaps: opts.frameGaps } as unknown as SimRunResult;
}

describe("bench event evaluation: warnings out of sight", () => {
  it("a miss while frames were missing at the crossing is out of sight: recall over all counts it, the observable recall does not", () => {
    const w = evaluateEvents(run({ frameGaps: [{ startMs: 2900, endMs: 3500 }], warningAtMs: null })).flexionWarnings;
    expect([w.required, w.misses, w.unobservable, w.observableMisses]).toEqual([1, 1, 1, 0]);
  });

  it("a miss with frames all along is an observable miss", () => {
    const w = evaluateEvents(run({ frameGaps: [{ startMs: 1000, endMs: 1500 }], warningAtMs: null })).flexionWarnings;
    expect([w.required, w.misses, w.unobservable, w.observableMisses]).toEqual([1, 1, 0, 1]);
  });

  it("a late warning after frames resumed counts in the latency over all hits, not in the observable one", () => {
    // Frames missing 2950-3300 ms; the warning 60 ms after they resume: 360 ms after the truth.
    const late = evaluateEvents(run({ frameGaps: [{ startMs: 2950, endMs: 3300 }], warningAtMs: 3360 })).flexionWarnings;
    expect(late.latencyMs).toEqual([360]);
    expect(late.observableLatencyMs).toEqual([]);
    // A gap that ended a frame before the crossing does not hide it (tolerance: exact, integer ms).
    const seen = evaluateEvents(run({ frameGaps: [{ startMs: 2500, endMs: 2990 }], warningAtMs: 3070 })).flexionWarnings;
    expect(seen.unobservable).toBe(0);
    expect(seen.observableLatencyMs).toEqual([70]);
  });
});

describe("bench event evaluation: rep peaks no frame saw", () => {
  /** One truth rep 2000-4500 ms peaking (27°) at 3000-3400 ms, found with a peak 3° low. */
  function repRun(frameGaps: { startMs: number; endMs: number }[]): SimRunResult {
    const r = run({ frameGaps, warningAtMs: null });
    r.truthEvents.push({ type: "truth-event", kind: "rep", startMs: 2000, endMs: 4500, index: 1, peakFlexionDeg: 27, peakPelvisTiltDeg: 60, lockoutExtensionDeg: 0, peakExtensionDeg: 0, peakLateralBendDeg: 0 } as TruthEventLine);
    (r.summary as { reps: unknown[] }).reps.push({ index: 1, startMs: 2050, endMs: 4450, downMs: 900, upMs: 900, peakPelvisTiltDeg: 60, peakFlexionDeg: 24, lockoutExtensionDeg: 0, peakLateralBendDeg: 0, lumbopelvicRatio: 0.4 });
    return r;
  }

  it("counts a rep's peak error over every matched rep, and over the observable ones only when frames came at the truth's peak", () => {
    const hole = evaluateEvents(repRun([{ startMs: 2800, endMs: 3600 }])).reps;
    expect(hole.peakFlexionErrDeg).toEqual([-3]);
    expect(hole.peakFlexionErrObservableDeg).toEqual([]);
    const seen = evaluateEvents(repRun([{ startMs: 1000, endMs: 1500 }])).reps;
    expect(seen.peakFlexionErrObservableDeg).toEqual([-3]);
  });
});

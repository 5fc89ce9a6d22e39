import { describe, expect, it } from "vitest";
import { evaluateEvents } from "../bench/lib/event-eval.js";
import { matchIntervals } from "../bench/lib/event-matching.js";
import { runSimulated } from "../bench/lib/sim-run.js";

/**
 * A sensor back from a gap whose tilt a pivot fit confirmed mid-swing (orientation-stage.ts,
 * AFTER_PIVOT_FIX_MIN_CORRECTION_DEG). Simulator, rounding swings, WitMotion seed 5: the sacrum
 * loses 610 ms at 118.9-119.5 s and comes back at the bottom of a swing; the fit confirmed a tilt
 * 1.67° off, which the filter rejects (over its 1.5°) and the stops' usual check keeps (under
 * 2°), so the next two reps' peaks came out 1.90° and 1.88° off. The first stop after the fit now
 * corrects above 1.5°.
 */
describe("the first stop after a pivot fit corrects the fit's error above the filter's 1.5°", () => {
  it("rounding swings, WitMotion seed 5: the reps after the sacrum's 610 ms loss have their peaks within 0.5° (were 1.9°)", () => {
    const run = runSimulated({ scenario: "kettlebell-swing-rounding", device: "witmotion-wt901ble", seed: 5, durationS: 300 });
    const gap = run.events.find((e) => e.kind === "sensor-gap" && e.sensor === "sacrum" && e.endMs - e.startMs > 500 && e.startMs > 118_000 && e.startMs < 120_000);
    expect(gap).toBeDefined();
    const truthReps = run.truthEvents.filter((e) => e.kind === "rep" && e.startMs > 120_000 && e.startMs < 122_000);
    expect(truthReps.length).toBe(2);
    const m = matchIntervals(truthReps, run.summary.reps);
    expect(m.matches.length).toBe(2);
    // Tolerance 0.5°: measured 0.22° and 0.21°.
    for (const { truth, detected } of m.matches) expect(Math.abs(detected.peakFlexionDeg - Number(truth.peakFlexionDeg))).toBeLessThanOrEqual(0.5);
    const all = evaluateEvents(run).reps.peakFlexionErrDeg.map(Math.abs);
    expect(Math.max(...all)).toBeLessThanOrEqual(1.5);
  });
});

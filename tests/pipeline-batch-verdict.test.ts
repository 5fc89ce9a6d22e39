import { describe, expect, it } from "vitest";
import { evaluateEvents } from "../bench/lib/event-eval.js";
import { runSimulated } from "../bench/lib/sim-run.js";

/**
 * A lost WitMotion notification before a swing (sensor-clock.ts, motion-verdict.ts batchVerdict).
 * Simulator, kettlebell swings, WitMotion seed 8, 300 s: at 49.76-49.79 s the sacrum's batch of 4
 * samples is lost just as the hips start to move, and the next batch arrives one batch late. Its
 * first sample alone, extrapolated from the two before it (0.2, −2.3 °/s), could not tell a delay
 * from a loss, so it was taken as delayed and placed 40 ms early: pelvis tilt 2.2° and flexion
 * 2.4° off at 49.80 s, the rep's peak flexion 2.29° off. The whole batch (−55 … −105 °/s) on one
 * smooth curve with what came before says "lost".
 */
describe("a late batch is placed by its own motion", () => {
  it("swings, WitMotion seed 8: flexion within 0.5° around the lost batch (was 2.4°), every rep peak within 1.5°", () => {
    let maxErrDeg = 0;
    const run = runSimulated({ scenario: "kettlebell-swing", device: "witmotion-wt901ble", seed: 8, durationS: 300, declareLinkLatency: true }, {
      onCompared: (f, truth) => {
        if (f.tMs >= 49_700 && f.tMs <= 49_900) maxErrDeg = Math.max(maxErrDeg, Math.abs(f.flexionDeg - truth[0]));
      },
    });
    // The loss is there, and reported.
    const gap = run.events.find((e) => e.kind === "sensor-gap" && e.sensor === "sacrum" && e.startMs > 49_700 && e.endMs < 49_900);
    expect(gap).toBeDefined();
    // Tolerance 0.5°: measured 0.20° (the session's steady error there); 2.39° before.
    expect(maxErrDeg).toBeLessThanOrEqual(0.5);
    const peaks = evaluateEvents(run).reps.peakFlexionErrDeg.map(Math.abs);
    expect(Math.max(...peaks)).toBeLessThanOrEqual(1.5);
  });

  it("5 % loss, swings, WitMotion seed 2: flexion within 0.5° after two batches lost at the start of a swing (were 3.0°)", () => {
    // 512.2 s: the rate said "lost"; the accelerometer's z, peaking inside the lost batch,
    // extrapolated from two samples leaned "delayed" and vetoed it. 540.7 s: a batch lost as the
    // swing left rest; the curves told (misfits 29.8 and 0.27 (°/s)²) but by less than the 15²
    // once required. Both times the next batch went 40 ms early (motion-verdict.ts).
    const maxErrDeg = [0, 0];
    const windowsMs = [[512_150, 512_400], [540_650, 541_500]];
    runSimulated({ scenario: "kettlebell-swing", device: "witmotion-wt901ble", seed: 2, durationS: 600, declareLinkLatency: true, errorModel: { lossProbability: 0.05 } }, {
      onCompared: (f, truth) => {
        windowsMs.forEach(([a, b], i) => {
          if (f.tMs >= a && f.tMs <= b) maxErrDeg[i] = Math.max(maxErrDeg[i], Math.abs(f.flexionDeg - truth[0]));
        });
      },
    });
    // Tolerance 0.5°: measured 0.37° and 0.19°; 3.04° and 2.99° before.
    expect(maxErrDeg[0]).toBeLessThanOrEqual(0.5);
    expect(maxErrDeg[1]).toBeLessThanOrEqual(0.5);
  });
});

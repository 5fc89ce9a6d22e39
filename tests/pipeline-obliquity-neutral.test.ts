import { describe, expect, it } from "vitest";
import { runSimulated } from "../bench/lib/sim-run.js";
import { TRUTH_CHANNELS } from "../bench/lib/truth-series.js";

/**
 * The frames carry the all-fours neutral the analysis counts the bird dog from
 * (AngleFrame.pelvisObliquityNeutralDeg; the dashboard shows the obliquity less it). With the
 * default error model the accelerometers' cross-axis errors give the frame's obliquity a posture
 * offset on all fours (analysis obliquity-neutral.ts); less the neutral, it follows the truth.
 * Measured (mean |error| on all fours after 20 s, 90 s sessions): seeds 1-2 raw 0.85-0.93°,
 * less the neutral 0.035-0.054°; seed 3 has little offset (0.07-0.08° either way).
 */
describe("the pelvis obliquity less the frame's all-fours neutral", () => {
  it("bird-dog, 90 s, witmotion, seed 1: within 0.15° of the truth on average, where the frame's own value is 0.5° off or more", () => {
    const iObl = TRUTH_CHANNELS.indexOf("pelvisObliquityDeg");
    const iTilt = TRUTH_CHANNELS.indexOf("pelvisTiltDeg");
    let n = 0, raw = 0, rel = 0;
    runSimulated({ scenario: "bird-dog", device: "witmotion-wt901ble", durationS: 90, seed: 1 }, {
      onCompared: (f, truth) => {
        if (truth[iTilt]! < 60 || f.tMs < 20_000) return; // on all fours, settled
        expect(f.pelvisObliquityNeutralDeg).toBeDefined();
        n++;
        raw += Math.abs(f.pelvisObliquityDeg - truth[iObl]!);
        rel += Math.abs(f.pelvisObliquityDeg - f.pelvisObliquityNeutralDeg! - truth[iObl]!);
      },
    });
    expect(n).toBeGreaterThan(3000);
    expect(raw / n).toBeGreaterThan(0.5);
    expect(rel / n).toBeLessThanOrEqual(0.15);
  });
});

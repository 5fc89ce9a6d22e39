import { describe, expect, it } from "vitest";
import { runSimulated } from "../bench/lib/sim-run.js";
import { evaluateEvents } from "../bench/lib/event-eval.js";
import { RANGE_DEFAULTS } from "@spinewatch/analysis";

/**
 * simulate -> pipeline against the simulator's ground truth on short sessions (issue 3, "Fixtures
 * and tests"): the angle frames of the real pipeline (SpineCore, in-process, packets through the
 * device decoders) against the truth interpolated at each frame's tMs, default error model.
 * Goals (issue 3): flexion and lateral bend RMSE ≤ 1.0°, axial rotation ≤ 2.0°; reps exact.
 * Not a timing test. Full figures: `npm run bench:accuracy`, docs/BENCHMARKS.md.
 */
describe("simulate -> analyze within the accuracy goals", () => {
  for (const device of ["movella-dot", "witmotion-wt901ble"] as const) {
    it(`hip-hinge-holds, 60 s, ${device}, seed 1: RMSE flexion/lateral ≤ 1.0°, axial ≤ 2.0°, reps and holds counted exactly`, () => {
      const run = runSimulated({ scenario: "hip-hinge-holds", device, durationS: 60, seed: 1 });
      expect(run.errors.flexionDeg.n).toBeGreaterThan(4000);
      expect(run.errors.flexionDeg.rmse).toBeLessThanOrEqual(1.0);
      expect(run.errors.lateralBendDeg.rmse).toBeLessThanOrEqual(1.0);
      expect(run.errors.axialRotationDeg.rmse).toBeLessThanOrEqual(2.0);
      const ev = evaluateEvents(run);
      expect(ev.reps.truth).toBeGreaterThan(4);
      expect(run.summary.reps.length).toBe(ev.reps.truth);
      expect(ev.reps.matched).toBe(ev.reps.truth);
      expect(run.summary.holds.length).toBe(ev.holds.truth);
    });
  }

  it("childs-pose-clock, 80 s, movella-dot, seed 1: every pause of the clock is its own hold (the side-bending walks between them end it)", () => {
    const run = runSimulated({ scenario: "childs-pose-clock", device: "movella-dot", durationS: 80, seed: 1 });
    const ev = evaluateEvents(run);
    expect(ev.holds.truth).toBeGreaterThanOrEqual(9);
    expect(run.summary.holds.length).toBe(ev.holds.truth);
    expect(ev.holds.matched).toBe(ev.holds.truth);
    // Dated against the observed pause (bench/lib/hold-eval.ts) within the 150 ms.
    for (const e of [...ev.holds.startErrMs, ...ev.holds.endErrMs]) expect(Math.abs(e)).toBeLessThanOrEqual(150);
  });

  it("childs-pose-clock, 60 s, perfect sensors: the lateral bend does not creep during the pauses (a slow pelvis roll about the vertical is not learned as gyro bias)", () => {
    // Before: the pelvis's 1.4° roll under each side reach was learned as bias, and the lateral
    // bend crept 1.2° off in every pause (docs/BENCHMARKS.md, session 12). Measured now 0.11°;
    // tolerance 0.3°.
    const run = runSimulated({ scenario: "childs-pose-clock", device: "movella-dot", durationS: 60, seed: 1, errorModel: "none" });
    expect(run.errors.lateralBendDeg.n).toBeGreaterThan(3000);
    expect(run.errors.lateralBendDeg.maxAbs).toBeLessThanOrEqual(0.3);
  });

  it("kettlebell-swing, 60 s, movella-dot (sensor timestamps), seed 1: within the goals, reps exact, peak flexion per rep within 1.5°", () => {
    const run = runSimulated({ scenario: "kettlebell-swing", device: "movella-dot", durationS: 60, seed: 1 });
    expect(run.errors.flexionDeg.rmse).toBeLessThanOrEqual(1.0);
    expect(run.errors.lateralBendDeg.rmse).toBeLessThanOrEqual(1.0);
    expect(run.errors.axialRotationDeg.rmse).toBeLessThanOrEqual(2.0);
    const ev = evaluateEvents(run);
    expect(ev.reps.truth).toBeGreaterThan(10);
    expect(ev.reps.detected).toBe(ev.reps.truth);
    expect(ev.reps.matched).toBe(ev.reps.truth);
    for (const e of ev.reps.peakFlexionErrDeg) expect(Math.abs(e)).toBeLessThanOrEqual(1.5);
  });

  it("kettlebell-swing, 60 s, witmotion (no sensor clock), seed 1: reps exact; flexion RMSE ≤ 2.0° (goal 1.0° NOT yet met on clockless swings, see docs/BENCHMARKS.md)", () => {
    const run = runSimulated({ scenario: "kettlebell-swing", device: "witmotion-wt901ble", durationS: 60, seed: 1 });
    // Regression bound, not the goal: WitMotion frames carry no timestamp, and host-time
    // placement of batched notifications under BLE jitter and loss still misplaces samples by
    // up to ~40 ms (p99), which the fast swing turns into degrees.
    expect(run.errors.flexionDeg.rmse).toBeLessThanOrEqual(2.0);
    expect(run.errors.lateralBendDeg.rmse).toBeLessThanOrEqual(1.0);
    expect(run.errors.axialRotationDeg.rmse).toBeLessThanOrEqual(2.0);
    const ev = evaluateEvents(run);
    // Every observable rep, nothing extra. Rep 9 lies in an unobservable span here (bench/lib/
    // event-eval.ts): a 330 ms thoracic loss burst mid-swing, after which the bridged T12 tilt is
    // held stale until a still moment confirms it (1.3 s without frames; it was 10° off).
    expect(ev.reps.required).toBeGreaterThanOrEqual(ev.reps.truth - 1);
    expect(ev.reps.matchedRequired).toBe(ev.reps.required);
    expect(ev.reps.detected).toBe(ev.reps.matched);
  });

  // Perfect sensors and link (error model "none"): what is left is the method. The accelerometer
  // is trusted within 1.5° of the estimated gravity, and a swinging sensor passes through such
  // agreement while it turns, with linear acceleration of the same sign every rep: lumbar flexion
  // read 0.20-0.27° low at every rounding rep's bottom until the rejection angle was made to
  // shrink with the angular rate (SPINE_FILTER_SETTINGS.accelerationRejectionRateDps): 0.09° low
  // (seed 1; Movella 0.095°, WitMotion 0.086°). What was left came from the start and end of each
  // movement, slow but already accelerating; judged by the rates 50 ms either side
  // (accelerationWindowS, TiltFeedbackWindow): 0.047° and 0.022°. Tolerance 0.065°: between the two.
  for (const device of ["movella-dot", "witmotion-wt901ble"] as const) {
    it(`kettlebell-swing-rounding, 90 s, ${device}, perfect sensors: flexion beyond 20° is within 0.065° of the truth on average (no acceleration leak)`, () => {
      let sum = 0, n = 0;
      runSimulated({ scenario: "kettlebell-swing-rounding", device, durationS: 90, seed: 1, errorModel: "none", declareLinkLatency: true }, {
        onCompared: (frame, truth) => {
          if (truth[0] > 20) {
            sum += frame.flexionDeg - truth[0];
            n++;
          }
        },
      });
      expect(n).toBeGreaterThan(300);
      expect(Math.abs(sum / n)).toBeLessThanOrEqual(0.065);
    });
  }

  it("kettlebell-swing-rounding, 60 s, witmotion, seed 1: every flexion warning comes the dwell to the dwell + one frame after the pipeline's own crossing (the detector's part of the latency)", () => {
    const run = runSimulated({ scenario: "kettlebell-swing-rounding", device: "witmotion-wt901ble", durationS: 60, seed: 1 });
    const w = evaluateEvents(run).flexionWarnings;
    expect(w.hits).toBeGreaterThanOrEqual(3);
    // Tolerance 1e-6 ms: float noise of the interpolated crossing; one frame is 10 ms at 100 Hz.
    for (const d of w.detectionDelayMs) {
      expect(d).toBeGreaterThanOrEqual(RANGE_DEFAULTS.dwellMs - 1e-6);
      expect(d).toBeLessThanOrEqual(RANGE_DEFAULTS.dwellMs + 10 + 1e-6);
    }
  });
});

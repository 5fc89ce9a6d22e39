import { describe, expect, it } from "vitest";
import { simulateSession } from "@spinewatch/simulator";
import { evaluateEvents } from "../bench/lib/event-eval.js";
import { runSimulated } from "../bench/lib/sim-run.js";

/**
 * Gyroscopes whose scale is off by a few percent (error model gyrScaleSd 0.02 instead of the
 * default 0.005; consumer MEMS tolerances are of that order, UNVERIFIED for our devices). Seed 6
 * draws −0.8 % for the sacrum's and +2.8 % for the thoracic sensor's bend axis: uncorrected, the
 * rounding swings' peaks came out up to 3.4-3.5° off. The calibration bend measures each scale
 * between its still moments (kinematics gyro-scale.ts) and the pipeline corrects it.
 */
describe("gyro scale measured by the calibration bend and corrected beyond a 1 % margin", () => {
  const sim = { scenario: "kettlebell-swing-rounding", durationS: 60, seed: 6, errorModel: { gyrScaleSd: 0.02 } } as const;
  for (const device of ["witmotion-wt901ble", "movella-dot"] as const) {
    it(`${device}: scales measured within 0.6 % of the drawn ones, every rep's peak flexion within 1.5° (uncorrected: beyond)`, () => {
      const header = simulateSession({ ...sim, device, durationS: 1 })[Symbol.iterator]().next().value as {
        simulation: { sensorErrors: Record<string, { gyrMatrix: number[] }> };
      };
      const run = runSimulated({ ...sim, device });
      const q = run.summary.calibration.quality!;
      expect(q.gyroScaleCorrected).toBe(true);
      // The simulator's mounts put the bend axis along the sensors' ±Y: the drawn scale is the
      // gyro matrix's middle diagonal element (misalignment adds < 0.1 %).
      for (const [name, id] of [["sacrum", "sacrum"], ["thoracic", "thoracic"]] as const) {
        expect(Math.abs(q.gyroScale![name]! - header.simulation.sensorErrors[id]!.gyrMatrix[4]!)).toBeLessThan(0.006);
      }
      const corrected = evaluateEvents(run).reps.peakFlexionErrDeg.map(Math.abs);
      expect(corrected.length).toBeGreaterThan(10);
      expect(Math.max(...corrected)).toBeLessThanOrEqual(1.5);

      const uncorrected = runSimulated({ ...sim, device }, { pipeline: { correctGyroScaleFrom: Infinity } });
      expect(uncorrected.summary.calibration.quality!.gyroScaleCorrected).toBe(false);
      expect(Math.max(...evaluateEvents(uncorrected).reps.peakFlexionErrDeg.map(Math.abs))).toBeGreaterThan(1.5);
    });
  }

  // Default error model, seed 8: the thoracic sensor's drawn scale about the bend axis is 0.997,
  // but its accelerometer's x and z scales are 1.25 % apart, which stretches the turn the bend
  // shows: measured 0.985-0.987. Applied whole, that estimate put every rounding swing's peak
  // 1.5-1.9° off; only the part of the error beyond the 1 % margin is corrected.
  for (const device of ["witmotion-wt901ble", "movella-dot"] as const) {
    it(`${device}: an estimate off by ~1 % is corrected only beyond the 1 % margin: rep peaks within 0.5°, applied whole beyond 1.5°`, () => {
      const s8 = { scenario: "kettlebell-swing-rounding", durationS: 60, seed: 8 } as const;
      const run = runSimulated({ ...s8, device });
      const q = run.summary.calibration.quality!;
      expect(q.gyroScale!.thoracic!).toBeLessThan(0.99);
      expect(q.gyroScaleCorrected).toBe(true);
      const peaks = evaluateEvents(run).reps.peakFlexionErrDeg.map(Math.abs);
      expect(peaks.length).toBeGreaterThan(10);
      // Tolerance: 0.27° / 0.20° measured (WitMotion / Movella DOT).
      expect(Math.max(...peaks)).toBeLessThanOrEqual(0.5);
      const whole = runSimulated({ ...s8, device }, { pipeline: { correctGyroScaleFrom: 0 } });
      expect(Math.max(...evaluateEvents(whole).reps.peakFlexionErrDeg.map(Math.abs))).toBeGreaterThan(1.5);
    });
  }

  it("a loss during the bend no longer keeps the scales from being measured (movella-dot seed 1: a 160 ms hole in the frames)", () => {
    const run = runSimulated({ scenario: "kettlebell-swing-rounding", device: "movella-dot", durationS: 12, seed: 1 });
    const q = run.summary.calibration.quality!;
    expect(q.gyroScaleNotMeasured).toBeUndefined();
    // Each within 0.6 % of the drawn scale (the gyro matrix's middle diagonal), as without a loss.
    const header = simulateSession({ scenario: "kettlebell-swing-rounding", device: "movella-dot", durationS: 1, seed: 1 })[Symbol.iterator]().next().value as {
      simulation: { sensorErrors: Record<string, { gyrMatrix: number[] }> };
    };
    for (const name of ["sacrum", "thoracic"] as const) {
      expect(Math.abs(q.gyroScale![name]! - header.simulation.sensorErrors[name]!.gyrMatrix[4]!)).toBeLessThan(0.006);
    }
  });
});

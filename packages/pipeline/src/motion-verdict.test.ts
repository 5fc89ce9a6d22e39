import { describe, expect, it } from "vitest";
import type { Vec3 } from "@spinewatch/protocol";
import { motionVerdict } from "./motion-verdict.js";

/** A channel sampled every period: value(k) for k = −2, −1 (the last two placed) and the next. */
const channel = (f: (k: number) => Vec3, nextK: number): [Vec3, Vec3, Vec3] => [f(-2), f(-1), f(nextK)];

describe("motionVerdict (a late notification: delayed, or 4 samples lost before it?)", () => {
  // Mid-swing: the rate is steady at 240 °/s about z (the gyro cannot tell), the measured gravity
  // turns with the sensor: 9.81 m/s² along a direction rotating at 240 °/s (4.2° per 10 ms).
  const gyr = (k: number): Vec3 => [0, 0, 240 + 0.2 * k];
  const acc = (k: number): Vec3 => [9.81 * Math.cos(0.0419 * k), 9.81 * Math.sin(0.0419 * k), 0];

  it("steady rate, turning gravity: the accelerometer decides (next sample contiguous: delayed; 4 samples on: lost)", () => {
    const [gp, gl, gDelayed] = channel(gyr, 0);
    const [ap, al, aDelayed] = channel(acc, 0);
    expect(motionVerdict(gp, gl, [gDelayed], ap, al, [aDelayed], 4)).toBe("delayed");
    const [, , gLost] = channel(gyr, 4);
    const [, , aLost] = channel(acc, 4);
    expect(motionVerdict(gp, gl, [gLost], ap, al, [aLost], 4)).toBe("lost");
  });

  it("the rate leaning to a loss vetoes the accelerometer's 'delayed' (linear acceleration can mimic one)", () => {
    // Rate rising 7 °/s per sample, next sample 69 °/s: 4 lost predicts 54, delayed 27 (leans lost, not 4x).
    const gp: Vec3 = [0, 13, 0], gl: Vec3 = [0, 20, 0], g: Vec3 = [0, 69, 0];
    const ap: Vec3 = [10.5, 0, 0], al: Vec3 = [10.7, 0, 0], a: Vec3 = [10.9, 0, 0];
    expect(motionVerdict(null, null, [], ap, al, [a], 4)).toBe("delayed");
    expect(motionVerdict(gp, gl, [g], ap, al, [a], 4)).toBe("undecided");
  });

  it("with fewerLost, weighs 4 lost (and a delay) against 8 lost", () => {
    // Rate ramping 10 °/s per sample (a swing's ~1000 °/s²), no accelerometer.
    const ramp = (k: number): Vec3 => [0, 100 + 10 * k, 0];
    const [gp, gl] = channel(ramp, 0);
    expect(motionVerdict(gp, gl, [ramp(4)], null, null, [], 8, 4)).toBe("delayed");
    expect(motionVerdict(gp, gl, [ramp(8)], null, null, [], 8, 4)).toBe("lost");
    expect(motionVerdict(gp, gl, [ramp(8)], null, null, [], 4, 4)).toBe("undecided");
  });

  it("at rest, or with nothing to compare, it is undecided", () => {
    const still: Vec3 = [0, 0, 0], g1: Vec3 = [0, 0, 9.81];
    expect(motionVerdict(still, still, [still], g1, g1, [g1], 4)).toBe("undecided");
    expect(motionVerdict(null, null, [], null, null, [], 4)).toBe("undecided");
    expect(motionVerdict(still, still, [still], g1, g1, [g1], 0)).toBe("undecided");
  });

  describe("a batch (several samples in the late notification): one smooth curve through both sides", () => {
    // Simulator, kettlebell-swing WitMotion seed 8 at 49.8 s (sacrum, gyro y, °/s): a swing starting
    // from rest, a 4-sample batch lost, the next batch late by one batch. The last two samples placed
    // were 0.2 and −2.3 °/s; the batch read −54.9, −70.6, −87.6, −104.6 °/s.
    const before: [Vec3, Vec3] = [[0.2, 0.2, -0.2], [-0.2, -2.3, 0.3]];
    const batch: Vec3[] = [[-1.5, -54.9, 3.5], [-1.8, -70.6, 4.3], [-2.4, -87.6, 5.4], [-2.9, -104.6, 6.2]];
    // 5 % loss, kettlebell-swing WitMotion seed 2 at 512.3 s (sacrum): the two samples before a lost
    // batch and the batch after it (gyro °/s, accelerometer m/s²).
    const g: Vec3[] = [[2.87, -52.49, -2.26], [3.91, -67.69, -3.17]];
    const gBatch: Vec3[] = [[9.46, -152.04, -7.02], [10.31, -168.64, -7.87], [11.47, -184.75, -8.67], [12.51, -200.5, -9.22]];
    const a: Vec3[] = [[2.4325, -0.3017, 12.3014], [2.5091, -0.2634, 12.4163]];

    it("a motion starting from rest: lost (the first sample alone, extrapolated linearly, cannot tell)", () => {
      expect(motionVerdict(before[0], before[1], batch.slice(0, 1), null, null, [], 4)).toBe("undecided");
      expect(motionVerdict(before[0], before[1], batch, null, null, [], 4)).toBe("lost");
    });

    it("a swing's turning point (rate through zero at ~1000 °/s²) decides either way", () => {
      // rate(t) = 270 sin(2π·0.8·t) °/s, 10 ms samples; the last placed one 20 ms before the zero
      // crossing. Lost: the quadratic through "delayed" misfits by 673 (°/s)². Delayed: the one
      // through "lost" bends to a 111 (°/s)² misfit (the first sample's extrapolation agrees).
      const rate = (k: number): Vec3 => [0, 270 * Math.sin(2 * Math.PI * 0.8 * (k * 0.01 - 0.02)), 0];
      const at = (first: number) => [0, 1, 2, 3].map((j) => rate(first + j));
      expect(motionVerdict(rate(-1), rate(0), at(1), null, null, [], 4)).toBe("delayed");
      expect(motionVerdict(rate(-1), rate(0), at(5), null, null, [], 4)).toBe("lost");
    });

    it("at rest it stays undecided (noise-sized misfits)", () => {
      const noise = (k: number): Vec3 => [0.05 * Math.sin(7 * k), -0.04 * Math.cos(5 * k), 0.03 * Math.sin(3 * k)];
      const b = [noise(1), noise(2), noise(3), noise(4)];
      expect(motionVerdict(noise(-1), noise(0), b, noise(-1), noise(0), b, 4)).toBe("undecided");
    });
    it("the accelerometer peaking inside the lost batch: its curve, not its first sample's extrapolation, speaks", () => {
      // Simulator, 5 % loss, kettlebell-swing WitMotion seed 2 at 512.3 s (sacrum). The rate says
      // "lost" outright; the accelerometer's z, rising before (12.30, 12.42 m/s²) and falling in the
      // batch (11.35 … 9.73), extrapolated from two samples leaned "delayed" and vetoed it. On one
      // curve: misfits 0.239 (m/s²)² contiguous, 0.005 after the loss, "lost".
      const aBatch: Vec3[] = [[2.8539, -0.2346, 11.3533], [2.9736, -0.1963, 10.8745], [3.0502, -0.1772, 10.3094], [3.1651, -0.1772, 9.73]];
      expect(motionVerdict(g[0], g[1], gBatch, null, null, [], 4)).toBe("lost");
      expect(motionVerdict(g[0], g[1], gBatch.slice(0, 1), a[0], a[1], aBatch.slice(0, 1), 4)).toBe("undecided");
      expect(motionVerdict(null, null, [], a[0], a[1], aBatch, 4)).toBe("lost");
      expect(motionVerdict(g[0], g[1], gBatch, a[0], a[1], aBatch, 4)).toBe("lost");
    });

    it("a batch that only leans still gives its channel's lean (no veto from the first sample's extrapolation)", () => {
      // The same rate; the accelerometer's z falling steadily in the batch (11.92 … 10.42 m/s²):
      // its curve leans "lost" without deciding, its first sample leans "delayed".
      const aBatch: Vec3[] = [0, 1, 2, 3].map((j) => [2.5, -0.26, 11.9163 - 0.5 * j]);
      expect(motionVerdict(null, null, [], a[0], a[1], aBatch, 4)).toBe("undecided");
      expect(motionVerdict(g[0], g[1], gBatch.slice(0, 1), a[0], a[1], aBatch.slice(0, 1), 4)).toBe("undecided");
      expect(motionVerdict(g[0], g[1], gBatch, a[0], a[1], aBatch, 4)).toBe("lost");
    });
  });
});

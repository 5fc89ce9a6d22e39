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
    expect(motionVerdict(gp, gl, gDelayed, ap, al, aDelayed, 4)).toBe("delayed");
    const [, , gLost] = channel(gyr, 4);
    const [, , aLost] = channel(acc, 4);
    expect(motionVerdict(gp, gl, gLost, ap, al, aLost, 4)).toBe("lost");
  });

  it("the rate leaning to a loss vetoes the accelerometer's 'delayed' (linear acceleration can mimic one)", () => {
    // Rate rising 7 °/s per sample, next sample 69 °/s: 4 lost predicts 54, delayed 27 (leans lost, not 4x).
    const gp: Vec3 = [0, 13, 0], gl: Vec3 = [0, 20, 0], g: Vec3 = [0, 69, 0];
    const ap: Vec3 = [10.5, 0, 0], al: Vec3 = [10.7, 0, 0], a: Vec3 = [10.9, 0, 0];
    expect(motionVerdict(null, null, undefined, ap, al, a, 4)).toBe("delayed");
    expect(motionVerdict(gp, gl, g, ap, al, a, 4)).toBe("undecided");
  });

  it("with fewerLost, weighs 4 lost (and a delay) against 8 lost", () => {
    // Rate ramping 10 °/s per sample (a swing's ~1000 °/s²), no accelerometer.
    const ramp = (k: number): Vec3 => [0, 100 + 10 * k, 0];
    const [gp, gl] = channel(ramp, 0);
    expect(motionVerdict(gp, gl, ramp(4), null, null, undefined, 8, 4)).toBe("delayed");
    expect(motionVerdict(gp, gl, ramp(8), null, null, undefined, 8, 4)).toBe("lost");
    expect(motionVerdict(gp, gl, ramp(8), null, null, undefined, 4, 4)).toBe("undecided");
  });

  it("at rest, or with nothing to compare, it is undecided", () => {
    const still: Vec3 = [0, 0, 0], g1: Vec3 = [0, 0, 9.81];
    expect(motionVerdict(still, still, still, g1, g1, g1, 4)).toBe("undecided");
    expect(motionVerdict(null, null, undefined, null, null, undefined, 4)).toBe("undecided");
    expect(motionVerdict(still, still, still, g1, g1, g1, 0)).toBe("undecided");
  });
});

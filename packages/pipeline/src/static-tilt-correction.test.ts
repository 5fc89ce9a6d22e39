import { describe, expect, it } from "vitest";
import { quatConjugate, quatFromAxisAngle, quatMultiply, quatRotateInverse } from "@spinewatch/kinematics";
import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";
import { StaticTiltCorrection } from "./static-tilt-correction.js";

const G = 9.80665;
const RAD = Math.PI / 180;
const upError = (q: QuatWxyz, truth: QuatWxyz) => {
  const a = quatRotateInverse(q, [0, 0, 1]), b = quatRotateInverse(truth, [0, 0, 1]);
  return Math.acos(Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2])) / RAD;
};

describe("StaticTiltCorrection", () => {
  // True orientation: 30° about y, 50° of heading. The filter believes 5° more tilt about x.
  const truth = quatMultiply(quatFromAxisAngle([0, 0, 1], 50 * RAD), quatFromAxisAngle([0, 1, 0], 30 * RAD));
  const wrong = quatMultiply(quatFromAxisAngle([1, 0, 0], 5 * RAD), truth);
  const accStill = quatRotateInverse(truth, [0, 0, G]);

  it("fixes a 5° tilt error after 100 ms of stillness with a rotation about a horizontal axis (tolerance 0.01°)", () => {
    const c = new StaticTiltCorrection();
    let fix: QuatWxyz | null = null;
    let n = 0;
    while (fix === null && n < 50) {
      fix = c.next(wrong, accStill, [0.5, -0.3, 0.2], 10);
      n++;
    }
    expect(fix).not.toBeNull();
    expect(n).toBe(11); // 100 ms after the first still sample at 100 Hz
    expect(upError(fix!, truth)).toBeLessThan(0.01);
    // The correction is a world rotation about a horizontal axis: no turn about world up.
    const r = quatMultiply(fix!, quatConjugate(wrong));
    expect(Math.abs(r[3])).toBeLessThan(1e-9);
    expect(c.confirmed).toBe(true);
    // One check per still stretch.
    expect(c.next(wrong, accStill, [0, 0, 0], 10)).toBeNull();
  });

  it("checkNow checks a stretch of 2 samples or more at once, once; 1 sample or a moving sensor is no check (tolerance 0.01°)", () => {
    const c = new StaticTiltCorrection();
    expect(c.checkNow(wrong)).toBeNull();
    c.next(wrong, accStill, [0, 0, 0], 10);
    expect(c.checkNow(wrong)).toBeNull();
    expect(c.confirmed).toBe(false);
    c.next(wrong, accStill, [0, 0, 0], 10);
    const fix = c.checkNow(wrong);
    expect(c.confirmed).toBe(true);
    expect(upError(fix!, truth)).toBeLessThan(0.01);
    expect(c.checkNow(wrong)).toBeNull(); // checked already
    const moving = new StaticTiltCorrection();
    for (let i = 0; i < 5; i++) moving.next(wrong, accStill, [30, 0, 0], 10);
    expect(moving.checkNow(wrong)).toBeNull();
    expect(moving.confirmed).toBe(false);
  });

  it("leaves a tilt error under 2° to the filter for 0.4 s, then corrects it if over 1° (tolerance 0.01°)", () => {
    const c = new StaticTiltCorrection();
    const slightly = quatMultiply(quatFromAxisAngle([1, 0, 0], 1.5 * RAD), truth);
    let fix: QuatWxyz | null = null;
    let n = 0;
    while (fix === null && n < 100) {
      fix = c.next(slightly, accStill, [0, 0, 0], 10);
      n++;
      if (n === 20) expect(c.confirmed).toBe(true);
    }
    expect(n).toBe(41); // 400 ms after the first still sample at 100 Hz
    expect(upError(fix!, truth)).toBeLessThan(0.01);
    // Nothing more in this stretch.
    for (let i = 0; i < 200; i++) expect(c.next(slightly, accStill, [0, 0, 0], 10)).toBeNull();
    // 0.8° is within the accelerometer's own error: confirmed, never corrected.
    const c2 = new StaticTiltCorrection();
    const barely = quatMultiply(quatFromAxisAngle([1, 0, 0], 0.8 * RAD), truth);
    for (let i = 0; i < 300; i++) expect(c2.next(barely, accStill, [0, 0, 0], 10)).toBeNull();
    expect(c2.confirmed).toBe(true);
  });

  it("a brief stop (under 0.4 s) leaves a 1.5° error alone: its deceleration may still be in it", () => {
    const c = new StaticTiltCorrection();
    const slightly = quatMultiply(quatFromAxisAngle([1, 0, 0], 1.5 * RAD), truth);
    for (let rep = 0; rep < 5; rep++) {
      for (let i = 0; i < 30; i++) expect(c.next(slightly, accStill, [0, 0, 0], 10)).toBeNull();
      c.next(slightly, accStill, [50, 0, 0], 10); // the next swing
    }
  });

  it("after a gap, the first brief stop corrects a 1.7° error (the dead zone between the filter's 1.5° and 2°), then only above 2° again (tolerance 0.01°)", () => {
    const c = new StaticTiltCorrection();
    const off = quatMultiply(quatFromAxisAngle([1, 0, 0], 1.7 * RAD), truth);
    c.expectError();
    c.next(off, accStill, [50, 0, 0], 10); // still swinging: the expectation outlives the stretch
    let fix: QuatWxyz | null = null;
    let n = 0;
    while (fix === null && n < 30) {
      fix = c.next(off, accStill, [0, 0, 0], 10);
      n++;
    }
    expect(n).toBe(11); // the 100 ms stop, not the 0.4 s rest
    expect(upError(fix!, truth)).toBeLessThan(0.01);
    // Used up by that check: the next brief stop leaves 1.7° alone, as before.
    c.next(off, accStill, [50, 0, 0], 10);
    for (let i = 0; i < 30; i++) expect(c.next(off, accStill, [0, 0, 0], 10)).toBeNull();
    // clear() forgets it.
    const d = new StaticTiltCorrection();
    d.expectError();
    d.clear();
    for (let i = 0; i < 30; i++) expect(d.next(off, accStill, [0, 0, 0], 10)).toBeNull();
  });

  it("expectError(1.5) (after a pivot fit): the next brief stop corrects 1.7°, leaves 1.3° (tolerance 0.01°)", () => {
    const firstStop = (offDeg: number): QuatWxyz | null => {
      const c = new StaticTiltCorrection();
      const off = quatMultiply(quatFromAxisAngle([1, 0, 0], offDeg * RAD), truth);
      c.expectError(1.5);
      let fix: QuatWxyz | null = null;
      for (let i = 0; i < 30 && fix === null; i++) fix = c.next(off, accStill, [0, 0, 0], 10);
      return fix;
    };
    expect(upError(firstStop(1.7)!, truth)).toBeLessThan(0.01);
    expect(firstStop(1.3)).toBeNull();
  });

  it("a first check waits while the accelerometer's 'up' still drifts (a deceleration's tail), unless a gap left an error to expect", () => {
    // The filter has it right; the accelerometer reads 3.0° off decaying to 1.5° over the stop's
    // first 100 ms (mean 2.25°, over the 2° check), then steadies at 1.5°.
    const accAt = (deg: number) => quatRotateInverse(quatMultiply(quatFromAxisAngle([1, 0, 0], deg * RAD), truth), [0, 0, G]) as Vec3;
    const stop = (c: StaticTiltCorrection): QuatWxyz | null => {
      let fix: QuatWxyz | null = null;
      for (let i = 0; i < 11 && fix === null; i++) fix = c.next(truth, accAt(3.0 - (1.5 * i) / 10), [0, 0, 0], 10);
      for (let i = 0; i < 30 && fix === null; i++) fix = c.next(truth, accAt(1.5), [0, 0, 0], 10);
      return fix;
    };
    expect(stop(new StaticTiltCorrection())).toBeNull();
    // Without the trend test (maxTrendDeg Infinity) the tail was taken for the tilt: 2.25° off.
    const untested = stop(new StaticTiltCorrection({ maxTrendDeg: Infinity }));
    expect(upError(untested!, truth)).toBeGreaterThan(2);
    // After a gap the first stop is checked as before (tolerance: a correction was made).
    const afterGap = new StaticTiltCorrection();
    afterGap.expectError();
    expect(stop(afterGap)).not.toBeNull();
  });

  it("does nothing while the sensor turns faster than 4 °/s or the acceleration changes", () => {
    const turning = new StaticTiltCorrection();
    for (let i = 0; i < 30; i++) expect(turning.next(wrong, accStill, [5, 0, 0], 10)).toBeNull();
    expect(turning.confirmed).toBe(false);
    // A horizontal acceleration sweeping 0 → 3 m/s² over 300 ms (a trunk speeding up without turning).
    const accelerating = new StaticTiltCorrection();
    for (let i = 0; i < 30; i++) {
      const a: Vec3 = [accStill[0] + (i / 30) * 3.0, accStill[1], accStill[2]];
      expect(accelerating.next(wrong, a, [0, 0, 0], 10)).toBeNull();
    }
    expect(accelerating.confirmed).toBe(false);
  });
});

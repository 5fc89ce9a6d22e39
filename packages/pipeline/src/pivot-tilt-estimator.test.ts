import { describe, expect, it } from "vitest";
import { quatRotateInverse } from "@spinewatch/kinematics";
import type { Vec3 } from "@spinewatch/protocol";
import { PivotTiltEstimator } from "./pivot-tilt-estimator.js";
import { pivotSwingAt } from "./testing/pivot-swing.js";

const RAD = Math.PI / 180;
const angleDeg = (a: Vec3, b: Vec3) => Math.acos(Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2])) / RAD;

describe("PivotTiltEstimator", () => {
  it("finds the tilt of a sensor swinging about the hips from 250 ms of motion (tolerance 0.5°), where one accelerometer sample is off by > 4°", () => {
    // Start at mid-swing: the fastest moment, the most centripetal acceleration.
    for (const startS of [0.2, 0.375, 1.0]) {
      const est = new PivotTiltEstimator();
      let t = startS;
      let s = pivotSwingAt(t);
      const firstAccUp = s.accMps2.map((v) => v / Math.hypot(...s.accMps2)) as Vec3;
      const firstTrueUp = quatRotateInverse(s.quatWxyz, [0, 0, 1]);
      est.next(s.accMps2, s.gyrDps, 0);
      for (let i = 1; i <= 25; i++) {
        t = startS + i * 0.01;
        s = pivotSwingAt(t);
        est.next(s.accMps2, s.gyrDps, 0.01);
      }
      const sol = est.solve()!;
      expect(sol.ok).toBe(true);
      expect(Math.abs(sol.gravityMps2 - 9.80665)).toBeLessThan(0.05);
      expect(angleDeg(sol.upSensor, quatRotateInverse(s.quatWxyz, [0, 0, 1]))).toBeLessThan(0.5);
      if (startS === 0.375) expect(angleDeg(firstAccUp, firstTrueUp)).toBeGreaterThan(4);
    }
  });

  it("refuses a window without enough rotation (gravity and acceleration cannot be told apart)", () => {
    const est = new PivotTiltEstimator();
    // Constant 2 m/s² forward push, no rotation: the fit would call it a tilted gravity.
    for (let i = 0; i < 50; i++) est.next([2, 0, 9.80665], [0, 0, 0], 0.01);
    const sol = est.solve();
    expect(sol === null || !sol.ok).toBe(true);
  });

  it("refuses motion the pivot model does not explain (misfit or |g| check)", () => {
    const est = new PivotTiltEstimator();
    // Rotating at 100 °/s about z while being shaken ±4 m/s² at 3 Hz in the sensor's x: not a rigid turn about a fixed point.
    for (let i = 0; i < 60; i++) {
      const t = i * 0.01;
      est.next([4 * Math.sin(2 * Math.PI * 3 * t), 0, 9.80665], [0, 0, 100], 0.01);
    }
    const sol = est.solve();
    expect(sol === null || !sol.ok).toBe(true);
  });
});

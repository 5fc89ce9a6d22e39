import { describe, expect, it } from "vitest";
import { quatFromAxisAngle, quatFromTwoVectors, quatMultiply, quatRotate, quatRotateInverse } from "@spinewatch/kinematics";
import { STANDARD_GRAVITY_MPS2 as G_MPS2, type QuatWxyz, type Vec3 } from "@spinewatch/protocol";
import { JointTiltEstimator } from "./joint-tilt-estimator.js";
import { PartnerMotion } from "./partner-motion.js";
import { PivotTiltEstimator } from "./pivot-tilt-estimator.js";

/**
 * A hinge with the hips travelling: the pelvis turns forward about the hip at 115 °/s while the
 * hip moves back with a steady 0.5 m/s² (a deadlift's hips), and the thorax bends a further
 * 57 °/s about a lumbar joint 15 cm above the hip. Perfect sensors (sensor axes = segment axes),
 * samples at 100 Hz, accelerations by central differences of the positions.
 */
const Y: Vec3 = [0, 1, 0];
const pelvisAt = (tS: number): QuatWxyz => quatFromAxisAngle(Y, 0.3 + 2 * tS);
const thoraxAt = (tS: number): QuatWxyz => quatMultiply(pelvisAt(tS), quatFromAxisAngle(Y, 0.2 + 1 * tS));
const HIP_ACC_MPS2 = -0.5;
const hipAt = (tS: number): Vec3 => [0.2 * tS + 0.5 * HIP_ACC_MPS2 * tS * tS, 0, 0.9];
const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const sacrumPosAt = (tS: number): Vec3 => add(hipAt(tS), quatRotate(pelvisAt(tS), [-0.1, 0, 0.1]));
const thoraxPosAt = (tS: number): Vec3 => add(add(hipAt(tS), quatRotate(pelvisAt(tS), [0, 0, 0.15])), quatRotate(thoraxAt(tS), [-0.1, 0, 0.3]));

function imu(pos: (tS: number) => Vec3, q: (tS: number) => QuatWxyz, rateDps: number, tS: number): { acc: Vec3; gyr: Vec3 } {
  const h = 1e-4;
  const p0 = pos(tS - h), p1 = pos(tS), p2 = pos(tS + h);
  const a: Vec3 = [0, 1, 2].map((i) => (p0[i] - 2 * p1[i] + p2[i]) / (h * h)) as Vec3;
  return { acc: quatRotateInverse(q(tS), [a[0], a[1], a[2] + G_MPS2]), gyr: [0, rateDps, 0] };
}

/** Tilt between two orientations' "up" in sensor axes, degrees. */
function tiltErrorDeg(q: QuatWxyz, truth: QuatWxyz): number {
  const a = quatRotateInverse(q, [0, 0, 1]), b = quatRotateInverse(truth, [0, 0, 1]);
  return (Math.acos(Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2])) * 180) / Math.PI;
}

describe("JointTiltEstimator", () => {
  it("finds the tilt of a sensor back from a gap within 0.8° where the hips travel, the pivot fit 2-3° off (300 ms)", () => {
    const partner = new PartnerMotion();
    partner.setWorldAlign("sacrum", [1, 0, 0, 0]);
    partner.setWorldAlign("thoracic", [1, 0, 0, 0]);
    // The sacrum's bridged orientation: 3° off about its own x axis.
    const bridgeError = quatFromAxisAngle([1, 0, 0], (3 * Math.PI) / 180);
    const joint = new JointTiltEstimator(partner, "sacrum");
    const pivot = new PivotTiltEstimator();
    let last: QuatWxyz = [1, 0, 0, 0];
    for (let k = -20; k <= 30; k++) {
      const tS = k / 100;
      const t = imu(thoraxPosAt, thoraxAt, (3 * 180) / Math.PI, tS);
      partner.record("thoracic", tS * 1000, thoraxAt(tS), t.acc, t.gyr, true);
      if (k < 0) continue;
      const s = imu(sacrumPosAt, pelvisAt, (2 * 180) / Math.PI, tS);
      last = quatMultiply(pelvisAt(tS), bridgeError);
      joint.next(last, s.acc, s.gyr, tS * 1000);
      pivot.next(s.acc, s.gyr, k === 0 ? 0 : 0.01);
    }
    const sol = joint.solve();
    expect(sol).not.toBeNull();
    // Tolerance 0.8° (measured 0.74°): the fit takes the bridge's error as one tilt of the world
    // axes, but an error fixed in the sensor's axes turns with the sensor (34° in the window).
    // Modelled in the sensor's axes (δ, linearized) it was 0.45° here, but on the simulator its
    // linearization lost the large errors the world-axes form takes (max flexion error 8.1°
    // against 2.0°, branch joint-tilt-wip measurements, docs/BENCHMARKS.md session 13).
    const fixed = quatMultiply(last, quatFromTwoVectors(quatRotateInverse(last, sol!.upWorld), quatRotateInverse(last, [0, 0, 1])));
    expect(tiltErrorDeg(fixed, pelvisAt(0.3))).toBeLessThan(0.8);
    expect(Math.abs(sol!.gravityMps2 / G_MPS2 - 1)).toBeLessThan(0.01);
    expect(sol!.turnedDeg).toBeGreaterThan(30);
    // The pivot fit reads the hip's 0.5 m/s² as a tilt of atan(0.5 / 9.81) ≈ 2.9°.
    const p = pivot.solve();
    const pivotFixed = quatMultiply(last, quatFromTwoVectors(p!.upSensor, quatRotateInverse(last, [0, 0, 1])));
    expect(tiltErrorDeg(pivotFixed, pelvisAt(0.3))).toBeGreaterThan(1.5);
  });

  it("gives nothing without the other sensor's data, or after its run broke", () => {
    const partner = new PartnerMotion();
    partner.setWorldAlign("sacrum", [1, 0, 0, 0]);
    partner.setWorldAlign("thoracic", [1, 0, 0, 0]);
    const joint = new JointTiltEstimator(partner, "sacrum");
    for (let k = 0; k <= 30; k++) {
      const tS = k / 100;
      const s = imu(sacrumPosAt, pelvisAt, (2 * 180) / Math.PI, tS);
      joint.next(pelvisAt(tS), s.acc, s.gyr, tS * 1000);
    }
    expect(joint.solve()).toBeNull();
    // The other sensor there from before, then stale for a sample in the middle: its velocity
    // change restarts, which would read as a jump.
    joint.reset();
    for (let k = -20; k <= 30; k++) {
      const tS = k / 100;
      const t = imu(thoraxPosAt, thoraxAt, (3 * 180) / Math.PI, tS);
      partner.record("thoracic", tS * 1000, thoraxAt(tS), t.acc, t.gyr, k !== 15);
      if (k < 0) continue;
      const s = imu(sacrumPosAt, pelvisAt, (2 * 180) / Math.PI, tS);
      joint.next(pelvisAt(tS), s.acc, s.gyr, tS * 1000);
    }
    expect(joint.valid).toBe(false);
    expect(joint.solve()).toBeNull();
  });
});

import { STANDARD_GRAVITY_MPS2 as G_MPS2 } from "@spinewatch/protocol";
import { quatFromAxisAngle, quatMultiply, quatRotate, quatRotateInverse, RAD_PER_DEG } from "@spinewatch/kinematics";
import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";

export interface PivotSwingOptions {
  /** Swing period, s (a kettlebell swing's cycle is 1.25-1.9 s: LUMBAR-FACTS.md). */
  periodS: number;
  /** Peak forward pitch, degrees (hinge depth 60-80°). */
  peakDeg: number;
  /** Lever arm from the pivot (hips) to the sensor, in the sensor's axes, m. */
  leverM: Vec3;
  /** Mounting: sensor axes relative to the upright segment. */
  mount: QuatWxyz;
}

export const DEFAULT_PIVOT_SWING: Readonly<PivotSwingOptions> = {
  periodS: 1.5,
  peakDeg: 70,
  leverM: [0.05, 0.55, 0.1],
  mount: quatFromAxisAngle([0.3, 1, 0.2].map((v) => v / Math.hypot(0.3, 1, 0.2)) as Vec3, 25 * RAD_PER_DEG),
};

/**
 * Exact IMU readings of a sensor on a segment swinging about a fixed pivot (a hip hinge without
 * hip travel): pitch θ(t) = peak/2·(1 − cos 2πt/P) about the world y axis (NWU), so the angular
 * rate is zero only at the two instants of each cycle's ends (no still stretch: a quasi-static
 * tilt fix never fires). Test support for the orientation stage and the pivot tilt fit.
 */
export function pivotSwingAt(tS: number, o: PivotSwingOptions = DEFAULT_PIVOT_SWING): { quatWxyz: QuatWxyz; accMps2: Vec3; gyrDps: Vec3 } {
  const w = (2 * Math.PI) / o.periodS;
  const amp = (o.peakDeg / 2) * RAD_PER_DEG;
  const theta = (t: number) => amp * (1 - Math.cos(w * t));
  const q = (t: number) => quatMultiply(quatFromAxisAngle([0, 1, 0], theta(t)), o.mount);
  const pos = (t: number) => quatRotate(q(t), o.leverM);
  // World acceleration by a central second difference (h = 1 ms: error ~h²·p'''' ≪ 1e-4 m/s²).
  const h = 1e-3;
  const p0 = pos(tS - h), p1 = pos(tS), p2 = pos(tS + h);
  const aWorld: Vec3 = [0, 1, 2].map((i) => (p0[i] - 2 * p1[i] + p2[i]) / (h * h)) as Vec3;
  const qNow = q(tS);
  const accMps2 = quatRotateInverse(qNow, [aWorld[0], aWorld[1], aWorld[2] + G_MPS2]);
  const rateDps = (amp * w * Math.sin(w * tS)) / RAD_PER_DEG;
  const gyrDps = quatRotateInverse(qNow, [0, rateDps, 0]);
  return { quatWxyz: qNow, accMps2, gyrDps };
}

/** Angle between the true "up" and the estimated one, both in sensor axes, degrees (tilt error; heading ignored). */
export function tiltErrorDeg(estimate: Readonly<QuatWxyz>, truth: Readonly<QuatWxyz>): number {
  const a = quatRotateInverse(estimate, [0, 0, 1]);
  const b = quatRotateInverse(truth, [0, 0, 1]);
  return Math.acos(Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2])) / RAD_PER_DEG;
}

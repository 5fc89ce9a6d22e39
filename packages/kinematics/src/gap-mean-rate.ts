import type { Vec3 } from "@spinewatch/protocol";

/**
 * Mean body angular rate over a step of `spanS` seconds whose inner samples were lost, from the
 * rates at its two ends (w0Dps, w1Dps, °/s) and their time derivatives (a0Dps2, a1Dps2, °/s²):
 * the integral of the cubic Hermite through (ω0, α0) and (ω1, α1) divided by the span,
 *   ∫ω dt / T = (ω0 + ω1)/2 + T·(α0 − α1)/12,
 * the end-corrected trapezoidal rule (Euler-Maclaurin; Davis & Rabinowitz, "Methods of Numerical
 * Integration", §2.9): its error is T⁴/720·ω⁗ against the midpoint-of-ends rule's T²/12·ω''.
 * In a swing (ω'' ≈ 4400 °/s³, ω⁗ ≈ 8·10⁴ °/s⁵) over a 200 ms gap that is 0.04° instead of
 * 2.9° of rotation (bench/diagnose-residuals.ts traced rep peaks carried 1.5-2.3° off after
 * 117-217 ms bursts to the plain rule).
 *
 * With `a1Dps2` null (the sample after the end is not there yet) it is the quadratic through ω0,
 * α0 and ω1: (2ω0 + ω1)/3 + T·α0/6, error T³/72·ω'''. Per axis in the sensor's axes: exact for
 * rotation about an axis fixed in the body (a hinge), coning over one gap neglected.
 */
export function gapMeanRateDps(
  w0Dps: Readonly<Vec3>,
  a0Dps2: Readonly<Vec3>,
  w1Dps: Readonly<Vec3>,
  a1Dps2: Readonly<Vec3> | null,
  spanS: number,
  out: Vec3 = [0, 0, 0],
): Vec3 {
  for (let i = 0; i < 3; i++) {
    out[i] = a1Dps2 === null
      ? (2 * w0Dps[i] + w1Dps[i]) / 3 + (spanS * a0Dps2[i]) / 6
      : 0.5 * (w0Dps[i] + w1Dps[i]) + (spanS * (a0Dps2[i] - a1Dps2[i])) / 12;
  }
  return out;
}

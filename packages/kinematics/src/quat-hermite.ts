import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";
import { quatConjugate, quatFromRotationVector, quatMultiply, quatToRotationVector } from "./quat.js";

const RAD_PER_DEG = Math.PI / 180;

/**
 * Orientation at fraction `u` (0..1) of a span of `spanS` seconds between q0 and q1 whose body
 * angular rates at the ends are w0Dps and w1Dps (°/s, in each end's sensor axes, as an
 * orientation filter's q ← q ⊗ exp(dt·ω/2) uses them): a cubic Hermite curve in the rotation
 * vector space at q0, q(u) = q0 ⊗ exp(r(u)), with r(0) = 0, r(1) = log(q0⁻¹ ⊗ q1) and
 * r′(0) = spanS·ω0, r′(1) = spanS·ω1 (the tangent-space form of Kim, Kim & Shin, "A general
 * construction scheme for unit quaternion curves with simple high order derivatives", SIGGRAPH
 * 1995). Where slerp turns at a constant rate, this follows the rates at both ends: a turning
 * point inside the span (a swing's peak during lost samples) is kept, not cut off. Rates are
 * taken in q0's axes, exact for rotation about one axis and second order in the span's rotation
 * otherwise (meant for spans of tens of milliseconds).
 */
export function quatHermite(
  q0: Readonly<QuatWxyz>,
  w0Dps: Readonly<Vec3>,
  q1: Readonly<QuatWxyz>,
  w1Dps: Readonly<Vec3>,
  spanS: number,
  u: number,
  out: QuatWxyz = [0, 0, 0, 0],
): QuatWxyz {
  const r1 = quatToRotationVector(quatMultiply(quatConjugate(q0), q1));
  const u2 = u * u, u3 = u2 * u;
  // Hermite basis: h10 (start tangent), h01 (end point), h11 (end tangent); h00 multiplies r(0) = 0.
  const h10 = u3 - 2 * u2 + u, h01 = -2 * u3 + 3 * u2, h11 = u3 - u2;
  const k = spanS * RAD_PER_DEG;
  const r: Vec3 = [
    h10 * k * w0Dps[0] + h01 * r1[0] + h11 * k * w1Dps[0],
    h10 * k * w0Dps[1] + h01 * r1[1] + h11 * k * w1Dps[1],
    h10 * k * w0Dps[2] + h01 * r1[2] + h11 * k * w1Dps[2],
  ];
  return quatMultiply(q0, quatFromRotationVector(r), out);
}

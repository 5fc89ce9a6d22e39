import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";
import { DEG_PER_RAD } from "./vec3.js";

/**
 * Quaternion helpers on plain number arrays, scalar first [w, x, y, z], Hamilton product.
 * An orientation q maps body-frame vectors into the reference frame: v_ref = q v_body q*.
 * Functions taking `out` write into it and return it, so hot paths can avoid allocation.
 */

export const QUAT_IDENTITY: Readonly<QuatWxyz> = [1, 0, 0, 0];

export function quatIdentity(): QuatWxyz {
  return [1, 0, 0, 0];
}

/** a ⊗ b (apply b first, then a, when both are rotations). */
export function quatMultiply(a: Readonly<QuatWxyz>, b: Readonly<QuatWxyz>, out: QuatWxyz = [0, 0, 0, 0]): QuatWxyz {
  const aw = a[0], ax = a[1], ay = a[2], az = a[3];
  const bw = b[0], bx = b[1], by = b[2], bz = b[3];
  out[0] = aw * bw - ax * bx - ay * by - az * bz;
  out[1] = aw * bx + ax * bw + ay * bz - az * by;
  out[2] = aw * by - ax * bz + ay * bw + az * bx;
  out[3] = aw * bz + ax * by - ay * bx + az * bw;
  return out;
}

export function quatConjugate(q: Readonly<QuatWxyz>, out: QuatWxyz = [0, 0, 0, 0]): QuatWxyz {
  out[0] = q[0];
  out[1] = -q[1];
  out[2] = -q[2];
  out[3] = -q[3];
  return out;
}

/** conj(a) ⊗ b: the rotation of b expressed in a's frame (e.g. R_pelvis^T R_thorax). */
export function quatRelative(a: Readonly<QuatWxyz>, b: Readonly<QuatWxyz>, out: QuatWxyz = [0, 0, 0, 0]): QuatWxyz {
  const aw = a[0], ax = -a[1], ay = -a[2], az = -a[3];
  const bw = b[0], bx = b[1], by = b[2], bz = b[3];
  out[0] = aw * bw - ax * bx - ay * by - az * bz;
  out[1] = aw * bx + ax * bw + ay * bz - az * by;
  out[2] = aw * by - ax * bz + ay * bw + az * bx;
  out[3] = aw * bz + ax * by - ay * bx + az * bw;
  return out;
}

export function quatNorm(q: Readonly<QuatWxyz>): number {
  return Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
}

export function quatNormalize(q: Readonly<QuatWxyz>, out: QuatWxyz = [0, 0, 0, 0]): QuatWxyz {
  const n = quatNorm(q);
  if (n === 0) {
    out[0] = 1;
    out[1] = 0;
    out[2] = 0;
    out[3] = 0;
    return out;
  }
  const s = 1 / n;
  out[0] = q[0] * s;
  out[1] = q[1] * s;
  out[2] = q[2] * s;
  out[3] = q[3] * s;
  return out;
}

/** Rotate v by q: q v q*. Uses the two-cross-product form (t = 2 q_v × v; v' = v + w t + q_v × t). */
export function quatRotate(q: Readonly<QuatWxyz>, v: Readonly<Vec3>, out: Vec3 = [0, 0, 0]): Vec3 {
  const w = q[0], qx = q[1], qy = q[2], qz = q[3];
  const vx = v[0], vy = v[1], vz = v[2];
  const tx = 2 * (qy * vz - qz * vy);
  const ty = 2 * (qz * vx - qx * vz);
  const tz = 2 * (qx * vy - qy * vx);
  out[0] = vx + w * tx + (qy * tz - qz * ty);
  out[1] = vy + w * ty + (qz * tx - qx * tz);
  out[2] = vz + w * tz + (qx * ty - qy * tx);
  return out;
}

/** Rotate v by q⁻¹ (reference frame into body frame). */
export function quatRotateInverse(q: Readonly<QuatWxyz>, v: Readonly<Vec3>, out: Vec3 = [0, 0, 0]): Vec3 {
  return quatRotate([q[0], -q[1], -q[2], -q[3]], v, out);
}

/** Rotation of `angleRad` about a unit `axis`. */
export function quatFromAxisAngle(axis: Readonly<Vec3>, angleRad: number, out: QuatWxyz = [0, 0, 0, 0]): QuatWxyz {
  const h = angleRad / 2;
  const s = Math.sin(h);
  out[0] = Math.cos(h);
  out[1] = axis[0] * s;
  out[2] = axis[1] * s;
  out[3] = axis[2] * s;
  return out;
}

/** Rotation vector (axis × angle, radians) of a unit quaternion, shortest way round. */
export function quatToRotationVector(q: Readonly<QuatWxyz>, out: Vec3 = [0, 0, 0]): Vec3 {
  let w = q[0], x = q[1], y = q[2], z = q[3];
  if (w < 0) {
    w = -w; x = -x; y = -y; z = -z;
  }
  const s = Math.sqrt(x * x + y * y + z * z);
  if (s < 1e-12) {
    out[0] = 2 * x;
    out[1] = 2 * y;
    out[2] = 2 * z;
    return out;
  }
  const k = (2 * Math.atan2(s, w)) / s;
  out[0] = x * k;
  out[1] = y * k;
  out[2] = z * k;
  return out;
}

/** Quaternion of a rotation vector (axis × angle, radians). */
export function quatFromRotationVector(r: Readonly<Vec3>, out: QuatWxyz = [0, 0, 0, 0]): QuatWxyz {
  const a = Math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
  if (a < 1e-12) {
    out[0] = 1;
    out[1] = r[0] / 2;
    out[2] = r[1] / 2;
    out[3] = r[2] / 2;
    return quatNormalize(out, out);
  }
  return quatFromAxisAngle([r[0] / a, r[1] / a, r[2] / a], a, out);
}

/** Angle of the rotation taking a to b, degrees in [0, 180] (sign of q ignored). */
export function quatAngleBetweenDeg(a: Readonly<QuatWxyz>, b: Readonly<QuatWxyz>): number {
  const d = Math.abs(a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3]) / (quatNorm(a) * quatNorm(b));
  return 2 * Math.acos(Math.min(1, d)) * DEG_PER_RAD;
}

/** Spherical linear interpolation from a (t = 0) to b (t = 1), shortest path. */
export function quatSlerp(a: Readonly<QuatWxyz>, b: Readonly<QuatWxyz>, t: number, out: QuatWxyz = [0, 0, 0, 0]): QuatWxyz {
  let bw = b[0], bx = b[1], by = b[2], bz = b[3];
  let c = a[0] * bw + a[1] * bx + a[2] * by + a[3] * bz;
  if (c < 0) {
    c = -c; bw = -bw; bx = -bx; by = -by; bz = -bz;
  }
  let ka: number, kb: number;
  if (c > 0.9995) {
    // Nearly parallel: linear interpolation then normalisation is accurate and avoids 0/0.
    ka = 1 - t;
    kb = t;
  } else {
    const theta = Math.acos(c);
    const s = Math.sin(theta);
    ka = Math.sin((1 - t) * theta) / s;
    kb = Math.sin(t * theta) / s;
  }
  out[0] = ka * a[0] + kb * bw;
  out[1] = ka * a[1] + kb * bx;
  out[2] = ka * a[2] + kb * by;
  out[3] = ka * a[3] + kb * bz;
  return quatNormalize(out, out);
}

/** Row-major 3×3 rotation matrix of a unit quaternion (columns are the body axes in the reference frame). */
export function quatToMatrix(q: Readonly<QuatWxyz>): number[] {
  const [w, x, y, z] = q;
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  ];
}

/** Unit quaternion of a row-major 3×3 rotation matrix (Shepperd's method, numerically stable). */
export function quatFromMatrix(m: readonly number[], out: QuatWxyz = [0, 0, 0, 0]): QuatWxyz {
  const m00 = m[0], m01 = m[1], m02 = m[2];
  const m10 = m[3], m11 = m[4], m12 = m[5];
  const m20 = m[6], m21 = m[7], m22 = m[8];
  const tr = m00 + m11 + m22;
  if (tr > 0) {
    const s = Math.sqrt(tr + 1) * 2;
    out[0] = 0.25 * s;
    out[1] = (m21 - m12) / s;
    out[2] = (m02 - m20) / s;
    out[3] = (m10 - m01) / s;
  } else if (m00 > m11 && m00 > m22) {
    const s = Math.sqrt(1 + m00 - m11 - m22) * 2;
    out[0] = (m21 - m12) / s;
    out[1] = 0.25 * s;
    out[2] = (m01 + m10) / s;
    out[3] = (m02 + m20) / s;
  } else if (m11 > m22) {
    const s = Math.sqrt(1 + m11 - m00 - m22) * 2;
    out[0] = (m02 - m20) / s;
    out[1] = (m01 + m10) / s;
    out[2] = 0.25 * s;
    out[3] = (m12 + m21) / s;
  } else {
    const s = Math.sqrt(1 + m22 - m00 - m11) * 2;
    out[0] = (m10 - m01) / s;
    out[1] = (m02 + m20) / s;
    out[2] = (m12 + m21) / s;
    out[3] = 0.25 * s;
  }
  if (out[0] < 0) {
    out[0] = -out[0]; out[1] = -out[1]; out[2] = -out[2]; out[3] = -out[3];
  }
  return quatNormalize(out, out);
}

/**
 * Orientation whose body axes (columns) are given in the reference frame. The axes must be
 * orthonormal and right-handed.
 */
export function quatFromAxes(xAxis: Readonly<Vec3>, yAxis: Readonly<Vec3>, zAxis: Readonly<Vec3>): QuatWxyz {
  return quatFromMatrix([
    xAxis[0], yAxis[0], zAxis[0],
    xAxis[1], yAxis[1], zAxis[1],
    xAxis[2], yAxis[2], zAxis[2],
  ]);
}

/** Shortest rotation taking unit vector a onto unit vector b. */
export function quatFromTwoVectors(a: Readonly<Vec3>, b: Readonly<Vec3>): QuatWxyz {
  const d = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  if (d < -1 + 1e-12) {
    // Opposite: any axis perpendicular to a.
    const ax: Vec3 = Math.abs(a[0]) < 0.9 ? [0, -a[2], a[1]] : [-a[2], 0, a[0]];
    const n = Math.hypot(ax[0], ax[1], ax[2]);
    return [0, ax[0] / n, ax[1] / n, ax[2] / n];
  }
  const q: QuatWxyz = [1 + d, a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  return quatNormalize(q, q);
}

/**
 * Angle of the rotation between two unit quaternions, degrees in [0, 180], sign of q ignored.
 * Uses atan2 on the relative quaternion, so it stays accurate for tiny angles where the acos
 * form (quatAngleBetweenDeg) loses precision (~1e-6° resolution).
 */
export function quatDistanceDeg(a: Readonly<QuatWxyz>, b: Readonly<QuatWxyz>): number {
  const r = quatRelative(a, b);
  return 2 * Math.atan2(Math.sqrt(r[1] * r[1] + r[2] * r[2] + r[3] * r[3]), Math.abs(r[0])) * DEG_PER_RAD;
}

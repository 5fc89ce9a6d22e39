import type { Vec3 } from "@spinewatch/protocol";

/** Plain-number 3-vector helpers. Functions taking `out` write into it and return it (no allocation). */

export const DEG_PER_RAD = 180 / Math.PI;
export const RAD_PER_DEG = Math.PI / 180;

export function vec3(x = 0, y = 0, z = 0): Vec3 {
  return [x, y, z];
}

export function dot(a: Readonly<Vec3>, b: Readonly<Vec3>): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross(a: Readonly<Vec3>, b: Readonly<Vec3>, out: Vec3 = [0, 0, 0]): Vec3 {
  const x = a[1] * b[2] - a[2] * b[1];
  const y = a[2] * b[0] - a[0] * b[2];
  const z = a[0] * b[1] - a[1] * b[0];
  out[0] = x;
  out[1] = y;
  out[2] = z;
  return out;
}

export function norm(a: Readonly<Vec3>): number {
  return Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
}

export function scale(a: Readonly<Vec3>, s: number, out: Vec3 = [0, 0, 0]): Vec3 {
  out[0] = a[0] * s;
  out[1] = a[1] * s;
  out[2] = a[2] * s;
  return out;
}

export function add(a: Readonly<Vec3>, b: Readonly<Vec3>, out: Vec3 = [0, 0, 0]): Vec3 {
  out[0] = a[0] + b[0];
  out[1] = a[1] + b[1];
  out[2] = a[2] + b[2];
  return out;
}

export function sub(a: Readonly<Vec3>, b: Readonly<Vec3>, out: Vec3 = [0, 0, 0]): Vec3 {
  out[0] = a[0] - b[0];
  out[1] = a[1] - b[1];
  out[2] = a[2] - b[2];
  return out;
}

/** Unit vector along `a`; the zero vector stays zero rather than becoming NaN. */
export function normalize(a: Readonly<Vec3>, out: Vec3 = [0, 0, 0]): Vec3 {
  const n = norm(a);
  return n > 0 ? scale(a, 1 / n, out) : scale(a, 0, out);
}

/** Angle between two non-zero vectors in degrees, robust near 0° and 180° (atan2 form). */
export function angleBetweenDeg(a: Readonly<Vec3>, b: Readonly<Vec3>): number {
  const c = cross(a, b);
  return Math.atan2(norm(c), dot(a, b)) * DEG_PER_RAD;
}

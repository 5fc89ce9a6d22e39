import type { QuatWxyz } from "@spinewatch/protocol";
import { DEG_PER_RAD } from "./vec3.js";

/**
 * Sagittal inclination and heading of a body segment from its segment-to-world orientation
 * (DESIGN.md, Angles). World frame: the orientation filters' NWU (z up). Segment frame: ISB,
 * X anterior, Y superior, Z right (Wu et al. 2002).
 *
 * The segment's own "forward" horizontal direction is h = up × Z (Z = the segment's right axis in
 * world). It is used instead of the horizontal part of X because Z stays horizontal through a hip
 * hinge or forward bend (the motion rotates about Z), whereas X points at the floor at 90° of
 * bend. h is invariant to where the person faces, so inclinations need no heading reference.
 *
 * Degenerate pose: when Z is (nearly) vertical (lying on one's side) there is no sagittal plane;
 * the inclination is then the unsigned angle of Y from vertical.
 */

/** |h| below this means Z is within ~0.06 mdeg of vertical: no usable sagittal plane. */
const MIN_HORIZONTAL = 1e-9;

/**
 * Forward inclination of the segment's superior axis (Y) in its own sagittal plane, degrees:
 * 0 with Y vertical, positive when Y leans anteriorly (toward h), negative when it leans back.
 * Range (-180, 180]; allocation-free.
 */
export function forwardInclinationDeg(q: Readonly<QuatWxyz>): number {
  const w = q[0], x = q[1], y = q[2], z = q[3];
  // Columns 1 (Y) and 2 (Z) of the rotation matrix of q (segment axes in world).
  const yx = 2 * (x * y - w * z);
  const yy = 1 - 2 * (x * x + z * z);
  const yz = 2 * (y * z + w * x);
  const zx = 2 * (x * z + w * y);
  const zy = 2 * (y * z - w * x);
  const hn = Math.sqrt(zx * zx + zy * zy);
  if (hn < MIN_HORIZONTAL) return Math.atan2(Math.sqrt(yx * yx + yy * yy), yz) * DEG_PER_RAD;
  // h = up × Z = [-zy, zx, 0] / hn; forward component of Y is Y·h.
  return Math.atan2((yy * zx - yx * zy) / hn, yz) * DEG_PER_RAD;
}

/**
 * Heading of the segment's forward horizontal direction h = up × Z, radians, measured
 * counter-clockwise (seen from above) from world +x (north in NWU). NaN when Z is vertical.
 * A rotation of the segment by ψ about world vertical adds exactly ψ to it.
 */
export function segmentHeadingRad(q: Readonly<QuatWxyz>): number {
  const w = q[0], x = q[1], y = q[2], z = q[3];
  const zx = 2 * (x * z + w * y);
  const zy = 2 * (y * z - w * x);
  if (zx * zx + zy * zy < MIN_HORIZONTAL * MIN_HORIZONTAL) return Number.NaN;
  return Math.atan2(zx, -zy);
}

/** Wrap an angle in radians into (-π, π]. */
export function wrapPiRad(a: number): number {
  const twoPi = 2 * Math.PI;
  let r = a - twoPi * Math.floor((a + Math.PI) / twoPi);
  if (r <= -Math.PI) r += twoPi;
  return r;
}

/** Rotation about world vertical (NWU z) by `angleRad`, written into `out`. */
export function quatAboutWorldVertical(angleRad: number, out: QuatWxyz = [0, 0, 0, 0]): QuatWxyz {
  out[0] = Math.cos(angleRad / 2);
  out[1] = 0;
  out[2] = 0;
  out[3] = Math.sin(angleRad / 2);
  return out;
}

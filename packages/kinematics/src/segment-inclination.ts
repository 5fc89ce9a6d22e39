import type { QuatWxyz } from "@spinewatch/protocol";
import { DEG_PER_RAD } from "./vec3.js";

/**
 * Sagittal inclination and heading of a body segment from its segment-to-world orientation
 * (DESIGN.md, Angles). World frame: the orientation filters' NWU (z up). Segment frame: ISB,
 * X anterior, Y superior, Z right (Wu et al. 2002).
 *
 * Forward inclination is measured in the segment's own sagittal (X-Y) plane: the angle from the
 * projection of world up onto that plane to Y, positive when Y is ahead of it (up has a posterior
 * component: −X·up > 0). It needs no heading reference, so it is unaffected by where the person
 * faces or by heading drift; in a purely sagittal movement (Z horizontal) it is exactly the tilt of
 * Y from vertical toward the front, so thorax inclination = pelvis tilt + lumbar flexion there.
 * A lateral lean alone does not change it. Degenerate pose: Z vertical (lying on one's side) has
 * no sagittal plane; the result is then 0.
 *
 * The segment's forward horizontal direction for headings is h = up × Z (Z = the segment's right
 * axis in world) rather than the horizontal part of X, because Z stays horizontal through a hip
 * hinge or forward bend, whereas X points at the floor at 90° of bend.
 */

/** |h| below this means Z is within ~0.06 mdeg of vertical: no usable heading. */
const MIN_HORIZONTAL = 1e-9;

/**
 * Forward inclination of the segment's superior axis (Y) in its own sagittal plane, degrees:
 * 0 with Y vertical, positive leaning anteriorly, negative leaning back. Range (-180, 180];
 * allocation-free: atan2(−X·up, Y·up) with X and Y the segment's axes in world.
 */
export function forwardInclinationDeg(q: Readonly<QuatWxyz>): number {
  const w = q[0], x = q[1], y = q[2], z = q[3];
  // −X_z = 2(wy − xz), Y_z = 2(yz + wx) (rotation-matrix entries; the common factor 2 drops out).
  return Math.atan2(w * y - x * z, y * z + w * x) * DEG_PER_RAD;
}

/**
 * Lateral inclination of the segment, degrees: the elevation of its right axis (Z) above the
 * horizontal plane, positive with the right side up. Range [-90, 90]; allocation-free:
 * asin(Z·up), Z·up = 1 − 2(x² + y²). Standing, it is the frontal-plane tilt (pelvic obliquity:
 * a hip hike); on all fours, where the superior axis is horizontal, it is the roll of the segment
 * about its long axis (the bird dog's "hip drop" when a leg lifts). Like the forward inclination
 * it needs no heading reference, and a pure sagittal movement (rotation about Z) leaves it 0.
 */
export function lateralInclinationDeg(q: Readonly<QuatWxyz>): number {
  const x = q[1], y = q[2];
  const zUp = 1 - 2 * (x * x + y * y);
  return Math.asin(zUp > 1 ? 1 : zUp < -1 ? -1 : zUp) * DEG_PER_RAD;
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

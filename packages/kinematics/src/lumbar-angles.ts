import type { AngleFrame, QuatWxyz } from "@spinewatch/protocol";
import type { SegmentCalibration } from "./calibration-types.js";
import { quatMultiply, quatRelative } from "./quat.js";
import { RelativeHeadingTracker, type RelativeHeadingTrackerOptions } from "./relative-heading-tracker.js";
import { forwardInclinationDeg, lateralInclinationDeg } from "./segment-inclination.js";
import { DEG_PER_RAD, RAD_PER_DEG } from "./vec3.js";

/**
 * Lumbar angles (DESIGN.md, Angles; ISB, Wu et al. 2002, J Biomech 35:543). Segment frames
 * X anterior, Y superior, Z right. R = R_pelvis^T R_thorax as the intrinsic Cardan sequence
 * Z-X-Y: R = Rz(a)·Rx(b)·Ry(c), with the physical signs pinned in the brief:
 *   flexionDeg = −a (thorax Y toward +X is a negative right-hand rotation about Z),
 *   lateralBendDeg = +b (Y toward +Z, to the right),
 *   axialRotationDeg = −c (thorax X toward +Z: turned to the right).
 *
 * Gimbal lock: Z-X-Y locks at b = ±90° (lateral bend ±90°, far outside a human lumbar range).
 * There only a+c (b = +90°) or a−c (b = −90°) is defined. Choice: all of the ambiguous rotation
 * goes into flexion and axial rotation is 0. The lock band is |cos b| < 1e-13 (b within
 * ~6e-12° of ±90°; forcing axial to 0 there moves the rotation by < 1e-13·π rad); just outside
 * it the split is computed normally. Either way the angles are finite and recompose to the same rotation, because flexion is always solved after axial
 * rotation from matrix entries that stay well conditioned (M. Day, "Extracting Euler angles from
 * a rotation matrix", Insomniac Games, 2012: compute the last angle from the first two).
 */

export interface LumbarAnglesDeg {
  flexionDeg: number;
  lateralBendDeg: number;
  axialRotationDeg: number;
}

/** cos(lateral bend) below this is treated as gimbal lock (see module comment). */
const LOCK_COS = 1e-13;

/** Quaternion of thorax-relative-to-pelvis for the given lumbar angles: Rz(−flex)·Rx(lat)·Ry(−axial). */
export function composeLumbarQuat(flexionDeg: number, lateralBendDeg: number, axialRotationDeg: number): QuatWxyz {
  const ha = -flexionDeg * RAD_PER_DEG * 0.5;
  const hb = lateralBendDeg * RAD_PER_DEG * 0.5;
  const hc = -axialRotationDeg * RAD_PER_DEG * 0.5;
  const qz: QuatWxyz = [Math.cos(ha), 0, 0, Math.sin(ha)];
  const qx: QuatWxyz = [Math.cos(hb), Math.sin(hb), 0, 0];
  const qy: QuatWxyz = [Math.cos(hc), 0, Math.sin(hc), 0];
  const out = quatMultiply(qz, qx);
  return quatMultiply(out, qy, out);
}

/**
 * Allocation-free decomposition of a unit quaternion (thorax relative to pelvis) into lumbar
 * angles, written into `out`. Ranges: flexion and axial rotation (-180, 180], lateral bend
 * [-90, 90].
 */
export function decomposeLumbarQuatInto<T extends LumbarAnglesDeg>(q: Readonly<QuatWxyz>, out: T): T {
  const w = q[0], x = q[1], y = q[2], z = q[3];
  // Rotation matrix entries used by the Z-X-Y extraction (row r, column c).
  const r00 = 1 - 2 * (y * y + z * z);
  const r02 = 2 * (x * z + w * y);
  const r10 = 2 * (x * y + w * z);
  const r12 = 2 * (y * z - w * x);
  const r20 = 2 * (x * z - w * y);
  const r21 = 2 * (y * z + w * x);
  const r22 = 1 - 2 * (x * x + y * y);
  // R = Rz(a)Rx(b)Ry(c): r21 = sin b, r20 = −cos b sin c, r22 = cos b cos c.
  const cosB = Math.sqrt(r20 * r20 + r22 * r22);
  const b = Math.atan2(r21, cosB);
  // Column 0 of R·Ry(c)^T = Rz(a)Rx(b) column 0 = [cos a, sin a, 0]. Outside the lock,
  // cos c = r22/cos b and sin c = −r20/cos b; the common factor 1/cos b > 0 drops out of atan2.
  let a: number;
  if (cosB < LOCK_COS) {
    a = Math.atan2(r10, r00);
    out.axialRotationDeg = 0;
  } else {
    a = Math.atan2(r10 * r22 - r12 * r20, r00 * r22 - r02 * r20);
    out.axialRotationDeg = -Math.atan2(-r20, r22) * DEG_PER_RAD;
  }
  out.flexionDeg = -a * DEG_PER_RAD;
  out.lateralBendDeg = b * DEG_PER_RAD;
  return out;
}

/** Lumbar angles of a unit quaternion (thorax relative to pelvis). See decomposeLumbarQuatInto. */
export function decomposeLumbarQuat(q: Readonly<QuatWxyz>): LumbarAnglesDeg {
  return decomposeLumbarQuatInto(q, { flexionDeg: 0, lateralBendDeg: 0, axialRotationDeg: 0 });
}

export interface LumbarAnglesOptions {
  /**
   * Bound the relative heading drift of the two filters with a RelativeHeadingTracker (default
   * true; DESIGN.md requires the drift to be bounded). `false` turns it off; an object sets its
   * options.
   */
  headingTracking?: boolean | Partial<RelativeHeadingTrackerOptions>;
}

/**
 * The angles processor: sensor-to-world orientations of the sacrum and T12/L1 sensors in, an
 * AngleFrame out. Per frame: segment orientations through the calibration, the thorax's
 * heading correction (RelativeHeadingTracker), R = R_pelvis^T R_thorax, Z-X-Y decomposition,
 * pelvis tilt and obliquity (the pelvis' forward and lateral inclinations minus their neutral
 * values) and thorax inclination (from vertical). Temporaries are reused; `next` allocates only the returned frame (safe to keep),
 * `nextInto` allocates nothing.
 */
export class LumbarAngles {
  #cal: SegmentCalibration;
  #pelvisTilt0Deg = 0;
  #pelvisObliquity0Deg = 0;
  readonly #tracker: RelativeHeadingTracker | null;
  // Own copies of the calibration rotations and the temporaries, created as double arrays so
  // that V8 sees one element kind in quatMultiply on the hot path ([1, 0, 0, 0] would be SMI).
  readonly #s2sSacrum: QuatWxyz = [0.5, 0.5, 0.5, 0.5];
  readonly #s2sThoracic: QuatWxyz = [0.5, 0.5, 0.5, 0.5];
  readonly #align: QuatWxyz = [0.5, 0.5, 0.5, 0.5];
  /** The tracker's correction as of the last frame (its own reused array: a reset shows in it). */
  #headingCorrection: Readonly<QuatWxyz> = [1, 0, 0, 0];
  readonly #pelvis: QuatWxyz = [0.5, 0.5, 0.5, 0.5];
  readonly #thorax: QuatWxyz = [0.5, 0.5, 0.5, 0.5];
  /** Thorax before the heading correction (the tracker's input). */
  readonly #thoraxAligned: QuatWxyz = [0.5, 0.5, 0.5, 0.5];
  readonly #tmp: QuatWxyz = [0.5, 0.5, 0.5, 0.5];

  constructor(cal: SegmentCalibration, options: LumbarAnglesOptions = {}) {
    const ht = options.headingTracking ?? true;
    this.#tracker = ht === false ? null : new RelativeHeadingTracker(ht === true ? {} : ht);
    this.#cal = cal;
    this.setCalibration(cal);
  }

  get calibration(): SegmentCalibration {
    return this.#cal;
  }

  /** Pelvis segment's world orientation of the last frame. */
  get pelvisSegWorld(): Readonly<QuatWxyz> {
    return this.#pelvis;
  }

  /** Thorax segment's world orientation of the last frame (heading-aligned and corrected). */
  get thoraxSegWorld(): Readonly<QuatWxyz> {
    return this.#thorax;
  }

  /** The heading tracker's current drift estimate (degrees); 0 when tracking is off. */
  get headingDriftDeg(): number {
    return this.#tracker?.driftDeg ?? 0;
  }

  /**
   * The rotation from the thoracic filter's world axes to the sacrum's as of the last frame: the
   * calibration's heading alignment, then the heading tracker's drift correction (about world
   * vertical by −ψ). For comparing the two sensors' world-frame motion (pipeline partner-motion.ts).
   */
  thoracicWorldToSacrumWorld(out: QuatWxyz): QuatWxyz {
    if (this.#tracker === null) {
      for (let i = 0; i < 4; i++) out[i] = this.#align[i];
      return out;
    }
    return quatMultiply(this.#headingCorrection, this.#align, out);
  }

  /** New calibration: restarts the heading tracker (the calibration re-aligned the headings). */
  setCalibration(cal: SegmentCalibration): void {
    for (const [name, q] of [
      ["sacrum.sensorToSegment", cal.sacrum.sensorToSegment],
      ["thoracic.sensorToSegment", cal.thoracic.sensorToSegment],
      ["thoracicWorldAlign", cal.thoracicWorldAlign],
      ["pelvisNeutralWorld", cal.pelvisNeutralWorld],
    ] as const) {
      const n = Math.hypot(q[0], q[1], q[2], q[3]);
      if (!(Math.abs(n - 1) < 1e-6)) throw new RangeError(`lumbar angles: calibration ${name} is not a unit quaternion (norm ${n})`);
    }
    this.#cal = cal;
    copy(cal.sacrum.sensorToSegment, this.#s2sSacrum);
    copy(cal.thoracic.sensorToSegment, this.#s2sThoracic);
    copy(cal.thoracicWorldAlign, this.#align);
    this.#pelvisTilt0Deg = forwardInclinationDeg(cal.pelvisNeutralWorld);
    this.#pelvisObliquity0Deg = lateralInclinationDeg(cal.pelvisNeutralWorld);
    this.#tracker?.reset();
  }

  reset(): void {
    this.#tracker?.reset();
  }

  next(tMs: number, sacrumSensorWorld: Readonly<QuatWxyz>, thoracicSensorWorld: Readonly<QuatWxyz>): AngleFrame {
    const frame: AngleFrame = {
      tMs: 0, flexionDeg: 0, lateralBendDeg: 0, axialRotationDeg: 0, pelvisTiltDeg: 0, thoraxInclinationDeg: 0,
      pelvisObliquityDeg: 0, relQuatWxyz: [1, 0, 0, 0],
    };
    return this.nextInto(tMs, sacrumSensorWorld, thoracicSensorWorld, frame);
  }

  /** As `next`, writing into a caller-owned frame (no allocation). */
  nextInto(tMs: number, sacrumSensorWorld: Readonly<QuatWxyz>, thoracicSensorWorld: Readonly<QuatWxyz>, out: AngleFrame): AngleFrame {
    const pelvis = quatMultiply(sacrumSensorWorld, this.#s2sSacrum, this.#pelvis);
    quatMultiply(thoracicSensorWorld, this.#s2sThoracic, this.#tmp);
    let thorax: QuatWxyz;
    if (this.#tracker !== null) {
      const aligned = quatMultiply(this.#align, this.#tmp, this.#thoraxAligned);
      this.#headingCorrection = this.#tracker.next(tMs, pelvis, aligned);
      thorax = quatMultiply(this.#headingCorrection, aligned, this.#thorax);
    } else {
      thorax = quatMultiply(this.#align, this.#tmp, this.#thorax);
    }
    const rel = quatRelative(pelvis, thorax, out.relQuatWxyz);
    const n = 1 / Math.sqrt(rel[0] * rel[0] + rel[1] * rel[1] + rel[2] * rel[2] + rel[3] * rel[3]);
    rel[0] *= n;
    rel[1] *= n;
    rel[2] *= n;
    rel[3] *= n;
    decomposeLumbarQuatInto(rel, out);
    out.tMs = tMs;
    out.pelvisTiltDeg = forwardInclinationDeg(pelvis) - this.#pelvisTilt0Deg;
    out.thoraxInclinationDeg = forwardInclinationDeg(thorax);
    out.pelvisObliquityDeg = lateralInclinationDeg(pelvis) - this.#pelvisObliquity0Deg;
    return out;
  }
}

function copy(src: Readonly<QuatWxyz>, dst: QuatWxyz): void {
  dst[0] = src[0];
  dst[1] = src[1];
  dst[2] = src[2];
  dst[3] = src[3];
}

import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";
import { mulberry32 } from "@spinewatch/protocol/testing";
import type { SensorWindow } from "./calibration-types.js";
import { composeLumbarQuat } from "./lumbar-angles.js";
import { quatConjugate, quatFromAxes, quatFromAxisAngle, quatMultiply, quatRelative, quatRotateInverse, quatToRotationVector } from "./quat.js";
import { quatAboutWorldVertical } from "./segment-inclination.js";
import { DEG_PER_RAD, normalize, RAD_PER_DEG } from "./vec3.js";

/**
 * Test support (not exported from the package): ground-truth trunk poses turned into what the two
 * sensors would report, for calibration and heading tests. World NWU, ISB segment axes.
 * Accelerometers see gravity only (slow movements: linear acceleration ignored) plus noise.
 */

export interface TrunkPose {
  pelvisTiltDeg: number;
  flexionDeg: number;
  lateralBendDeg: number;
  axialRotationDeg: number;
  /** Where the whole person faces, about world vertical. */
  headingDeg: number;
}

export const NEUTRAL_POSE: TrunkPose = { pelvisTiltDeg: 0, flexionDeg: 0, lateralBendDeg: 0, axialRotationDeg: 0, headingDeg: 0 };

/** Upright segment in NWU: X north (anterior), Y up, Z east = −y (right). */
export const UPRIGHT_SEGMENT: QuatWxyz = quatFromAxes([1, 0, 0], [0, 0, 1], [0, -1, 0]);

export function poseSegments(p: TrunkPose): { pelvis: QuatWxyz; thorax: QuatWxyz } {
  const pelvis = quatMultiply(
    quatAboutWorldVertical(p.headingDeg * RAD_PER_DEG),
    quatMultiply(UPRIGHT_SEGMENT, quatFromAxisAngle([0, 0, 1], -p.pelvisTiltDeg * RAD_PER_DEG)),
  );
  return { pelvis, thorax: quatMultiply(pelvis, composeLumbarQuat(p.flexionDeg, p.lateralBendDeg, p.axialRotationDeg)) };
}

/** How one simulated sensor sits and errs. */
export interface SyntheticSensor {
  /** True segment-in-sensor rotation (sensorToSegment), mounting error included. */
  segInSensor: QuatWxyz;
  /** The 6-axis filter's arbitrary heading: its world is rotated by this about vertical. */
  filterHeadingDeg: number;
  gyroBiasDps: Vec3;
  gyroNoiseDps: number;
  accNoiseMps2: number;
}

/**
 * Deterministic PRNG (mulberry32) with a Gaussian helper. Box-Muller on 1 - u rather than the
 * clamped u of protocol/testing's gaussian(): the kinematics tests' noise was drawn this way.
 */
export function rng(seed: number): { uniform: () => number; gauss: () => number } {
  const uniform = mulberry32(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, gauss };
}

/** A rotation of exactly `deg` about a random axis. */
export function randomRotation(deg: number, r: ReturnType<typeof rng>): QuatWxyz {
  const axis = normalize([r.gauss(), r.gauss(), r.gauss()]);
  return quatFromAxisAngle(axis, deg * RAD_PER_DEG);
}

/** True world orientation of a sensor carried by a segment: q_sensor = q_seg ⊗ segInSensor⁻¹. */
export function sensorWorld(segWorld: Readonly<QuatWxyz>, s: SyntheticSensor): QuatWxyz {
  return quatMultiply(segWorld, quatConjugate(s.segInSensor));
}

const G_MPS2 = 9.80665;

/** What a sensor reports over a sequence of segment orientations sampled at rateHz. */
export function sensorWindow(segWorld: readonly QuatWxyz[], s: SyntheticSensor, rateHz: number, r: ReturnType<typeof rng>): SensorWindow {
  const n = segWorld.length;
  const truth = segWorld.map((q) => sensorWorld(q, s));
  const offset = quatAboutWorldVertical(s.filterHeadingDeg * RAD_PER_DEG);
  const w: SensorWindow = { accMps2: [], gyrDps: [], quatWxyz: [], rateHz };
  for (let i = 0; i < n; i++) {
    const a = quatRotateInverse(truth[i], [0, 0, G_MPS2]);
    w.accMps2.push([a[0] + s.accNoiseMps2 * r.gauss(), a[1] + s.accNoiseMps2 * r.gauss(), a[2] + s.accNoiseMps2 * r.gauss()]);
    // Body-frame rate from consecutive orientations: q_{i+1} = q_i ⊗ exp(ω dt).
    const j = Math.min(i, n - 2);
    const rv = n > 1 ? quatToRotationVector(quatRelative(truth[j], truth[j + 1])) : [0, 0, 0];
    w.gyrDps.push([0, 1, 2].map((k) => rv[k] * rateHz * DEG_PER_RAD + s.gyroBiasDps[k] + s.gyroNoiseDps * r.gauss()) as Vec3);
    w.quatWxyz.push(quatMultiply(offset, truth[i]));
  }
  return w;
}

/** Windows for both sensors over a sequence of poses. */
export function trunkWindows(
  poses: readonly TrunkPose[],
  sensors: { sacrum: SyntheticSensor; thoracic: SyntheticSensor },
  rateHz: number,
  r: ReturnType<typeof rng>,
): { sacrum: SensorWindow; thoracic: SensorWindow } {
  const segs = poses.map(poseSegments);
  return {
    sacrum: sensorWindow(segs.map((s) => s.pelvis), sensors.sacrum, rateHz, r),
    thoracic: sensorWindow(segs.map((s) => s.thorax), sensors.thoracic, rateHz, r),
  };
}

/** Poses sampled at rateHz over durationS from a function of time (s). */
export function posesOver(durationS: number, rateHz: number, f: (tS: number) => Partial<TrunkPose>): TrunkPose[] {
  const out: TrunkPose[] = [];
  const n = Math.round(durationS * rateHz);
  for (let i = 0; i < n; i++) out.push({ ...NEUTRAL_POSE, ...f(i / rateHz) });
  return out;
}

/** Smooth 0 → 1 → 0 profile over [0, 1] (raised cosine), for a bend down and back up. */
export function downAndUp(u: number): number {
  const c = Math.min(1, Math.max(0, u));
  return 0.5 - 0.5 * Math.cos(2 * Math.PI * c);
}

import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";
import {
  CALIBRATION_SENSORS,
  type BendCalibrationInput,
  type CalibrationOutcome,
  type CalibrationSensor,
  type SegmentCalibration,
  type SensorWindow,
} from "./calibration-types.js";
import { calibrationAccepted } from "./calibration-accepted.js";
import { quatFromAxes, quatMultiply, quatRelative, quatRotate } from "./quat.js";
import { quatAboutWorldVertical, wrapPiRad } from "./segment-inclination.js";
import { mathjsEigs } from "./lazy-eigs.js";
import { sensorWindowProblems } from "./sensor-window.js";
import { angleBetweenDeg, cross, DEG_PER_RAD, dot, normalize } from "./vec3.js";

/**
 * Functional forward-bend refinement (DESIGN.md, Calibration, step 2): a slow forward bend and
 * return rotates each segment about its own right axis Z, so the dominant gyro axis over the
 * bend is Z in sensor axes. This sees mounting error about the vertical axis, which a static
 * pose cannot (the approach of functional sensor-to-segment calibration, e.g. Favre et al. 2009,
 * J Biomech 42:2330; Palermo et al. 2014, J NeuroEng Rehabil 11:39).
 *
 * Per sensor: covariance of the gyro over the window (mean removed, so bias does not matter);
 * its principal eigenvector (mathjs `eigs`, loaded on first use: lazy-eigs.ts) is the bend axis,
 * the largest eigenvalue's share of the trace is the planarity. Its sign is chosen so that the
 * bend is flexion: bending forward the measured gravity (up) swings from Y toward −X, i.e.
 * Y × up_measured points along +Z. Z is then
 * re-orthogonalised against the neutral Y, X = Y × Z. Because X moved by a rotation δ about Y
 * (vertical at neutral), the neutral heading alignment and the neutral pelvis are rotated with it.
 *
 * Refused when: the bend was too small (< `minBendDeg` about its axis), not planar, the axis was
 * far from horizontal, the functional forward axis is far from the preset's (backward bend,
 * wrong preset or a slipped sensor), or the two sensors disagree (corrections far apart, or the
 * relative heading changed since neutral). quality.residualDeg is that heading change.
 */
export interface BendCalibrationOptions {
  /** Least rotation about the bend axis, per sensor (deg). */
  minBendDeg: number;
  /** Least share of gyro variance about the dominant axis. */
  minPlanarity: number;
  /** Largest tilt of the bend axis out of the horizontal plane at neutral (deg). */
  maxAxisTiltDeg: number;
  /** Largest correction of a sensor's forward axis relative to the neutral calibration (deg). */
  maxMountCorrectionDeg: number;
  /**
   * Largest difference between the two sensors' heading corrections (deg). Each correction alone
   * may be a mounting error; corrections far apart mean the sensors disagree about which way the
   * person faced (a slipped sensor, or a bend twisted between pelvis and thorax).
   */
  maxRelativeCorrectionDeg: number;
  /**
   * Largest change (deg) of the sensors' relative heading between neutral and bend: the heading
   * alignment from the bend vs the neutral one carried over with the corrections.
   */
  maxAxisDisagreementDeg: number;
}

export const BEND_CALIBRATION_DEFAULTS: Readonly<BendCalibrationOptions> = {
  minBendDeg: 20,
  minPlanarity: 0.85,
  maxAxisTiltDeg: 30,
  maxMountCorrectionDeg: 45,
  maxRelativeCorrectionDeg: 35,
  maxAxisDisagreementDeg: 20,
};

export interface BendAxis {
  /** Bend axis (segment Z) in sensor axes, unit, sign chosen for flexion. */
  zSensor: Vec3;
  planarity: number;
  bendDeg: number;
}

/** Dominant rotation axis of a gyro window: principal eigenvector of its covariance (mathjs eigs). */
export function dominantGyroAxis(gyrDps: readonly Readonly<Vec3>[], rateHz: number): BendAxis {
  const n = gyrDps.length;
  const m: Vec3 = [0, 0, 0];
  for (const g of gyrDps) for (let k = 0; k < 3; k++) m[k] += g[k] / n;
  const c = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (const g of gyrDps) {
    const d = [g[0] - m[0], g[1] - m[1], g[2] - m[2]];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) c[i][j] += (d[i] * d[j]) / n;
  }
  const { eigenvectors } = mathjsEigs(c);
  let best = eigenvectors[0];
  let trace = 0;
  for (const e of eigenvectors) {
    const v = Number(e.value);
    trace += Math.max(0, v);
    if (v > Number(best.value)) best = e;
  }
  const vec = (best.vector as unknown as number[]).map(Number);
  const axis = normalize([vec[0], vec[1], vec[2]]);
  // Rotation about the axis: excursion of ∫ω·axis dt (bias removed with the mean).
  let angle = 0, lo = 0, hi = 0;
  for (const g of gyrDps) {
    angle += ((g[0] - m[0]) * axis[0] + (g[1] - m[1]) * axis[1] + (g[2] - m[2]) * axis[2]) / rateHz;
    if (angle < lo) lo = angle;
    if (angle > hi) hi = angle;
  }
  return { zSensor: axis, planarity: trace > 0 ? Number(best.value) / trace : 0, bendDeg: hi - lo };
}

export function refineWithBend(
  cal: SegmentCalibration,
  bend: BendCalibrationInput,
  options: Partial<BendCalibrationOptions> = {},
): CalibrationOutcome {
  const o = { ...BEND_CALIBRATION_DEFAULTS, ...options };
  const reasons: string[] = [];
  const found: Partial<Record<CalibrationSensor, { s2s: QuatWxyz; delta: QuatWxyz; axis: BendAxis; correctionDeg: number }>> = {};
  for (const name of CALIBRATION_SENSORS) {
    const w = bend?.[name];
    const problems = sensorWindowProblems(name, w, 10);
    if (problems.length > 0) {
      reasons.push(...problems);
      continue;
    }
    const r = sensorBend(name, w, cal[name].sensorToSegment, o);
    if (Array.isArray(r)) reasons.push(...r);
    else found[name] = r;
  }
  const sac = found.sacrum, thor = found.thoracic;
  if (reasons.length > 0 || sac === undefined || thor === undefined) return { ok: false, reasons };

  // Each X turned by δ about segment Y (vertical at neutral). Corrections far apart mean the two
  // sensors disagree about which way the person faced.
  const deltaS = 2 * Math.atan2(sac.delta[2], sac.delta[0]);
  const deltaT = 2 * Math.atan2(thor.delta[2], thor.delta[0]);
  const relativeDeg = Math.abs(wrapPiRad(deltaS - deltaT)) * DEG_PER_RAD;
  if (relativeDeg > o.maxRelativeCorrectionDeg) {
    return {
      ok: false,
      reasons: [`bend: the sacrum and thoracic sensors disagree: their forward axes need corrections ${relativeDeg.toFixed(0)}° apart (> ${o.maxRelativeCorrectionDeg}°): a wrong mount preset or a twisted bend`],
    };
  }
  // Heading alignment, declared afresh: in a forward bend both segments turn about the same world
  // axis (the person's right). Bringing the thoracic filter's bend axis onto the sacrum's fixes
  // thoracicWorldAlign with the refined axes. The neutral alignment turned by (δs − δt) should
  // agree; if not, the relative heading changed between neutral and bend (drift or a slipped
  // sensor), and the neutral's gravity axes are no longer trustworthy either.
  const zWorldS = meanWorldAxis(bend.sacrum.quatWxyz, sac.axis.zSensor);
  const zWorldT = meanWorldAxis(bend.thoracic.quatWxyz, thor.axis.zSensor);
  const alignRad = Math.atan2(zWorldS[1], zWorldS[0]) - Math.atan2(zWorldT[1], zWorldT[0]);
  const thoracicWorldAlign = quatAboutWorldVertical(wrapPiRad(alignRad));
  const neutralAlignRad = 2 * Math.atan2(cal.thoracicWorldAlign[3], cal.thoracicWorldAlign[0]) + deltaS - deltaT;
  const residualDeg = Math.abs(wrapPiRad(alignRad - neutralAlignRad)) * DEG_PER_RAD;
  if (residualDeg > o.maxAxisDisagreementDeg) {
    return {
      ok: false,
      reasons: [`bend: the relative heading of the sensors changed by ${residualDeg.toFixed(0)}° between neutral and bend (> ${o.maxAxisDisagreementDeg}°): a slipped sensor or heading drift; repeat the neutral calibration`],
    };
  }
  const pelvisNeutralWorld = quatMultiply(cal.pelvisNeutralWorld, sac.delta);
  return calibrationAccepted(sac, thor, thoracicWorldAlign, pelvisNeutralWorld, {
    ...cal.quality,
    bendPlanarity: Math.min(sac.axis.planarity, thor.axis.planarity),
    mountCorrectionDeg: { sacrum: sac.correctionDeg, thoracic: thor.correctionDeg },
    residualDeg,
  });
}

function sensorBend(
  name: string,
  w: SensorWindow,
  s2sOld: QuatWxyz,
  o: BendCalibrationOptions,
): string[] | { s2s: QuatWxyz; delta: QuatWxyz; axis: BendAxis; correctionDeg: number } {
  const axis = dominantGyroAxis(w.gyrDps, w.rateHz);
  const reasons: string[] = [];
  if (axis.bendDeg < o.minBendDeg) {
    reasons.push(`${name}: the bend was not a bend: ${axis.bendDeg.toFixed(1)}° about its main axis < ${o.minBendDeg}°`);
  }
  if (axis.planarity < o.minPlanarity) {
    reasons.push(`${name}: the bend was not planar: ${(100 * axis.planarity).toFixed(0)}% of the motion about one axis < ${(100 * o.minPlanarity).toFixed(0)}%`);
  }
  if (reasons.length > 0) return reasons;
  const y = quatRotate(s2sOld, [0, 1, 0]);
  const xOld = quatRotate(s2sOld, [1, 0, 0]);
  // Sign: forward bend turns measured up from Y toward −X, so Σ (Y × â)·z > 0 for z = +Z.
  let s = 0;
  for (const a of w.accMps2) s += dot(cross(y, normalize(a)), axis.zSensor);
  const z0: Vec3 = s < 0 ? [-axis.zSensor[0], -axis.zSensor[1], -axis.zSensor[2]] : axis.zSensor;
  axis.zSensor = z0;
  const tiltDeg = Math.asin(Math.min(1, Math.abs(dot(z0, y)))) * DEG_PER_RAD;
  if (tiltDeg > o.maxAxisTiltDeg) {
    return [`${name}: the bend axis is ${tiltDeg.toFixed(0)}° out of the horizontal (> ${o.maxAxisTiltDeg}°): not a forward bend`];
  }
  const k = dot(z0, y);
  const z = normalize([z0[0] - k * y[0], z0[1] - k * y[1], z0[2] - k * y[2]]);
  const x = cross(y, z);
  const correctionDeg = angleBetweenDeg(xOld, x);
  if (correctionDeg > o.maxMountCorrectionDeg) {
    return [`${name}: the functional forward axis is ${correctionDeg.toFixed(0)}° from the neutral calibration's (> ${o.maxMountCorrectionDeg}°): a backward bend, a wrong mount preset or a slipped sensor`];
  }
  const s2s = quatFromAxes(x, y, z);
  return { s2s, delta: quatRelative(s2sOld, s2s), axis, correctionDeg };
}

/** Mean over the window of the bend axis in its filter's world axes. */
function meanWorldAxis(qs: readonly Readonly<QuatWxyz>[], axisSensor: Readonly<Vec3>): Vec3 {
  const m: Vec3 = [0, 0, 0];
  const v: Vec3 = [0, 0, 0];
  for (const q of qs) {
    quatRotate(q, axisSensor, v);
    m[0] += v[0];
    m[1] += v[1];
    m[2] += v[2];
  }
  return normalize(m);
}

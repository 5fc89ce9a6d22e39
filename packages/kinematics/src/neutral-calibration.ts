import { STANDARD_GRAVITY_MPS2 as G_MPS2 } from "@spinewatch/protocol";
import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";
import {
  CALIBRATION_SENSORS,
  type CalibrationOutcome,
  type NeutralCalibrationInput,
  type SensorWindow,
} from "./calibration-types.js";
import { calibrationAccepted } from "./calibration-accepted.js";
import { mountPresetAxes } from "./mount-preset.js";
import { quatDistanceDeg, quatFromAxes, quatMultiply } from "./quat.js";
import { quatAboutWorldVertical, segmentHeadingRad, wrapPiRad } from "./segment-inclination.js";
import { accDirectionRmsDeg, gyroRmsAboutMeanDps, meanQuat, meanVec3, sensorWindowProblems } from "./sensor-window.js";
import { angleBetweenDeg, cross, dot, norm, normalize } from "./vec3.js";

/**
 * Neutral standing calibration (DESIGN.md, Calibration, step 1-3): the person stands tall and
 * still for ~3 s. Per sensor, the mean accelerometer direction is the segment's superior axis
 * (Y) in sensor axes; the mount preset's `out` axis (posterior), orthogonalised against Y, gives
 * the anterior axis X = −out⊥; Z = X × Y. Both segments are declared to face the same way,
 * which fixes thoracicWorldAlign: the rotation about world vertical that brings the thorax
 * segment's heading onto the pelvis segment's (a 6-axis filter's heading is arbitrary).
 * The stance is refused with a reason when either sensor moved, read an implausible gravity,
 * or disagrees with its mount preset; mounting error about the vertical axis is invisible to a
 * static pose and is left to refineWithBend (functional-bend.ts).
 */
export interface NeutralCalibrationOptions {
  /** Largest gyro RMS about the window mean (°/s) that still counts as standing still. */
  maxGyroRmsDps: number;
  /** Largest RMS spread of the accelerometer direction (deg): slow leaning or shifting. */
  maxTiltSpreadDeg: number;
  /** Shortest window (s). DESIGN.md asks for ~3 s; 1 s is the least that averages sway out. */
  minDurationS: number;
  /** Mean |acc| must be within this fraction of g (catches units in g, or a jump). */
  gravityTolerance: number;
  /** Largest angle (deg) between gravity and the preset's `up` axis: beyond it the preset is wrong. */
  maxUpFromPresetDeg: number;
  /** Largest residual (deg) between the two segments after heading alignment (filters not settled). */
  maxResidualDeg: number;
}

export const NEUTRAL_CALIBRATION_DEFAULTS: Readonly<NeutralCalibrationOptions> = {
  maxGyroRmsDps: 3,
  maxTiltSpreadDeg: 2,
  minDurationS: 1,
  gravityTolerance: 0.15,
  maxUpFromPresetDeg: 45,
  maxResidualDeg: 5,
};

export function calibrateNeutral(input: NeutralCalibrationInput, options: Partial<NeutralCalibrationOptions> = {}): CalibrationOutcome {
  const o = { ...NEUTRAL_CALIBRATION_DEFAULTS, ...options };
  const reasons: string[] = [];
  const axes: Partial<Record<(typeof CALIBRATION_SENSORS)[number], { s2s: QuatWxyz; worldMean: QuatWxyz; gyroRmsDps: number }>> = {};
  for (const name of CALIBRATION_SENSORS) {
    const w = input?.[name];
    const minSamples = Math.max(2, Math.ceil(o.minDurationS * (w?.rateHz > 0 ? w.rateHz : 1)));
    const problems = sensorWindowProblems(name, w, minSamples);
    let axesProblem: string | null = null;
    let presetAxes: { x: Vec3; y: Vec3; z: Vec3 } | null = null;
    try {
      presetAxes = mountPresetAxes(input.mounts?.[name]);
    } catch (e) {
      axesProblem = `${name}: ${(e as Error).message}`;
    }
    if (axesProblem !== null) problems.push(axesProblem);
    if (problems.length > 0 || presetAxes === null) {
      reasons.push(...problems);
      continue;
    }
    const r = sensorAxes(name, w, presetAxes, o);
    if (Array.isArray(r)) reasons.push(...r);
    else axes[name] = r;
  }
  const sac = axes.sacrum, thor = axes.thoracic;
  if (reasons.length > 0 || sac === undefined || thor === undefined) return { ok: false, reasons };

  const pelvisNeutralWorld = quatMultiply(sac.worldMean, sac.s2s);
  const thoraxNeutralWorld = quatMultiply(thor.worldMean, thor.s2s);
  const hP = segmentHeadingRad(pelvisNeutralWorld);
  const hT = segmentHeadingRad(thoraxNeutralWorld);
  if (Number.isNaN(hP) || Number.isNaN(hT)) {
    return { ok: false, reasons: ["neutral: a segment's right axis is vertical in its filter's world frame (filter not settled?)"] };
  }
  const thoracicWorldAlign = quatAboutWorldVertical(wrapPiRad(hP - hT));
  const alignedThorax = quatMultiply(thoracicWorldAlign, thoraxNeutralWorld);
  const residualDeg = quatDistanceDeg(pelvisNeutralWorld, alignedThorax);
  if (residualDeg > o.maxResidualDeg) {
    return {
      ok: false,
      reasons: [`neutral: the two segments still differ by ${residualDeg.toFixed(1)}° after heading alignment (> ${o.maxResidualDeg}°): orientation filters not settled or a sensor's gravity is off`],
    };
  }
  return calibrationAccepted(sac, thor, thoracicWorldAlign, pelvisNeutralWorld, {
    stillnessDps: Math.max(sac.gyroRmsDps, thor.gyroRmsDps),
    residualDeg,
  });
}

function sensorAxes(
  name: string,
  w: SensorWindow,
  preset: { x: Vec3; y: Vec3; z: Vec3 },
  o: NeutralCalibrationOptions,
): string[] | { s2s: QuatWxyz; worldMean: QuatWxyz; gyroRmsDps: number } {
  const reasons: string[] = [];
  const gyroRmsDps = gyroRmsAboutMeanDps(w.gyrDps);
  if (gyroRmsDps > o.maxGyroRmsDps) {
    reasons.push(`${name} moved during neutral: gyro RMS ${gyroRmsDps.toFixed(1)} °/s > ${o.maxGyroRmsDps} °/s`);
  }
  const spreadDeg = accDirectionRmsDeg(w.accMps2);
  if (spreadDeg > o.maxTiltSpreadDeg) {
    reasons.push(`${name} moved during neutral: gravity direction wandered ${spreadDeg.toFixed(1)}° RMS > ${o.maxTiltSpreadDeg}°`);
  }
  const accMean = meanVec3(w.accMps2);
  const gMean = norm(accMean);
  if (Math.abs(gMean - G_MPS2) > o.gravityTolerance * G_MPS2) {
    reasons.push(`${name}: mean accelerometer reads ${gMean.toFixed(2)} m/s², expected about ${G_MPS2} (not still, or not in m/s²)`);
  }
  if (reasons.length > 0) return reasons;
  const y = normalize(accMean);
  const upOffDeg = angleBetweenDeg(y, preset.y);
  if (upOffDeg > o.maxUpFromPresetDeg) {
    return [`${name}: gravity is ${upOffDeg.toFixed(0)}° from the mount preset's up axis (> ${o.maxUpFromPresetDeg}°): wrong mount preset, or not standing upright`];
  }
  // Anterior = preset X (−out) with its component along the measured Y removed (Gram-Schmidt).
  const k = dot(preset.x, y);
  const x = normalize([preset.x[0] - k * y[0], preset.x[1] - k * y[1], preset.x[2] - k * y[2]]);
  const z = cross(x, y);
  return { s2s: quatFromAxes(x, y, z), worldMean: meanQuat(w.quatWxyz), gyroRmsDps };
}

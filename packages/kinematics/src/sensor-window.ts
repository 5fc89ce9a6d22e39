import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";
import type { SensorWindow } from "./calibration-types.js";
import { quatNormalize } from "./quat.js";
import { angleBetweenDeg, normalize } from "./vec3.js";

/**
 * Checks and statistics over one sensor's calibration window (calibration only, off the
 * per-sample path). Problems are returned as one-line reasons naming the sensor and the field.
 */

/** Reasons why `w` cannot be used (empty when it can). */
export function sensorWindowProblems(name: string, w: SensorWindow | undefined, minSamples: number): string[] {
  if (w === undefined || w === null || typeof w !== "object") return [`${name}: no sensor window`];
  const reasons: string[] = [];
  if (!(typeof w.rateHz === "number" && w.rateHz > 0 && Number.isFinite(w.rateHz))) {
    reasons.push(`${name}: rateHz must be a positive number, got ${String(w.rateHz)}`);
  }
  for (const key of ["accMps2", "gyrDps", "quatWxyz"] as const) {
    if (!Array.isArray(w[key])) reasons.push(`${name}: ${key} is missing`);
  }
  if (reasons.length > 0) return reasons;
  const n = w.accMps2.length;
  if (w.gyrDps.length !== n || w.quatWxyz.length !== n) {
    reasons.push(`${name}: window arrays differ in length (accMps2 ${n}, gyrDps ${w.gyrDps.length}, quatWxyz ${w.quatWxyz.length})`);
    return reasons;
  }
  if (n < minSamples) {
    reasons.push(`${name}: window has ${n} samples, at least ${minSamples} needed`);
    return reasons;
  }
  for (let i = 0; i < n; i++) {
    const bad = badField(w, i);
    if (bad !== null) {
      reasons.push(`${name}: sample ${i} has a non-finite ${bad}`);
      break;
    }
  }
  return reasons;
}

function badField(w: SensorWindow, i: number): string | null {
  const a = w.accMps2[i], g = w.gyrDps[i], q = w.quatWxyz[i];
  if (!(a?.length === 3 && a.every(Number.isFinite))) return "accMps2";
  if (!(g?.length === 3 && g.every(Number.isFinite))) return "gyrDps";
  if (!(q?.length === 4 && q.every(Number.isFinite)) || q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3] === 0) return "quatWxyz";
  return null;
}

export function meanVec3(vs: readonly Readonly<Vec3>[]): Vec3 {
  const m: Vec3 = [0, 0, 0];
  for (const v of vs) {
    m[0] += v[0];
    m[1] += v[1];
    m[2] += v[2];
  }
  const k = vs.length > 0 ? 1 / vs.length : 0;
  return [m[0] * k, m[1] * k, m[2] * k];
}

/**
 * RMS of the gyro's deviation from its window mean (°/s). The mean is removed so that a constant
 * bias (raw or partly corrected gyro) does not count as movement; swaying and shifting do.
 */
export function gyroRmsAboutMeanDps(gyrDps: readonly Readonly<Vec3>[]): number {
  const m = meanVec3(gyrDps);
  let s = 0;
  for (const g of gyrDps) {
    const dx = g[0] - m[0], dy = g[1] - m[1], dz = g[2] - m[2];
    s += dx * dx + dy * dy + dz * dz;
  }
  return Math.sqrt(s / Math.max(1, gyrDps.length));
}

/** RMS angle (deg) of the accelerometer directions from their mean direction: slow leaning shows here. */
export function accDirectionRmsDeg(accMps2: readonly Readonly<Vec3>[]): number {
  const m = normalize(meanVec3(accMps2));
  let s = 0;
  for (const a of accMps2) {
    const d = angleBetweenDeg(a, m);
    s += d * d;
  }
  return Math.sqrt(s / Math.max(1, accMps2.length));
}

/**
 * Mean of nearly equal unit quaternions (signs aligned to the first, summed, normalised): the
 * chordal mean, accurate for the small spread of a still window.
 */
export function meanQuat(qs: readonly Readonly<QuatWxyz>[]): QuatWxyz {
  const m: QuatWxyz = [0, 0, 0, 0];
  const r = qs[0];
  for (const q of qs) {
    const s = q[0] * r[0] + q[1] * r[1] + q[2] * r[2] + q[3] * r[3] < 0 ? -1 : 1;
    m[0] += s * q[0];
    m[1] += s * q[1];
    m[2] += s * q[2];
    m[3] += s * q[3];
  }
  return quatNormalize(m, m);
}

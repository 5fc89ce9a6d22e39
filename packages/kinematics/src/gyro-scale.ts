import { STANDARD_GRAVITY_MPS2 as G_MPS2 } from "@spinewatch/protocol";
import type { Vec3 } from "@spinewatch/protocol";
import { cross, DEG_PER_RAD, dot, normalize } from "./vec3.js";

/**
 * The gyroscope's scale about one axis, from a slow rotation about it between still moments
 * (the functional bend of the calibration: standing, a pause bent forward, standing again).
 *
 * Why: a MEMS gyroscope's sensitivity is only specified to a tolerance of the order of a percent
 * (UNVERIFIED here: consumer datasheets, not in ../shared), and an orientation filter that keeps
 * the accelerometer out during swings (DESIGN.md: linear acceleration) integrates that error
 * into every swing's peak: 2 % of a 60° swing is 1.2°. In a swing set the only still moments are
 * upright, where the integrated error has come back to zero, so nothing in the exercise itself
 * reveals it (docs/BENCHMARKS.md, issue 4 session 7). Between still moments at different tilts,
 * the accelerometer measures how far the sensor turned, independently of the gyroscope: the
 * calibration of Tedaldi, Pretto and Menegatti (ICRA 2014, "A robust and easy to implement method
 * for IMU calibration without external equipments": gyroscope parameters from integrating it
 * between static intervals and comparing with the gravity directions measured in them), reduced
 * here to the one axis the bend turns about.
 *
 * Method: θ(t), the gyro rate about the axis integrated over the window (trapezoid rule); ψ(t),
 * the turn about the axis that the gravity direction shows at the still samples (its angle in
 * the plane normal to the axis; gravity, fixed in the world, turns the other way in sensor axes).
 * At still samples θ = k·ψ + c + d·(t − t̄): least squares for the scale k, the offset c and a
 * residual gyro bias d (identifiable when the still moments at one tilt are apart in time, as
 * standing before and after the bend are; else d is left out). A still sample is one around
 * which the gyro stayed below `stillDps` for `stillHalfWindowMs` either side: a slow bend starts
 * and ends with a tangential acceleration (up to ~0.5 m/s² at T12 for a 2 s bend) that tilts the
 * measured gravity by degrees while the rate is still nearly zero.
 */
export interface GyroScaleOptions {
  /** Still: the gyro below this around the sample, °/s. */
  stillDps: number;
  /** ... for this long either side of it, ms. */
  stillHalfWindowMs: number;
  /** Still: the specific force within this of 1 g, m/s². */
  stillAccErrorMps2: number;
  /** Least spread of the still samples' turn about the axis, degrees. */
  minSpreadDeg: number;
  /** Largest RMS misfit of the still samples, degrees (larger: they were not still). */
  maxResidualDeg: number;
  /** Largest |scale − 1| believed; beyond it the window was not a clean rotation. */
  maxScaleError: number;
  /** Largest step between samples, ms: the integral must not cross a hole. */
  maxStepMs: number;
}

export const GYRO_SCALE_DEFAULTS: Readonly<GyroScaleOptions> = {
  stillDps: 2,
  stillHalfWindowMs: 150,
  stillAccErrorMps2: 0.15,
  minSpreadDeg: 20,
  maxResidualDeg: 0.3,
  maxScaleError: 0.1,
  maxStepMs: 30,
};

export interface GyroScaleInput {
  tMs: readonly number[];
  accMps2: readonly Readonly<Vec3>[];
  /** Bias-corrected, °/s. */
  gyrDps: readonly Readonly<Vec3>[];
}

export interface GyroScaleEstimate {
  /** Measured / true rate about the axis (1: right). */
  scale: number;
  /** The rotation the estimate rests on: spread of the still samples' turn, degrees. */
  spreadDeg: number;
  /** RMS misfit of the still samples, degrees. */
  residualDeg: number;
  stillSamples: number;
  /** Residual gyro bias about the axis, °/s, when the still moments allowed estimating it. */
  biasDps?: number;
}

export type GyroScaleOutcome = { ok: true; estimate: GyroScaleEstimate } | { ok: false; reason: string };

/** The scale of the gyro about `axis` (sensor axes, any length) over the window. */
export function estimateGyroScale(w: GyroScaleInput, axis: Readonly<Vec3>, options: Partial<GyroScaleOptions> = {}): GyroScaleOutcome {
  const o = { ...GYRO_SCALE_DEFAULTS, ...options };
  const n = w.tMs.length;
  if (n < 3 || w.accMps2.length !== n || w.gyrDps.length !== n) return { ok: false, reason: "too few samples" };
  const a = normalize(axis);
  // A basis of the plane normal to the axis, for gravity's angle about it.
  const e1 = normalize(Math.abs(a[0]) < 0.9 ? cross(a, [1, 0, 0]) : cross(a, [0, 1, 0]));
  const e2 = cross(a, e1);

  const thetaDeg = new Float64Array(n);
  const rate = new Float64Array(n);
  for (let i = 0; i < n; i++) rate[i] = dot(w.gyrDps[i], a);
  for (let i = 1; i < n; i++) {
    const dtMs = w.tMs[i] - w.tMs[i - 1];
    if (!(dtMs > 0 && dtMs <= o.maxStepMs)) return { ok: false, reason: `a ${dtMs.toFixed(0)} ms hole in the samples` };
    thetaDeg[i] = thetaDeg[i - 1] + ((rate[i - 1] + rate[i]) / 2) * (dtMs / 1000);
  }

  // Still samples: |ω| below stillDps over ±stillHalfWindowMs (two pointers), |a| near 1 g.
  const still: number[] = [];
  let lo = 0, hi = 0;
  const moving: number[] = []; // indices with |ω| ≥ stillDps inside [lo, hi), in order
  let mHead = 0;
  for (let i = 0; i < n; i++) {
    while (hi < n && w.tMs[hi] <= w.tMs[i] + o.stillHalfWindowMs) {
      const g = w.gyrDps[hi];
      if (Math.hypot(g[0], g[1], g[2]) >= o.stillDps) moving.push(hi);
      hi++;
    }
    while (w.tMs[lo] < w.tMs[i] - o.stillHalfWindowMs) lo++;
    while (mHead < moving.length && moving[mHead] < lo) mHead++;
    // Only samples with a whole window on both sides count (the window's ends are unknown).
    if (w.tMs[i] - w.tMs[0] < o.stillHalfWindowMs || w.tMs[n - 1] - w.tMs[i] < o.stillHalfWindowMs) continue;
    if (mHead < moving.length) continue;
    const f = w.accMps2[i];
    if (Math.abs(Math.hypot(f[0], f[1], f[2]) - G_MPS2) > o.stillAccErrorMps2) continue;
    still.push(i);
  }
  if (still.length < 10) return { ok: false, reason: `only ${still.length} still samples` };

  // ψ: the turn about the axis shown by gravity (unwrapped from the first still sample).
  const psiDeg = new Float64Array(still.length);
  let prev = Number.NaN;
  let minPsi = Infinity, maxPsi = -Infinity;
  for (let j = 0; j < still.length; j++) {
    const f = w.accMps2[still[j]];
    const inPlane = Math.hypot(dot(f, e1), dot(f, e2));
    if (inPlane < 0.5 * G_MPS2) return { ok: false, reason: "the axis is too close to vertical to see the turn in gravity" };
    let phi = -Math.atan2(dot(f, e2), dot(f, e1)) * DEG_PER_RAD;
    if (j > 0) phi = prev + (((phi - prev + 540) % 360) - 180);
    prev = phi;
    psiDeg[j] = phi;
    minPsi = Math.min(minPsi, phi);
    maxPsi = Math.max(maxPsi, phi);
  }
  const spreadDeg = maxPsi - minPsi;
  if (spreadDeg < o.minSpreadDeg) return { ok: false, reason: `the still moments are only ${spreadDeg.toFixed(1)}° apart about the axis (< ${o.minSpreadDeg}°)` };

  const fit = fitScale(still.map((i) => w.tMs[i]), psiDeg, still.map((i) => thetaDeg[i]));
  if (fit === null) return { ok: false, reason: "the still moments do not determine the scale" };
  if (fit.residualDeg > o.maxResidualDeg) return { ok: false, reason: `the still moments misfit by ${fit.residualDeg.toFixed(2)}° RMS (> ${o.maxResidualDeg}°): not still` };
  if (Math.abs(fit.scale - 1) > o.maxScaleError) return { ok: false, reason: `scale ${fit.scale.toFixed(3)} is beyond ±${(100 * o.maxScaleError).toFixed(0)}%` };
  const estimate: GyroScaleEstimate = { scale: fit.scale, spreadDeg, residualDeg: fit.residualDeg, stillSamples: still.length };
  if (fit.biasDps !== undefined) estimate.biasDps = fit.biasDps;
  return { ok: true, estimate };
}

/**
 * Least squares θ = k·ψ + c (+ d·(t − t̄) when determined): normal equations, solved by Cramer's
 * rule (three unknowns; no library needed). Null when even k and c are not determined.
 */
function fitScale(tMs: readonly number[], psi: Float64Array, theta: readonly number[]): { scale: number; biasDps?: number; residualDeg: number } | null {
  const m = tMs.length;
  let tMean = 0;
  for (const t of tMs) tMean += t / m;
  // Columns: ψ, 1, τ (seconds from the mean time).
  let spp = 0, sp1 = 0, spt = 0, s11 = m, s1t = 0, stt = 0, bp = 0, b1 = 0, bt = 0;
  for (let j = 0; j < m; j++) {
    const p = psi[j], tau = (tMs[j] - tMean) / 1000, y = theta[j];
    spp += p * p; sp1 += p; spt += p * tau; s1t += tau; stt += tau * tau;
    bp += p * y; b1 += y; bt += tau * y;
  }
  const det3 = spp * (s11 * stt - s1t * s1t) - sp1 * (sp1 * stt - s1t * spt) + spt * (sp1 * s1t - s11 * spt);
  const det2 = spp * s11 - sp1 * sp1;
  if (!(det2 > 1e-9 * spp * s11)) return null;
  // The bias column only when at least a tenth of the times' spread is not explained by the
  // tilt (still moments at one tilt far apart in time); with one still moment per tilt, d would
  // come from the few samples' drift within each and trade off against k.
  const withBias = det3 > 0.1 * det2 * stt;
  let k: number, c: number, d = 0;
  if (withBias) {
    k = (bp * (s11 * stt - s1t * s1t) - sp1 * (b1 * stt - s1t * bt) + spt * (b1 * s1t - s11 * bt)) / det3;
    c = (spp * (b1 * stt - bt * s1t) - bp * (sp1 * stt - s1t * spt) + spt * (sp1 * bt - b1 * spt)) / det3;
    d = (spp * (s11 * bt - s1t * b1) - sp1 * (sp1 * bt - b1 * spt) + bp * (sp1 * s1t - s11 * spt)) / det3;
  } else {
    k = (bp * s11 - sp1 * b1) / det2;
    c = (spp * b1 - sp1 * bp) / det2;
  }
  let sse = 0;
  for (let j = 0; j < m; j++) {
    const r = theta[j] - (k * psi[j] + c + d * ((tMs[j] - tMean) / 1000));
    sse += r * r;
  }
  // θ drifts by d per second in rate units, so d is the residual bias in °/s.
  return withBias ? { scale: k, biasDps: d, residualDeg: Math.sqrt(sse / m) } : { scale: k, residualDeg: Math.sqrt(sse / m) };
}

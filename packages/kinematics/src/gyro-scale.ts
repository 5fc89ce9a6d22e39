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
 *
 * A hole in the samples (a lost BLE notification burst; in the pipeline, either sensor going
 * stale stops the paired frames of both) leaves the turn across it unknown: θ starts again after
 * it, with an offset c of its own (least squares with one offset per stretch, i.e. each
 * stretch's still samples taken about their own means). The stretches that still hold still
 * moments at different tilts (standing and the pause at the bottom) give the scale; a hole
 * during the bend costs only the stretch before it. (Measured on the simulator's calibration,
 * 8 scenarios × 2 devices × 5 seeds: a hole refused the whole window in 3 of the 10 device and
 * seed draws, 140-160 ms holes on the Movella DOT among them.)
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
  /** Largest step between samples, ms: a longer one is a hole, which the integral does not cross. */
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
  /** The rotation the estimate rests on: spread of the still samples' turn within a stretch between holes (the widest), degrees. */
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
  // Stretches between holes: segment[i], and each stretch's first and last sample time.
  const segment = new Int32Array(n);
  const segStartMs: number[] = [w.tMs[0]];
  const segEndMs: number[] = [];
  let longestHoleMs = 0;
  for (let i = 0; i < n; i++) rate[i] = dot(w.gyrDps[i], a);
  for (let i = 1; i < n; i++) {
    const dtMs = w.tMs[i] - w.tMs[i - 1];
    if (!(dtMs > 0)) return { ok: false, reason: `sample times not increasing (${w.tMs[i - 1]} then ${w.tMs[i]} ms)` };
    if (dtMs > o.maxStepMs) {
      segEndMs.push(w.tMs[i - 1]);
      segStartMs.push(w.tMs[i]);
      segment[i] = segment[i - 1] + 1;
      longestHoleMs = Math.max(longestHoleMs, dtMs);
      continue; // θ starts again at 0
    }
    segment[i] = segment[i - 1];
    thetaDeg[i] = thetaDeg[i - 1] + ((rate[i - 1] + rate[i]) / 2) * (dtMs / 1000);
  }
  segEndMs.push(w.tMs[n - 1]);
  const holeNote = longestHoleMs > 0 ? ` (the samples have holes, the longest ${longestHoleMs.toFixed(0)} ms)` : "";

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
    // Only samples with a whole window on both sides within their stretch count (the window's
    // ends, and what happened in a hole, are unknown).
    const sg = segment[i];
    if (w.tMs[i] - segStartMs[sg] < o.stillHalfWindowMs || segEndMs[sg] - w.tMs[i] < o.stillHalfWindowMs) continue;
    if (mHead < moving.length) continue;
    const f = w.accMps2[i];
    if (Math.abs(Math.hypot(f[0], f[1], f[2]) - G_MPS2) > o.stillAccErrorMps2) continue;
    still.push(i);
  }
  if (still.length < 10) return { ok: false, reason: `only ${still.length} still samples${holeNote}` };

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
  // Only turns within a stretch tell the scale: the widest stretch's spread.
  const segMin = new Map<number, number>(), segMax = new Map<number, number>();
  for (let j = 0; j < still.length; j++) {
    const sg = segment[still[j]];
    segMin.set(sg, Math.min(segMin.get(sg) ?? Infinity, psiDeg[j]));
    segMax.set(sg, Math.max(segMax.get(sg) ?? -Infinity, psiDeg[j]));
  }
  let spreadDeg = 0;
  for (const [sg, lo] of segMin) spreadDeg = Math.max(spreadDeg, segMax.get(sg)! - lo);
  if (spreadDeg < o.minSpreadDeg) {
    const across = maxPsi - minPsi >= o.minSpreadDeg ? `; ${(maxPsi - minPsi).toFixed(1)}° across a hole` : "";
    return { ok: false, reason: `the still moments are only ${spreadDeg.toFixed(1)}° apart about the axis (< ${o.minSpreadDeg}°)${across}${holeNote}` };
  }

  const fit = fitScale(still.map((i) => w.tMs[i]), psiDeg, still.map((i) => thetaDeg[i]), still.map((i) => segment[i]));
  if (fit === null) return { ok: false, reason: "the still moments do not determine the scale" };
  if (fit.residualDeg > o.maxResidualDeg) return { ok: false, reason: `the still moments misfit by ${fit.residualDeg.toFixed(2)}° RMS (> ${o.maxResidualDeg}°): not still` };
  if (Math.abs(fit.scale - 1) > o.maxScaleError) return { ok: false, reason: `scale ${fit.scale.toFixed(3)} is beyond ±${(100 * o.maxScaleError).toFixed(0)}%` };
  const estimate: GyroScaleEstimate = { scale: fit.scale, spreadDeg, residualDeg: fit.residualDeg, stillSamples: still.length };
  if (fit.biasDps !== undefined) estimate.biasDps = fit.biasDps;
  return { ok: true, estimate };
}

/**
 * Least squares θ = k·ψ + c_s (+ d·τ when determined), one offset c_s per stretch s between
 * holes: the offsets drop out when each stretch's ψ, θ and τ are taken about their own means
 * (the "within" estimator of a regression with one intercept per group), leaving a 2×2 (or 1×1)
 * system. Null when k is not determined.
 */
function fitScale(tMs: readonly number[], psi: Float64Array, theta: readonly number[], seg: readonly number[]): { scale: number; biasDps?: number; residualDeg: number } | null {
  const m = tMs.length;
  // Per-stretch means.
  const sums = new Map<number, { n: number; p: number; y: number; t: number }>();
  for (let j = 0; j < m; j++) {
    const g = sums.get(seg[j]) ?? { n: 0, p: 0, y: 0, t: 0 };
    g.n++; g.p += psi[j]; g.y += theta[j]; g.t += tMs[j] / 1000;
    sums.set(seg[j], g);
  }
  let spp = 0, spt = 0, stt = 0, spy = 0, sty = 0, syy = 0;
  for (let j = 0; j < m; j++) {
    const g = sums.get(seg[j])!;
    const p = psi[j] - g.p / g.n, y = theta[j] - g.y / g.n, tau = tMs[j] / 1000 - g.t / g.n;
    spp += p * p; spt += p * tau; stt += tau * tau; spy += p * y; sty += tau * y; syy += y * y;
  }
  if (!(spp > 1e-9)) return null;
  // The bias column only when at least a tenth of the times' spread is not explained by the
  // tilt (still moments at one tilt far apart in time); with one still moment per tilt, d would
  // come from the few samples' drift within each and trade off against k.
  const det = spp * stt - spt * spt;
  const withBias = det > 0.1 * spp * stt;
  let k: number, d = 0, sse: number;
  if (withBias) {
    k = (spy * stt - sty * spt) / det;
    d = (sty * spp - spy * spt) / det;
    sse = syy - k * spy - d * sty;
  } else {
    k = spy / spp;
    sse = syy - k * spy;
  }
  // θ drifts by d per second in rate units, so d is the residual bias in °/s.
  const residualDeg = Math.sqrt(Math.max(0, sse) / m);
  return withBias ? { scale: k, biasDps: d, residualDeg } : { scale: k, residualDeg };
}

/**
 * A gyro scale measured about `axisSensor` composed onto the correction so far (`prev`, a
 * row-major 3×3 applied to the bias-corrected rate; null: none): (I + (1/scale − 1)·a·aᵀ)·prev,
 * which divides the rate about the axis by `scale` and leaves the rest. `prev` unchanged (and
 * returned) when the axis or scale is not usable.
 */
export function composeGyroScaleCorrection(prev: readonly number[] | null, axisSensor: Readonly<Vec3>, scale: number): number[] | null {
  const n = Math.hypot(axisSensor[0], axisSensor[1], axisSensor[2]);
  if (!(n > 0 && scale > 0)) return prev === null ? null : [...prev];
  const a = [axisSensor[0] / n, axisSensor[1] / n, axisSensor[2] / n];
  const m = 1 / scale - 1;
  const p = prev ?? [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const next = new Array<number>(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let v = 0;
      for (let k = 0; k < 3; k++) v += ((i === k ? 1 : 0) + m * a[i] * a[k]) * p[3 * k + j];
      next[3 * i + j] = v;
    }
  }
  return next;
}

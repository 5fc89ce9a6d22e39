import { gapMeanRateDps, quatFromRotationVector, RAD_PER_DEG } from "@spinewatch/kinematics";
import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";

/** A step longer than this many nominal periods has lost samples inside it. */
const GAP_STEPS = 1.5;

/**
 * The body rate to integrate over each step of one sensor's gyro (bias-corrected, °/s).
 *
 * A regular step uses the mean of the rates at its two ends (midpoint rule). Fusion integrates
 * the newest rate over the whole step, which puts the orientation dt/2 ahead of its timestamp
 * (5 ms at 100 Hz: 1.2° at a swing's 250 °/s, measured on the simulator as a 5 ms lead of every
 * angle).
 *
 * A step across lost samples cannot use that rule: its error grows with the cube of the gap
 * (T³/12·ω'': 2.9° over 200 ms of swing, carried afterwards until the accelerometer is trusted
 * again at a still moment). The rates' derivatives at both ends make it a cubic Hermite
 * (kinematics gapMeanRateDps): the derivative before the gap is known when the gap ends, the one
 * after it only with the next sample. So the gap is integrated with the quadratic through the
 * first derivative, and the next regular sample revises it to the Hermite (`revision()`), applied
 * at the gap's end before that sample's own step, where it belongs.
 *
 * Not when the rates at both ends are slow (under `slowDps`): a sensor slow at both ends of a gap
 * whose rate derivatives differ has stopped or started inside it (a lockout's settling, the
 * start of a move), and a curve through those derivatives swings through rates it never had: a
 * 200 ms thoracic loss at a swing's lockout, ends at 1.2 and 0.1 °/s, derivatives +410 and −4 °/s²,
 * was bridged 1.27° wrong (the end correction T²·Δα/12 = 1.38°), carried through the next rep
 * (simulator, sensor-dropout Movella DOT seed 5 at 102.2 s, 300 s: a rep peak 1.66° off). There
 * the rotation is small whatever happened, and the trapezoid of the ends' rates keeps it small.
 */
export class GyroStepRate {
  readonly #periodS: number;
  readonly #hermite: boolean;
  readonly #prev: Vec3 = [0, 0, 0];
  /** Rate derivative at the previous sample (backward difference over a regular step). */
  readonly #prevAlpha: Vec3 = [0, 0, 0];
  readonly #out: Vec3 = [0, 0, 0];
  #havePrev = false;
  #havePrevAlpha = false;
  /** The last gap, integrated with the quadratic, awaiting the derivative after it. */
  #pending: { w0: Vec3; a0: Vec3; w1: Vec3; spanS: number; appliedDps: Vec3 } | null = null;
  /** A gap with both ends' rates below this (°/s, vector norm) is a regular step: the trapezoid. */
  readonly #slowDps: number;

  /** `hermite` false: a gap is integrated like a regular step (for comparisons only). */
  constructor(rateHz: number, hermite = true, slowDps = 10) {
    this.#periodS = 1 / rateHz;
    this.#hermite = hermite;
    this.#slowDps = slowDps;
  }

  /**
   * Called first for each sample: when the previous step was a gap and this one is regular, the
   * rotation (right-multiplied at the gap's end, i.e. before this step is integrated) that takes
   * the gap from the quadratic to the Hermite; else null.
   */
  revision(rateDps: Readonly<Vec3>, dtS: number): QuatWxyz | null {
    const p = this.#pending;
    this.#pending = null;
    if (p === null || !this.#isRegular(dtS)) return null;
    const a1: Vec3 = [0, 0, 0];
    for (let i = 0; i < 3; i++) a1[i] = (rateDps[i] - p.w1[i]) / dtS;
    const h = gapMeanRateDps(p.w0, p.a0, p.w1, a1, p.spanS);
    const k = p.spanS * RAD_PER_DEG;
    return quatFromRotationVector([(h[0] - p.appliedDps[0]) * k, (h[1] - p.appliedDps[1]) * k, (h[2] - p.appliedDps[2]) * k]);
  }

  /** The rate to integrate over the step of `dtS` that ends at this sample (a reused array). */
  next(rateDps: Readonly<Vec3>, dtS: number): Readonly<Vec3> {
    const out = this.#out, prev = this.#prev, alpha = this.#prevAlpha;
    const regular = this.#isRegular(dtS);
    if (!this.#havePrev) {
      out[0] = rateDps[0]; out[1] = rateDps[1]; out[2] = rateDps[2];
    } else if (!regular && this.#havePrevAlpha && this.#hermite && !(norm(prev) < this.#slowDps && norm(rateDps) < this.#slowDps)) {
      gapMeanRateDps(prev, alpha, rateDps, null, dtS, out);
      this.#pending = { w0: [prev[0], prev[1], prev[2]], a0: [alpha[0], alpha[1], alpha[2]], w1: [rateDps[0], rateDps[1], rateDps[2]], spanS: dtS, appliedDps: [out[0], out[1], out[2]] };
    } else {
      out[0] = 0.5 * (prev[0] + rateDps[0]);
      out[1] = 0.5 * (prev[1] + rateDps[1]);
      out[2] = 0.5 * (prev[2] + rateDps[2]);
    }
    // The derivative at this sample, for a gap that may follow: only over a regular step.
    this.#havePrevAlpha = this.#havePrev && regular && dtS > 0;
    if (this.#havePrevAlpha) for (let i = 0; i < 3; i++) alpha[i] = (rateDps[i] - prev[i]) / dtS;
    prev[0] = rateDps[0]; prev[1] = rateDps[1]; prev[2] = rateDps[2];
    this.#havePrev = true;
    return out;
  }

  /** Forget the history (a re-seed: nothing to integrate across). */
  reset(): void {
    this.#havePrev = false;
    this.#havePrevAlpha = false;
    this.#pending = null;
  }

  #isRegular(dtS: number): boolean {
    return dtS <= GAP_STEPS * this.#periodS;
  }
}

function norm(v: Readonly<Vec3>): number {
  return Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
}

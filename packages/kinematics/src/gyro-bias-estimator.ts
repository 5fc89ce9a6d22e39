import type { Vec3 } from "@spinewatch/protocol";

/** Options of {@link GyroBiasEstimator}; every field has a default. */
export interface GyroBiasOptions {
  /** Still only while every axis of (gyro − bias) stays below this. */
  gyrThresholdDps: number;
  /** Still only while | |acc| − g | stays below this (no linear acceleration to speak of). */
  accToleranceMps2: number;
  /** Gravity magnitude the accelerometer reads at rest. */
  gravityMps2: number;
  /** Stillness must last this long before the bias is learned. */
  stillTimeS: number;
  /** Time constant of the one-pole bias update while still. */
  timeConstantS: number;
  /** Bias to start from (e.g. from a previous session). */
  initialBiasDps: Readonly<Vec3>;
}

/**
 * Defaults, and why:
 * - gyrThresholdDps 2: a person standing quietly sways the pelvis and T12 by well under 1 °/s,
 *   while any deliberate movement exceeds a few °/s; Fusion's FusionOffset uses 3 °/s. Lower
 *   than 3 so that slow movements are less likely to be mistaken for bias. It also bounds the
 *   bias that can be learned from scratch: a bias above 2 °/s needs `initialBiasDps`.
 * - accToleranceMps2 0.5: about 5 % of g, above the scale error of uncalibrated MEMS
 *   accelerometers (1-2 %), well below the 3-5 m/s² of a swing (DESIGN.md).
 * - stillTimeS 0.5 and timeConstantS 1.5: DESIGN.md asks to learn from still moments as short
 *   as about 1 s. After 0.5 s of stillness the whole still stretch so far is used at once,
 *   so a 1 s pause removes about half of the bias error (1 − e^(−1/1.5)) and 3.5 s remove 90 %.
 */
export const GYRO_BIAS_DEFAULTS: Readonly<GyroBiasOptions> = Object.freeze({
  gyrThresholdDps: 2,
  accToleranceMps2: 0.5,
  gravityMps2: 9.80665,
  stillTimeS: 0.5,
  timeConstantS: 1.5,
  initialBiasDps: Object.freeze([0, 0, 0]) as unknown as Readonly<Vec3>,
});

/**
 * Learns the gyroscope offset whenever the sensor is still and returns bias-corrected rates.
 *
 * Inspired by x-io Technologies' FusionOffset (github.com/xioTechnologies/Fusion,
 * Fusion/FusionOffset.c, MIT): it declares the gyroscope stationary when every axis of the
 * corrected rate stays below 3 °/s for 5 s, then tracks the offset with a 0.02 Hz low-pass
 * (time constant 8 s). That is too slow for spinewatch, whose angles drift on gyro bias between
 * short rests (DESIGN.md), so here:
 * - stillness also requires the accelerometer magnitude near g, and only `stillTimeS` (0.5 s);
 * - when stillness is confirmed, the mean raw rate over the whole still stretch so far is
 *   blended in at once with weight 1 − e^(−T/τ) (T its duration), as if the one-pole update had
 *   run from the start of the stretch;
 * - while still, a one-pole update bias += (1 − e^(−dt/τ)) (gyro − bias), τ = `timeConstantS`.
 *
 * `next` writes into a reused array (no allocation): copy the result to keep it.
 */
export class GyroBiasEstimator {
  readonly #thresholdDps: number;
  readonly #accTolMps2: number;
  readonly #gravityMps2: number;
  readonly #stillTimeS: number;
  readonly #timeConstantS: number;
  readonly #initialBiasDps: Vec3;
  readonly #bias: Vec3 = [0, 0, 0];
  readonly #out: Vec3 = [0, 0, 0];
  #candidateS = 0;
  #sumX = 0;
  #sumY = 0;
  #sumZ = 0;
  #still = false;

  constructor(options: Partial<GyroBiasOptions> = {}) {
    const o = { ...GYRO_BIAS_DEFAULTS, ...options };
    for (const key of ["gyrThresholdDps", "accToleranceMps2", "gravityMps2", "stillTimeS", "timeConstantS"] as const) {
      if (!(Number.isFinite(o[key]) && o[key] > 0)) {
        throw new RangeError(`gyro bias estimator option ${key} must be a finite number > 0, got ${String(o[key])}`);
      }
    }
    const b = o.initialBiasDps;
    if (!Array.isArray(b) || b.length !== 3 || !b.every(Number.isFinite)) {
      throw new RangeError(`gyro bias estimator option initialBiasDps must be 3 finite numbers, got ${String(b)}`);
    }
    this.#thresholdDps = o.gyrThresholdDps;
    this.#accTolMps2 = o.accToleranceMps2;
    this.#gravityMps2 = o.gravityMps2;
    this.#stillTimeS = o.stillTimeS;
    this.#timeConstantS = o.timeConstantS;
    this.#initialBiasDps = [b[0], b[1], b[2]];
    this.reset();
  }

  /** Forget what was learned: back to `initialBiasDps`, not still. */
  reset(): void {
    this.#bias[0] = this.#initialBiasDps[0];
    this.#bias[1] = this.#initialBiasDps[1];
    this.#bias[2] = this.#initialBiasDps[2];
    this.#endStillness();
  }

  /** Current bias estimate (reused array). */
  get biasDps(): Readonly<Vec3> {
    return this.#bias;
  }

  /** True while the sensor has been still for at least `stillTimeS` (the bias is being learned). */
  get isStill(): boolean {
    return this.#still;
  }

  /** One sample: raw gyro (°/s), accelerometer (m/s²), time since the previous sample (s). */
  next(gyrDps: Readonly<Vec3>, accMps2: Readonly<Vec3>, dtS: number): Readonly<Vec3> {
    if (!(dtS >= 0 && dtS < 1e9)) {
      throw new RangeError(`gyro bias estimator: dtS must be a finite number >= 0, got ${dtS}`);
    }
    const bias = this.#bias, out = this.#out;
    const gx = gyrDps[0], gy = gyrDps[1], gz = gyrDps[2];
    const cx = gx - bias[0], cy = gy - bias[1], cz = gz - bias[2];
    out[0] = cx;
    out[1] = cy;
    out[2] = cz;

    const ax = accMps2[0], ay = accMps2[1], az = accMps2[2];
    const accErr = Math.sqrt(ax * ax + ay * ay + az * az) - this.#gravityMps2;
    const thr = this.#thresholdDps;
    // Written so that NaN anywhere counts as "not still" and never reaches the bias.
    const still = Math.abs(cx) < thr && Math.abs(cy) < thr && Math.abs(cz) < thr &&
      Math.abs(accErr) < this.#accTolMps2;
    if (!still) {
      this.#endStillness();
      return out;
    }

    this.#candidateS += dtS;
    if (this.#still) {
      const k = 1 - Math.exp(-dtS / this.#timeConstantS);
      bias[0] += k * cx;
      bias[1] += k * cy;
      bias[2] += k * cz;
      return out;
    }
    this.#sumX += gx * dtS;
    this.#sumY += gy * dtS;
    this.#sumZ += gz * dtS;
    if (this.#candidateS >= this.#stillTimeS) {
      // Stillness confirmed: use the whole still stretch at once (its time-weighted mean rate).
      const t = this.#candidateS;
      const k = 1 - Math.exp(-t / this.#timeConstantS);
      bias[0] += k * (this.#sumX / t - bias[0]);
      bias[1] += k * (this.#sumY / t - bias[1]);
      bias[2] += k * (this.#sumZ / t - bias[2]);
      this.#still = true;
    }
    return out;
  }

  #endStillness(): void {
    this.#still = false;
    this.#candidateS = 0;
    this.#sumX = this.#sumY = this.#sumZ = 0;
  }
}

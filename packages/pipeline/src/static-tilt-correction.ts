import { STANDARD_GRAVITY_MPS2 as G_MPS2 } from "@spinewatch/protocol";
import { quatFromTwoVectors, quatMultiply, quatRotate } from "@spinewatch/kinematics";
import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";

export interface StaticTiltSettings {
  /** A sample is quasi-static while its bias-corrected rate stays below this (vector norm), °/s. */
  gyrThresholdDps: number;
  /** ...and the accelerometer magnitude within this of g, m/s². */
  accToleranceMps2: number;
  /** ...and the accelerometer's spread about its mean over the stretch stays below this (RMS of the vector), m/s². */
  accSpreadMps2: number;
  /** A quasi-static stretch must last this long before its gravity direction is used, ms. */
  minDurationMs: number;
  /** Tilt discrepancies below this are left to the filter, degrees. */
  minCorrectionDeg: number;
  /** A stretch still this long (ms) gets a second check, over the samples after the first... */
  longDurationMs: number;
  /** ...which corrects discrepancies above this, degrees. */
  longMinCorrectionDeg: number;
  /** The first check after `expectError()` (a gap) corrects discrepancies above this, degrees. */
  afterGapMinCorrectionDeg: number;
  /**
   * A first check that expects no error waits while the measured "up" still moves by more than
   * this over the stretch (linear trend), degrees.
   */
  maxTrendDeg: number;
}

/**
 * Defaults, and why:
 * - 4 °/s for 100 ms: the lockout of a kettlebell swing (RKC standard: hips and knees extended,
 *   LUMBAR-FACTS.md) and the bottom of a hinge are brief stops of 0.1-0.3 s between movements
 *   of 60-250 °/s. A low rate alone does not mean no linear acceleration: at the end of a
 *   smooth stop the rate falls as (1−s)² but the angular deceleration only as (1−s), and the
 *   T12 sensor sits ~0.7 m from the hips, so the tail of a slow bend still carries 0.2-0.4
 *   m/s² of tangential acceleration (1-2° of tilt; measured on the simulator's calibration
 *   bend). Hence the next point:
 * - only discrepancies above 2° are corrected: below that the filter's own feedback (trusted
 *   within 1.5°, or whenever the gyro-bias estimator sees 0.5 s of stillness) does better,
 *   and a stop's residual acceleration cannot make things worse than they were. Above it, the
 *   orientation was lost (a gap integrated blind), and the accelerometer at a stop is right
 *   within about 1°.
 * - spread 0.15 m/s² (~0.9° of tilt): about 4× the accelerometer noise of the supported sensors
 *   (230 µg/√Hz at 100 Hz ≈ 0.023 m/s² per axis, simulator error-model.ts), so a sensor that
 *   is still passes and a changing linear acceleration does not.
 * - 0.3 m/s² on |a|: 3 % of g, above the accelerometer scale error of consumer MEMS.
 * - a second check after 0.4 s of stillness corrects anything above 1°: a real rest (a pause
 *   on all fours, the rest between sets) has no deceleration left in it, and over ~0.3 s the
 *   accelerometer noise averages to ~0.1°. Without it the filter took ~8 s to shed the 1-1.5°
 *   it gathered on the way down to all fours (gyro scale error over an 85° turn, then feedback
 *   at gain 0.5), a drift the pelvis roll of a bird dog's reach (1-3°) cannot afford
 *   (simulator, bird dog, seed 2: the all-fours neutral moved 0.7° across the first reach).
 *   Not lower than 1°: the accelerometer's own direction is off by up to ~1° (cross-axis
 *   sensitivity ±2 %, ICM-20948 datasheet DS-000189), so smaller corrections trade a few
 *   seconds of gyro drift for that error at once: measured at 0.3°, hip-hinge-holds axial
 *   rotation RMSE 0.51 -> 1.37°; at 1°, 0.55-0.64°.
 * - after a gap integrated blind (a re-seed, or a bridged gap long enough to be confirmed), the
 *   first check corrects anything above 1° too, even at a 100 ms stop: the orientation may then
 *   be off by 1.5-2°, where the filter rejects the accelerometer (1.5°) and the 2° above leaves it,
 *   so nothing corrected it before the next real rest; bench/diagnose-residuals.ts found it
 *   carried through 3-4 reps of a set after 170-290 ms bursts (rep peaks 1.5-2.3° off). A stop's
 *   leftover deceleration (up to 1-2°, above) is the smaller risk then.
 * - a first check that expects no error waits while the "up" the accelerometer shows still
 *   moves by more than 0.5° over the stretch (its linear trend, in world axes through the
 *   filter's orientation, so that a turn the gyro sees does not count): the spread test above
 *   lets a smooth deceleration tail through. Simulator, hip-hinge-holds, Movella DOT seed 8 at
 *   156.2 s: a hold's first 100 ms read 2.2° of disagreement, 1.55° of it the tail, and the
 *   2° check took it, a rep peak 1.63° off (0.66° with the trend test). Accelerometer noise
 *   (~0.1° per sample) moves the trend of 10 samples by ~0.1°. Not for a check after a gap:
 *   waiting there lost stops that the bridge's error needed (sensor-dropout scenario: 51° of
 *   flexion error). Bench (48 sessions, latency declared): pelvis tilt RMSE 0.221 → 0.219°,
 *   flexion RMSE 0.299 → 0.300°; seeds 4-8 (docs/BENCHMARKS.md session 9): the rep peak above
 *   fixed, nothing else beyond 0.03°.
 */
export const STATIC_TILT_DEFAULTS: Readonly<StaticTiltSettings> = Object.freeze({
  gyrThresholdDps: 4,
  accToleranceMps2: 0.3,
  accSpreadMps2: 0.15,
  minDurationMs: 100,
  minCorrectionDeg: 2,
  longDurationMs: 400,
  longMinCorrectionDeg: 1,
  afterGapMinCorrectionDeg: 1,
  maxTrendDeg: 0.5,
});

const RAD_PER_DEG = Math.PI / 180;
/** checkNow's least stretch: 2 samples, 10-20 ms at the supported rates. */
const MIN_EARLY_SAMPLES = 2;
const UP: Readonly<Vec3> = [0, 0, 1];

/**
 * Tilt fix at quasi-static moments ("zero-velocity" style update): while a sensor is briefly
 * still, its accelerometer measures gravity alone, so the mean measured "up" in world axes
 * (each sample rotated by the filter's orientation at that sample) should be world up. When a
 * stretch has lasted `minDurationMs` and the two disagree by more than `minCorrectionDeg`, the
 * correction is the smallest world rotation taking the measured up onto world up: a rotation
 * about a horizontal axis, so the heading, which the calibration's heading alignment depends on,
 * is kept.
 *
 * Why: the filter trusts the accelerometer only when it agrees with its own estimate within
 * 1.5° (SPINE_FILTER_SETTINGS, DESIGN.md: swing acceleration must not leak into tilt), or when
 * the gyro-bias estimator has seen 0.5 s of stillness. A tilt error larger than that (after a
 * lost BLE notification burst during a swing, integrated blind) was therefore never corrected
 * during a set: the lockouts of a swing last ~0.2 s. Measured on the simulator (kettlebell
 * swing, 120 s, WitMotion, BLE loss only): flexion RMSE 9.8° before, see docs/BENCHMARKS.md
 * "Accuracy against ground truth" for after.
 *
 * One check per stretch (at `minDurationMs`). `next` returns the corrected orientation to set
 * on the filter, or null; `confirmed` says whether the check found the gravity direction usable.
 */
export class StaticTiltCorrection {
  readonly settings: StaticTiltSettings;
  #runMs = 0;
  #n = 0;
  #done = false;
  #longDone = false;
  #confirmed = false;
  /** A gap may have left an error: the next check corrects above this (Infinity: no error expected). */
  #expectErrorDeg = Infinity;
  // Sums of the world-frame unit "up" measured, and of the raw accelerometer and its square (spread).
  #ux = 0; #uy = 0; #uz = 0;
  #ax = 0; #ay = 0; #az = 0;
  #a2 = 0;
  // Time-weighted sums for the trend of the world "up" over the stretch (τ: ms into it).
  #st = 0; #stt = 0; #stx = 0; #sty = 0; #stz = 0;
  readonly #world: Vec3 = [0, 0, 0];

  constructor(settings: Partial<StaticTiltSettings> = {}) {
    this.settings = { ...STATIC_TILT_DEFAULTS, ...settings };
  }

  /**
   * True once the current stretch has been checked and its gravity direction was usable: the
   * tilt is now right (corrected, or found within `minCorrectionDeg`), until the stretch ends.
   */
  get confirmed(): boolean {
    return this.#confirmed;
  }

  /**
   * The orientation went through a gap integrated blind: the next check (not `reset()`, which
   * only ends a stretch) corrects discrepancies above `minCorrectionDeg` (default
   * `afterGapMinCorrectionDeg`).
   */
  expectError(minCorrectionDeg = this.settings.afterGapMinCorrectionDeg): void {
    this.#expectErrorDeg = minCorrectionDeg;
  }

  /**
   * One sample: the filter's orientation after it (sensor-to-world), the accelerometer (m/s²),
   * the bias-corrected rate (°/s) and the time since the previous sample (ms).
   */
  next(quatWxyz: Readonly<QuatWxyz>, accMps2: Readonly<Vec3>, gyrDps: Readonly<Vec3>, dtMs: number): QuatWxyz | null {
    const s = this.settings;
    const ax = accMps2[0], ay = accMps2[1], az = accMps2[2];
    const norm = Math.sqrt(ax * ax + ay * ay + az * az);
    const rate = Math.sqrt(gyrDps[0] * gyrDps[0] + gyrDps[1] * gyrDps[1] + gyrDps[2] * gyrDps[2]);
    if (!(rate < s.gyrThresholdDps && Math.abs(norm - G_MPS2) < s.accToleranceMps2)) {
      this.reset();
      return null;
    }
    if (this.#n > 0) this.#runMs += dtMs;
    this.#n++;
    this.#ax += ax; this.#ay += ay; this.#az += az;
    this.#a2 += ax * ax + ay * ay + az * az;
    const w = quatRotate(quatWxyz, accMps2, this.#world);
    this.#ux += w[0] / norm; this.#uy += w[1] / norm; this.#uz += w[2] / norm;
    if (!this.#done) {
      // (the trend is only asked of a stretch's first check)
      const tau = this.#runMs;
      this.#st += tau; this.#stt += tau * tau;
      this.#stx += (tau * w[0]) / norm; this.#sty += (tau * w[1]) / norm; this.#stz += (tau * w[2]) / norm;
    }
    if (this.#longDone || this.#runMs < s.minDurationMs) return null;
    if (this.#done && this.#runMs < s.longDurationMs) return null;
    // Still settling (the first samples of a stop carry the deceleration: its spread, or, for a
    // first check that expects no error, its trend): start the stretch again from here, so that
    // the still part that follows gets its own check.
    if (!this.#steady() || (!this.#done && this.#expectErrorDeg === Infinity && this.#trendDeg() > s.maxTrendDeg)) {
      this.reset();
      return null;
    }
    return this.#check(quatWxyz);
  }

  /**
   * The check now, on however much of a stretch there is (at least `MIN_EARLY_SAMPLES`), for a
   * caller out of time (OrientationStage: a sensor back from a gap must be fresh within 1 s).
   * null, not confirmed, when there is no such stretch or it has been checked already.
   */
  checkNow(quatWxyz: Readonly<QuatWxyz>): QuatWxyz | null {
    if (this.#done || this.#n < MIN_EARLY_SAMPLES || !this.#steady()) return null;
    return this.#check(quatWxyz);
  }

  /** How far the world "up" the accelerometer shows moved over the stretch (linear trend), degrees. */
  #trendDeg(): number {
    const n = this.#n;
    const tm = this.#st / n;
    const den = this.#stt - n * tm * tm;
    if (!(den > 0)) return 0;
    const bx = (this.#stx - tm * this.#ux) / den, by = (this.#sty - tm * this.#uy) / den, bz = (this.#stz - tm * this.#uz) / den;
    return (Math.hypot(bx, by, bz) * this.#runMs) / RAD_PER_DEG;
  }

  /** The accelerometer's spread about its mean over the stretch is within accSpreadMps2. */
  #steady(): boolean {
    const n = this.#n;
    const mx = this.#ax / n, my = this.#ay / n, mz = this.#az / n;
    const spread = this.settings.accSpreadMps2;
    return this.#a2 / n - (mx * mx + my * my + mz * mz) <= spread * spread;
  }

  #check(quatWxyz: Readonly<QuatWxyz>): QuatWxyz | null {
    const s = this.settings;
    const long = this.#done;
    if (long) this.#longDone = true;
    this.#done = true;
    const un = Math.hypot(this.#ux, this.#uy, this.#uz);
    const measuredUp: Vec3 = [this.#ux / un, this.#uy / un, this.#uz / un];
    // The long check measures the samples after this one: the ones so far were rotated into
    // the world by the orientation before any correction made now.
    this.#ux = this.#uy = this.#uz = 0;
    if (!(un > 0)) return null;
    this.#confirmed = true;
    let minDeg = long ? s.longMinCorrectionDeg : s.minCorrectionDeg;
    minDeg = Math.min(minDeg, this.#expectErrorDeg);
    this.#expectErrorDeg = Infinity;
    if (measuredUp[2] > Math.cos(minDeg * RAD_PER_DEG)) return null;
    return quatMultiply(quatFromTwoVectors(measuredUp, UP), quatWxyz);
  }

  /** A new start: `reset()`, and no gap-expected error. */
  clear(): void {
    this.reset();
    this.#expectErrorDeg = Infinity;
  }

  reset(): void {
    this.#runMs = 0;
    this.#n = 0;
    this.#done = false;
    this.#longDone = false;
    this.#confirmed = false;
    this.#ux = this.#uy = this.#uz = 0;
    this.#ax = this.#ay = this.#az = 0;
    this.#a2 = 0;
    this.#st = this.#stt = this.#stx = this.#sty = this.#stz = 0;
  }
}

import { STANDARD_GRAVITY_MPS2, type Vec3 } from "@spinewatch/protocol";

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
  /**
   * The last `guardS` of a still stretch is only used once the stretch has gone on for longer:
   * the start of a slow movement (rate still under the threshold) is never learned as bias.
   */
  guardS: number;
  /**
   * Still only while the gravity direction the accelerometer measures (low-passed) stays within
   * this of where it was at the stretch's last checkpoint (its start, then every second of
   * stillness). 0 turns the check off.
   */
  maxTiltChangeDeg: number;
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
 * - stillTimeS 0.5, guardS 0.2, timeConstantS 1.2: DESIGN.md asks to learn from still moments
 *   as short as about 1 s. After 0.5 s of stillness the still stretch so far (less its last
 *   0.2 s) is used at once, so a 1 s pause removes about half of the bias error
 *   (1 − e^(−0.8/1.2)) and 3 s of stillness remove 90 %. The 0.2 s guard keeps the onset of a
 *   movement (30 °/s reached in 0.2 s still spends ~15 ms under 2 °/s) out of the estimate.
 * - maxTiltChangeDeg 0.3: a slow rotation under the rate threshold is movement, not bias, and
 *   the accelerometer sees it whatever the bias: a bird dog's reach rolls the pelvis 1-3° in
 *   1.5 s (peak ~2 °/s), a sagging hold drifts the thorax 4-7° in 2-3 s. With the rate
 *   threshold alone up to two thirds of such a move was learned as bias and unlearned over the
 *   following seconds (measured on the simulator's bird dog: the pelvis roll came out 35 %
 *   short, then drifted back by 0.5°). So the low-passed gravity direction is checked against
 *   a checkpoint taken every CHECKPOINT_S of stillness; when it has moved by more than 0.3°,
 *   everything learned since that checkpoint is undone (the slow start of the move with it)
 *   and a new stretch starts there. 0.3° is well above the accelerometer noise left after the
 *   0.1 s low-pass (0.01 g per sample is ~0.6°, ~0.13° low-passed at 100 Hz) and below the
 *   smallest reach we must see; quiet-standing sway that exceeds it merely restarts stretches.
 */
export const GYRO_BIAS_DEFAULTS: Readonly<GyroBiasOptions> = Object.freeze({
  gyrThresholdDps: 2,
  accToleranceMps2: 0.5,
  gravityMps2: STANDARD_GRAVITY_MPS2,
  stillTimeS: 0.5,
  timeConstantS: 1.2,
  guardS: 0.2,
  maxTiltChangeDeg: 0.3,
  initialBiasDps: Object.freeze([0, 0, 0]) as unknown as Readonly<Vec3>,
});

/** Time constant of the accelerometer low-pass for the tilt-change check, s. */
const TILT_LP_S = 0.1;
/** Stillness between checkpoints of the tilt-change check (what is learned is kept), s. */
const CHECKPOINT_S = 1;

/** Capacity of the guard ring (samples); at rates above capacity/guardS the guard gets shorter. */
const GUARD_CAPACITY = 256;

/**
 * Learns the gyroscope offset whenever the sensor is still and returns bias-corrected rates.
 *
 * Inspired by x-io Technologies' FusionOffset (github.com/xioTechnologies/Fusion,
 * Fusion/FusionOffset.c, MIT): it declares the gyroscope stationary when every axis of the
 * corrected rate stays below 3 °/s for 5 s, then tracks the offset with a 0.02 Hz low-pass
 * (time constant 8 s). That is too slow for spinewatch, whose angles drift on gyro bias between
 * short rests (DESIGN.md), so here:
 * - stillness also requires the accelerometer magnitude near g, and lasts only `stillTimeS`;
 * - samples of a still stretch wait `guardS` in a ring before they may be used, and are dropped
 *   if the stretch ends first (so the onset of a movement is never learned);
 * - when stillness is confirmed, the mean raw rate of the usable part of the stretch is blended
 *   in at once with weight 1 − e^(−T/τ) (T its duration), as if the one-pole update had run
 *   from the start of the stretch; after that every usable sample updates the bias as a
 *   one-pole low-pass, bias += (1 − e^(−dt/τ)) (gyro − bias), τ = `timeConstantS`.
 *
 * `next` writes into a reused array (no allocation): copy the result to keep it.
 */
export class GyroBiasEstimator {
  readonly #thresholdDps: number;
  readonly #accTolMps2: number;
  readonly #gravityMps2: number;
  readonly #stillTimeS: number;
  readonly #timeConstantS: number;
  readonly #guardS: number;
  readonly #initialBiasDps: Vec3;
  readonly #bias: Vec3 = [0, 0, 0];
  readonly #out: Vec3 = [0, 0, 0];
  /** Guard ring: raw gx, gy, gz, dt per still sample not yet usable. */
  readonly #ring = new Float64Array(4 * GUARD_CAPACITY);
  #ringStart = 0;
  #ringCount = 0;
  #ringS = 0;
  /** Still stretch: duration, and usable (past the guard) raw-rate integrals before confirmation. */
  #stretchS = 0;
  #usableS = 0;
  #sumX = 0;
  #sumY = 0;
  #sumZ = 0;
  #still = false;
  #lastDtS = NaN;
  #lastK = 0;
  readonly #cosMaxTilt: number;
  /** Low-passed accelerometer (NaN until the first sample) and the stretch's reference direction (unit). */
  readonly #accLp: Vec3 = [NaN, NaN, NaN];
  readonly #ref: Vec3 = [NaN, NaN, NaN];
  /** Bias at the last checkpoint, restored when the tilt check fails; time since that checkpoint. */
  readonly #committed: Vec3 = [0, 0, 0];
  #sinceCheckpointS = 0;
  /**
   * The rest of the body moved during this still stretch (the stretch's mean, blended in when
   * stillness is confirmed, then leaves the vertical alone), and moves now (so do the samples
   * learned one by one after that).
   */
  #holdVertical = false;
  #othersMovingNow = false;
  #lpDtS = NaN;
  #lpK = 0;

  constructor(options: Partial<GyroBiasOptions> = {}) {
    const o = { ...GYRO_BIAS_DEFAULTS, ...options };
    for (const key of ["gyrThresholdDps", "accToleranceMps2", "gravityMps2", "stillTimeS", "timeConstantS"] as const) {
      if (!(Number.isFinite(o[key]) && o[key] > 0)) {
        throw new RangeError(`gyro bias estimator option ${key} must be a finite number > 0, got ${String(o[key])}`);
      }
    }
    for (const key of ["guardS", "maxTiltChangeDeg"] as const) {
      if (!(Number.isFinite(o[key]) && o[key] >= 0)) {
        throw new RangeError(`gyro bias estimator option ${key} must be a finite number >= 0, got ${String(o[key])}`);
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
    this.#guardS = o.guardS;
    this.#cosMaxTilt = o.maxTiltChangeDeg > 0 ? Math.cos((o.maxTiltChangeDeg * Math.PI) / 180) : -2;
    this.#initialBiasDps = [b[0], b[1], b[2]];
    this.reset();
  }

  /** Forget what was learned: back to `initialBiasDps`, not still. */
  reset(): void {
    this.#bias[0] = this.#initialBiasDps[0];
    this.#bias[1] = this.#initialBiasDps[1];
    this.#bias[2] = this.#initialBiasDps[2];
    this.#accLp[0] = this.#accLp[1] = this.#accLp[2] = NaN;
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

  /**
   * One sample: raw gyro (°/s), accelerometer (m/s²), time since the previous sample (s).
   * `othersMoving`: the rest of the body is moving (another sensor turns). The bias about the
   * measured vertical is then not learned (while it lasts, and from the stretch's mean):
   * a slow turn about the vertical is invisible to the accelerometer and to this sensor's rate
   * test, and is indistinguishable from a bias. Measured on the simulator's child's-pose clock
   * with perfect sensors: the pelvis, hinged 78°, rolls 1.4° in 2.25 s about its anterior axis
   * (now pointing down) while the thorax walks the hands sideways; learned as bias, then
   * unlearned, it made the lateral bend creep 1.2° off in every pause (docs/BENCHMARKS.md,
   * session 12). The components about the horizontal axes are still learned: the tilt check
   * below guards them.
   */
  next(gyrDps: Readonly<Vec3>, accMps2: Readonly<Vec3>, dtS: number, othersMoving = false): Readonly<Vec3> {
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
    const lp = this.#accLp;
    if (Number.isNaN(lp[0])) {
      lp[0] = ax;
      lp[1] = ay;
      lp[2] = az;
    } else {
      if (dtS !== this.#lpDtS) {
        this.#lpDtS = dtS;
        this.#lpK = 1 - Math.exp(-dtS / TILT_LP_S);
      }
      const k = this.#lpK;
      lp[0] += k * (ax - lp[0]);
      lp[1] += k * (ay - lp[1]);
      lp[2] += k * (az - lp[2]);
    }
    const thr = this.#thresholdDps;
    // Written so that NaN anywhere counts as "not still" and never reaches the bias.
    const still = Math.abs(cx) < thr && Math.abs(cy) < thr && Math.abs(cz) < thr &&
      Math.abs(accErr) < this.#accTolMps2;
    if (!still) {
      if (this.#stretchS > 0 || this.#still) this.#endStillness();
      return out;
    }
    const n = Math.sqrt(lp[0] * lp[0] + lp[1] * lp[1] + lp[2] * lp[2]);
    const ref = this.#ref;
    if (this.#stretchS > 0 && !((lp[0] * ref[0] + lp[1] * ref[1] + lp[2] * ref[2]) / n >= this.#cosMaxTilt)) {
      // The sensor turned while its rate looked still: a slow movement. Undo what was learned
      // since the last checkpoint, drop the stretch, and start a new one here.
      bias[0] = this.#committed[0];
      bias[1] = this.#committed[1];
      bias[2] = this.#committed[2];
      this.#endStillness();
    }
    this.#othersMovingNow = othersMoving;
    if (othersMoving) this.#holdVertical = true;
    if (this.#stretchS === 0 || this.#sinceCheckpointS >= CHECKPOINT_S) {
      ref[0] = lp[0] / n;
      ref[1] = lp[1] / n;
      ref[2] = lp[2] / n;
      this.#committed[0] = bias[0];
      this.#committed[1] = bias[1];
      this.#committed[2] = bias[2];
      this.#sinceCheckpointS = 0;
    }
    this.#sinceCheckpointS += dtS;
    this.#stretchS += dtS;

    // Into the guard ring; samples older than guardS (or pushed out by a full ring) become usable.
    const ring = this.#ring;
    if (this.#ringCount === GUARD_CAPACITY) this.#useOldest();
    const j = 4 * ((this.#ringStart + this.#ringCount) % GUARD_CAPACITY);
    ring[j] = gx;
    ring[j + 1] = gy;
    ring[j + 2] = gz;
    ring[j + 3] = dtS;
    this.#ringCount++;
    this.#ringS += dtS;
    while (this.#ringCount > 0 && this.#ringS - ring[4 * this.#ringStart + 3] >= this.#guardS) this.#useOldest();

    if (!this.#still && this.#stretchS >= this.#stillTimeS) {
      // Stillness confirmed: use the usable part of the stretch at once (its mean raw rate).
      const t = this.#usableS;
      if (t > 0) {
        const k = 1 - Math.exp(-t / this.#timeConstantS);
        this.#learn(k, this.#sumX / t, this.#sumY / t, this.#sumZ / t, this.#holdVertical);
      }
      this.#still = true;
    }
    return out;
  }

  /** Moves the oldest guarded sample out: into the stretch sums, or straight into the bias once still. */
  #useOldest(): void {
    const ring = this.#ring;
    const i = 4 * this.#ringStart;
    const gx = ring[i], gy = ring[i + 1], gz = ring[i + 2], dtS = ring[i + 3];
    this.#ringStart = (this.#ringStart + 1) % GUARD_CAPACITY;
    this.#ringCount--;
    this.#ringS -= dtS;
    if (this.#still) {
      if (dtS !== this.#lastDtS) {
        this.#lastDtS = dtS;
        this.#lastK = 1 - Math.exp(-dtS / this.#timeConstantS);
      }
      this.#learn(this.#lastK, gx, gy, gz, this.#othersMovingNow);
    } else {
      this.#usableS += dtS;
      this.#sumX += gx * dtS;
      this.#sumY += gy * dtS;
      this.#sumZ += gz * dtS;
    }
  }

  /** bias += k·(rate − bias), less its component along the measured vertical (the low-passed accelerometer) when `holdVertical`. */
  #learn(k: number, gx: number, gy: number, gz: number, holdVertical: boolean): void {
    const bias = this.#bias;
    let dx = gx - bias[0], dy = gy - bias[1], dz = gz - bias[2];
    if (holdVertical) {
      const lp = this.#accLp;
      const n2 = lp[0] * lp[0] + lp[1] * lp[1] + lp[2] * lp[2];
      if (n2 > 0) {
        const d = (dx * lp[0] + dy * lp[1] + dz * lp[2]) / n2;
        dx -= d * lp[0];
        dy -= d * lp[1];
        dz -= d * lp[2];
      }
    }
    bias[0] += k * dx;
    bias[1] += k * dy;
    bias[2] += k * dz;
  }

  #endStillness(): void {
    this.#holdVertical = this.#othersMovingNow = false;
    this.#still = false;
    this.#stretchS = this.#usableS = 0;
    this.#sumX = this.#sumY = this.#sumZ = 0;
    this.#ringStart = this.#ringCount = 0;
    this.#ringS = 0;
  }
}

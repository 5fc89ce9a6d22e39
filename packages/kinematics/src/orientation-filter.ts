import { STANDARD_GRAVITY_MPS2 } from "@spinewatch/protocol";
import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";
import {
  FUSION_DEFAULT_SETTINGS,
  type OrientationFilterSettings,
  rejectionThreshold,
  STARTUP_GAIN,
  STARTUP_PERIOD_S,
  validateFilterSettings,
} from "./orientation-filter-settings.js";
import {
  earthAccFromQuat,
  ENU,
  feedbackErrorDeg,
  gravityFromQuat,
  magneticHalfFeedback,
  NED,
  NWU,
  startupHeadingHeld,
} from "./orientation-filter-math.js";
import { RejectionRecovery } from "./rejection-recovery.js";
import { TiltFeedbackWindow } from "./tilt-feedback-window.js";

export {
  FUSION_DEFAULT_SETTINGS,
  SPINE_FILTER_SETTINGS,
  type EarthConvention,
  type OrientationFilterSettings,
} from "./orientation-filter-settings.js";

const NO_MAGNETOMETER: Readonly<Vec3> = [0, 0, 0];
const HALF_RAD_PER_DEG = (0.5 * Math.PI) / 180;
const DEG_PER_RAD = 180 / Math.PI;

/**
 * Orientation filter (AHRS): a float64 port of x-io Technologies' Fusion
 * (github.com/xioTechnologies/Fusion, Fusion/FusionAhrs.c, MIT, (c) x-io Technologies), which
 * implements the "revised AHRS algorithm" of S. Madgwick, "AHRS algorithms and calibration
 * solutions to facilitate new applications using low-cost MEMS", PhD thesis, University of
 * Bristol, 2014, chapter 7: a complementary filter with proportional feedback,
 *   ω' = ω + gain · (â × ĝ_est) [+ magnetometer term],  q ← normalise(q + ½ q ⊗ ω' dt),
 * with Fusion's 3 s start-up ramp (gain 10 → gain, heading held at 0 in 6-axis mode), gyroscope
 * range restart, acceleration/magnetic rejection and the recovery trigger.
 *
 * Differences from the C code: float64 with an exact 1/√ (not the fast inverse square root),
 * dt from the caller on every update, the recovery trigger counted in seconds (+dt while
 * rejected, −9·dt while accepted, as Fusion's +1/−9 samples), accelerometer in m/s² (only its
 * direction matters; the acceleration outputs are in m/s²), `setStill(true)` which lets
 * a caller that knows the sensor is still bypass acceleration rejection (DESIGN.md), and the
 * rate term of the acceleration rejection (`accelerationRejectionRateDps`; 0, off, in Fusion's
 * defaults).
 *
 * The hot path (`updateImu`) allocates nothing. Orientation is sensor-to-earth, [w, x, y, z].
 */
export class OrientationFilter {
  #settings: OrientationFilterSettings;
  #convention = NWU;
  #gain = 0.5;
  #gyroscopeRangeDps = Infinity;
  #accelerationRejection = Infinity;
  /** 1 / accelerationRejectionRateDps, 0 when off. */
  #rejectionPerDps = 0;
  #magneticRejection = Infinity;
  #rampedGainStep = 0;

  // State, as scalar fields (no arrays on the hot path). hg: half gravity; haf/hmf: half
  // accelerometer/magnetometer feedback (Fusion's names), kept for the internal-state getters.
  #qw = 1; #qx = 0; #qy = 0; #qz = 0;
  #ax = 0; #ay = 0; #az = 0;
  #hgx = 0; #hgy = 0; #hgz = 0;
  #hafx = 0; #hafy = 0; #hafz = 0;
  #hmfx = 0; #hmfy = 0; #hmfz = 0;
  #startup = true;
  #rampedGain = STARTUP_GAIN;
  #angularRateRecovery = false;
  #still = false;
  #accelerometerIgnored = false;
  #magnetometerIgnored = false;
  readonly #accelerationRecovery = new RejectionRecovery();
  readonly #magneticRecovery = new RejectionRecovery();
  readonly #window = new TiltFeedbackWindow();

  readonly #quatOut: QuatWxyz = [1, 0, 0, 0];
  readonly #scratch = new Float64Array(3);

  constructor(settings: Partial<OrientationFilterSettings> = {}) {
    this.#settings = { ...FUSION_DEFAULT_SETTINGS };
    this.setSettings(settings);
    this.reset();
  }

  /** Current settings (a copy). */
  get settings(): OrientationFilterSettings { return { ...this.#settings }; }

  /** Port of FusionAhrsSetSettings; fields not given keep their values. */
  setSettings(partial: Partial<OrientationFilterSettings>): void {
    const s: OrientationFilterSettings = { ...this.#settings, ...partial };
    validateFilterSettings(s);
    this.#settings = s;
    this.#convention = s.convention === "nwu" ? NWU : s.convention === "enu" ? ENU : NED;
    this.#gain = s.gain;
    this.#gyroscopeRangeDps = s.gyroscopeRangeDps === 0 ? Infinity : 0.98 * s.gyroscopeRangeDps;
    this.#accelerationRejection = rejectionThreshold(s.accelerationRejectionDeg);
    this.#rejectionPerDps = s.accelerationRejectionRateDps > 0 ? 1 / s.accelerationRejectionRateDps : 0;
    this.#magneticRejection = rejectionThreshold(s.magneticRejectionDeg);
    this.#accelerationRecovery.setPeriod(s.recoveryTriggerPeriodS);
    this.#magneticRecovery.setPeriod(s.recoveryTriggerPeriodS);
    if (s.gain === 0 || s.recoveryTriggerPeriodS === 0) {
      // Fusion: rejection needs feedback to recover with, so it is off without either.
      this.#accelerationRejection = Infinity;
      this.#magneticRejection = Infinity;
    }
    if (!this.#startup) this.#rampedGain = s.gain;
    this.#rampedGainStep = (STARTUP_GAIN - s.gain) / STARTUP_PERIOD_S;
    this.#window.configure(s.accelerationWindowS, this.#accelerationRejection, this.#rejectionPerDps);
  }

  /** Port of FusionAhrsRestart: identity orientation, start-up ramp again. Settings are kept. */
  reset(): void {
    this.#qw = 1;
    this.#qx = this.#qy = this.#qz = 0;
    this.#ax = this.#ay = this.#az = 0;
    this.#hgx = this.#hgy = this.#hgz = 0;
    this.#startup = true;
    this.#rampedGain = STARTUP_GAIN;
    this.#angularRateRecovery = false;
    this.#hafx = this.#hafy = this.#hafz = 0;
    this.#hmfx = this.#hmfy = this.#hmfz = 0;
    this.#accelerometerIgnored = false;
    this.#accelerationRecovery.reset();
    this.#magnetometerIgnored = false;
    this.#magneticRecovery.reset();
    this.#window.clear();
  }

  /**
   * 6-axis update (FusionAhrsUpdateNoMagnetometer): gyroscope (°/s), accelerometer (any unit,
   * m/s² by convention), dt (s) from the sample timestamps. During start-up the heading is held at 0.
   */
  updateImu(gyrDps: Readonly<Vec3>, accMps2: Readonly<Vec3>, dtS: number): void {
    this.#update(gyrDps, accMps2, NO_MAGNETOMETER, dtS);
    // Fusion zeroes the heading after every start-up update; see startupHeadingHeld for when we do.
    if (this.#startup && startupHeadingHeld(this.#qw, this.#qx, this.#qy, this.#qz)) this.setHeading(0);
  }

  /**
   * 9-axis update (FusionAhrsUpdate) when `useMagnetometer` is set; otherwise the magnetometer
   * is ignored and this is {@link updateImu} (magnetometers are not trusted by default, DESIGN.md).
   */
  update(gyrDps: Readonly<Vec3>, accMps2: Readonly<Vec3>, magUt: Readonly<Vec3>, dtS: number): void {
    if (!this.#settings.useMagnetometer) {
      this.updateImu(gyrDps, accMps2, dtS);
      return;
    }
    this.#update(gyrDps, accMps2, magUt, dtS);
  }

  /** Tell the filter the sensor is known to be still: acceleration rejection is then bypassed. */
  setStill(isStill: boolean): void {
    this.#still = isStill;
  }

  // Vectors are passed as arrays, not as nine scalars: V8 does not inline this function, and
  // a non-inlined call boxes its double arguments (measured: ~10 ns per update slower).
  #update(gyrDps: Readonly<Vec3>, accMps2: Readonly<Vec3>, magUt: Readonly<Vec3>, dtS: number): void {
    if (!(dtS >= 0 && dtS < 1e9)) {
      throw new RangeError(`orientation filter: dtS must be a finite number >= 0, got ${dtS}`);
    }
    const gx = gyrDps[0], gy = gyrDps[1], gz = gyrDps[2];
    const ax = accMps2[0], ay = accMps2[1], az = accMps2[2];
    const mx = magUt[0], my = magUt[1], mz = magUt[2];
    this.#ax = ax;
    this.#ay = ay;
    this.#az = az;

    // Restart if gyroscope range exceeded (keeping the orientation).
    const range = this.#gyroscopeRangeDps;
    if (Math.abs(gx) > range || Math.abs(gy) > range || Math.abs(gz) > range) {
      const qw = this.#qw, qx = this.#qx, qy = this.#qy, qz = this.#qz;
      this.reset();
      this.#ax = ax; this.#ay = ay; this.#az = az;
      this.#qw = qw; this.#qx = qx; this.#qy = qy; this.#qz = qz;
      this.#angularRateRecovery = true;
    }

    // Ramp down gain during start-up.
    if (this.#startup) {
      this.#rampedGain -= this.#rampedGainStep * dtS;
      // The 1e-9 absorbs rounding: Fusion's float32 ramp at 100 Hz ends on the 300th sample
      // (3.00 s); the float64 sum of the same steps lands 7e-14 above the target and would take one more.
      if (this.#rampedGain < this.#gain + 1e-9 || this.#gain === 0) {
        this.#rampedGain = this.#gain;
        this.#startup = false;
        this.#angularRateRecovery = false;
      }
    }

    // Direction of gravity indicated by the algorithm, scaled by 0.5 (third column of Rᵀ).
    const qw = this.#qw, qx = this.#qx, qy = this.#qy, qz = this.#qz;
    let hgx: number, hgy: number, hgz: number;
    if (this.#convention !== NED) {
      hgx = qx * qz - qw * qy;
      hgy = qy * qz + qw * qx;
      hgz = qw * qw - 0.5 + qz * qz;
    } else {
      hgx = qw * qy - qx * qz;
      hgy = -(qy * qz + qw * qx);
      hgz = 0.5 - qw * qw - qz * qz;
    }

    // Accelerometer feedback.
    let fx = 0, fy = 0, fz = 0;
    let ignored = true;
    if (ax !== 0 || ay !== 0 || az !== 0) {
      const inv = 1 / Math.sqrt(ax * ax + ay * ay + az * az);
      const nx = ax * inv, ny = ay * inv, nz = az * inv;
      // Feedback(sensor, reference) = sensor × reference, normalised if the error is > 90°.
      let hx = ny * hgz - nz * hgy;
      let hy = nz * hgx - nx * hgz;
      let hz = nx * hgy - ny * hgx;
      let hn2 = hx * hx + hy * hy + hz * hz;
      if (nx * hgx + ny * hgy + nz * hgz < 0 && hn2 > 0) {
        const k = 1 / Math.sqrt(hn2);
        hx *= k; hy *= k; hz *= k;
        hn2 = 1;
      }
      this.#hafx = hx;
      this.#hafy = hy;
      this.#hafz = hz;

      // Don't ignore the accelerometer if the error is below the threshold, or during recovery.
      const bypass = this.#startup || this.#still;
      ignored = this.#accelerationRecovery.step(bypass || hn2 <= this.#accelerationRejection, dtS);
      // The rate term: a sample within the threshold while the sensor turns counts as agreeing
      // for the recovery trigger (as in Fusion: the filter has not diverged, so a long motion does
      // not end in recovery, which trusts every sample) but is not fed back unless it is within
      // the threshold's angle scaled by (1 − |ω|/rate). The threshold is the squared half sine;
      // for the small angles it is used with (a few degrees) scaling the square by the squared
      // factor is that to 1e-3 relative.
      // With the feedback window (not during start-up) the window judges the sample, by the
      // rates either side of it, in place of the rate term.
      if (this.#window.enabled && !this.#startup) {
        const w = this.#window;
        ignored = !w.sample(bypass, this.#accelerationRecovery.recovering, hn2 <= this.#accelerationRejection,
          hx, hy, hz, hn2, Math.sqrt(gx * gx + gy * gy + gz * gz), dtS);
        fx = w.out[0]; fy = w.out[1]; fz = w.out[2];
      } else {
        const rateTerm = this.#rejectionPerDps > 0 && this.#accelerationRejection < Infinity;
        if (rateTerm && !ignored && !bypass && !this.#accelerationRecovery.recovering) {
          const f = 1 - Math.sqrt(gx * gx + gy * gy + gz * gz) * this.#rejectionPerDps;
          if (!(hn2 <= this.#accelerationRejection * (f > 0 ? f * f : 0))) ignored = true;
        }
        if (!ignored) {
          fx = hx; fy = hy; fz = hz;
        }
      }
    }
    this.#accelerometerIgnored = ignored;

    // Magnetometer feedback.
    this.#magnetometerIgnored = true;
    if (mx !== 0 || my !== 0 || mz !== 0) {
      this.#hgx = hgx; this.#hgy = hgy; this.#hgz = hgz;
      this.#magnetometerFeedback(mx, my, mz, dtS);
      if (!this.#magnetometerIgnored) {
        fx += this.#hmfx; fy += this.#hmfy; fz += this.#hmfz;
      }
    }

    // Half gyroscope in rad/s plus feedback, integrated as q += q ⊗ (0, v dt).
    const gdt = this.#rampedGain * dtS;
    const cdt = HALF_RAD_PER_DEG * dtS;
    const vx = gx * cdt + fx * gdt;
    const vy = gy * cdt + fy * gdt;
    const vz = gz * cdt + fz * gdt;
    // q + q ⊗ (0, v) = q ⊗ (1, v), whose norm is exactly |q| √(1 + |v|²): the normaliser is
    // computed from q and v alongside the product instead of after it (same value to rounding,
    // shorter dependency chain, which is what bounds the speed of this loop).
    const qq = (qw * qw + qx * qx) + (qy * qy + qz * qz);
    const inv = 1 / Math.sqrt(qq + qq * ((vx * vx + vy * vy) + vz * vz));
    const nw = ((qw - qx * vx) - (qy * vy + qz * vz)) * inv;
    const nx = ((qx + qw * vx) + (qy * vz - qz * vy)) * inv;
    const ny = ((qy + qw * vy) + (qz * vx - qx * vz)) * inv;
    const nz = ((qz + qw * vz) + (qx * vy - qy * vx)) * inv;
    if (nw - nw !== 0 || nx - nx !== 0 || ny - ny !== 0 || nz - nz !== 0) {
      throw new RangeError(
        `orientation filter: non-finite input (gyrDps ${gx},${gy},${gz}; acc ${ax},${ay},${az}; mag ${mx},${my},${mz}; dtS ${dtS}); orientation left unchanged`,
      );
    }
    this.#qw = nw;
    this.#qx = nx;
    this.#qy = ny;
    this.#qz = nz;
  }

  #magnetometerFeedback(mx: number, my: number, mz: number, dtS: number): void {
    const f = this.#scratch;
    magneticHalfFeedback(this.#convention, this.#qw, this.#qx, this.#qy, this.#qz,
      this.#hgx, this.#hgy, this.#hgz, mx, my, mz, f);
    const hx = f[0], hy = f[1], hz = f[2];
    this.#hmfx = hx;
    this.#hmfy = hy;
    this.#hmfz = hz;

    this.#magnetometerIgnored = this.#magneticRecovery.step(
      this.#startup || hx * hx + hy * hy + hz * hz <= this.#magneticRejection, dtS);
  }

  /** Orientation, sensor to earth, [w, x, y, z]. A reused array: copy it to keep it. */
  get quatWxyz(): Readonly<QuatWxyz> {
    const q = this.#quatOut;
    q[0] = this.#qw;
    q[1] = this.#qx;
    q[2] = this.#qy;
    q[3] = this.#qz;
    return q;
  }

  /** Port of FusionAhrsSetQuaternion (normalised here; a zero or non-finite quaternion is refused). */
  setQuat(q: Readonly<QuatWxyz>): void {
    const n = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
    if (!(n > 0 && n < Infinity)) throw new RangeError(`orientation filter: setQuat needs a non-zero finite quaternion, got ${q.join(",")}`);
    this.#qw = q[0] / n;
    this.#qx = q[1] / n;
    this.#qy = q[2] / n;
    this.#qz = q[3] / n;
    this.#window.clear();
  }

  /** Port of FusionAhrsSetHeading: rotate about earth z so that the yaw becomes `headingDeg`. */
  setHeading(headingDeg: number): void {
    const qw = this.#qw, qx = this.#qx, qy = this.#qy, qz = this.#qz;
    const yawRad = Math.atan2(qw * qz + qx * qy, 0.5 - qy * qy - qz * qz);
    const h = 0.5 * (yawRad - headingDeg / DEG_PER_RAD);
    const rw = Math.cos(h), rz = -Math.sin(h);
    // rotation ⊗ q with rotation = (rw, 0, 0, rz)
    this.#qw = rw * qw - rz * qz;
    this.#qx = rw * qx - rz * qy;
    this.#qy = rw * qy + rz * qx;
    this.#qz = rw * qz + rz * qw;
    this.#window.clear();
  }

  /** True during the 3 s start-up ramp (Fusion flag `startup`). */
  get initialising(): boolean { return this.#startup; }

  /** Fusion flag `angularRateRecovery`: the gyroscope range was exceeded and start-up restarted. */
  get angularRateRecovery(): boolean { return this.#angularRateRecovery; }

  /** Fusion flag `accelerationRecovery`: the accelerometer is trusted again after long rejection. */
  get accelerationRecovery(): boolean { return this.#accelerationRecovery.recovering; }

  /** Fusion flag `magneticRecovery`. */
  get magneticRecovery(): boolean { return this.#magneticRecovery.recovering; }

  /** No accelerometer feedback was applied in the last update (rejected, zero, or with the window: none due). */
  get accelerometerIgnored(): boolean { return this.#accelerometerIgnored; }

  /** The magnetometer was not used in the last update (rejected, zero, or 6-axis mode). */
  get magnetometerIgnored(): boolean { return this.#magnetometerIgnored; }

  /** Angle between measured and estimated gravity at the last update (internal state). */
  get accelerationErrorDeg(): number { return feedbackErrorDeg(this.#hafx, this.#hafy, this.#hafz); }

  /** Angle between measured and estimated magnetic field at the last 9-axis update. */
  get magneticErrorDeg(): number { return feedbackErrorDeg(this.#hmfx, this.#hmfy, this.#hmfz); }

  /** Acceleration recovery trigger as a fraction of the period, 0..1 (internal state). */
  get accelerationRecoveryTrigger(): number { return this.#accelerationRecovery.triggerFraction; }

  /** Magnetic recovery trigger as a fraction of the period, 0..1 (internal state). */
  get magneticRecoveryTrigger(): number { return this.#magneticRecovery.triggerFraction; }

  /**
   * Unit "up" direction in the sensor frame from the current orientation: what a still
   * accelerometer reads, in g. Computed from the updated quaternion, as the Fusion version that
   * produced fixtures/fusion/reference_6axis_default.csv does (its gravity columns match this).
   */
  gravity(out: Vec3 = [0, 0, 0]): Vec3 {
    return gravityFromQuat(this.#convention, this.#qw, this.#qx, this.#qy, this.#qz, out);
  }

  /** Accelerometer minus gravity, sensor frame, m/s² (FusionAhrsGetLinearAcceleration). */
  linearAccMps2(out: Vec3 = [0, 0, 0]): Vec3 {
    this.gravity(out);
    out[0] = this.#ax - STANDARD_GRAVITY_MPS2 * out[0];
    out[1] = this.#ay - STANDARD_GRAVITY_MPS2 * out[1];
    out[2] = this.#az - STANDARD_GRAVITY_MPS2 * out[2];
    return out;
  }

  /** Accelerometer rotated into the earth frame with gravity removed, m/s² (FusionAhrsGetEarthAcceleration). */
  earthAccMps2(out: Vec3 = [0, 0, 0]): Vec3 {
    return earthAccFromQuat(this.#convention, this.#qw, this.#qx, this.#qy, this.#qz,
      this.#ax, this.#ay, this.#az, STANDARD_GRAVITY_MPS2, out);
  }
}

/**
 * Settings of {@link OrientationFilter}, with units in the names. They mirror
 * `FusionAhrsSettings` of x-io Technologies' Fusion (github.com/xioTechnologies/Fusion,
 * Fusion/FusionAhrs.h, MIT), except that the sample period is not a setting (dt comes from the
 * caller's sample timestamps) and the recovery trigger period is in seconds instead of samples.
 */

/** Earth frame of the filter: x north / y west / z up (spinewatch's world frame), ENU or NED. */
export type EarthConvention = "nwu" | "enu" | "ned";

export interface OrientationFilterSettings {
  /** Earth frame. spinewatch's world frame is NWU (DESIGN.md). */
  convention: EarthConvention;
  /** Proportional feedback gain of the revised AHRS algorithm (Madgwick thesis ch. 7), 1/s-ish. */
  gain: number;
  /** Full-scale range of the gyroscope; a reading beyond 98 % of it restarts the filter. 0 = off. */
  gyroscopeRangeDps: number;
  /** Accelerometer ignored when it disagrees with the estimated gravity by more than this. 0 = off. */
  accelerationRejectionDeg: number;
  /**
   * Angular rate at which the acceleration rejection angle has shrunk to 0, °/s: the accepted
   * disagreement is accelerationRejectionDeg × (1 − |ω| / this), so a turning sensor must agree
   * more closely and one turning faster than this is not corrected at all. 0 = off (Fusion). Not
   * in Fusion; see SPINE_FILTER_SETTINGS for why.
   */
  accelerationRejectionRateDps: number;
  /**
   * Accelerometer feedback held back this long (s) and judged by the largest rate within it
   * either side (TiltFeedbackWindow). 0 = off (Fusion).
   */
  accelerationWindowS: number;
  /** Magnetometer ignored when it disagrees with the estimated field by more than this. 0 = off. */
  magneticRejectionDeg: number;
  /**
   * Recovery trigger period: a sensor rejected for (about) this long is trusted again so the
   * filter cannot diverge. 0 disables both rejections (as in Fusion).
   */
  recoveryTriggerPeriodS: number;
  /** 9-axis mode: `update()` uses the magnetometer only when true; otherwise it is 6-axis. */
  useMagnetometer: boolean;
}

/**
 * Fusion's own defaults (`fusionAhrsDefaultSettings`, FusionAhrs.c): gain 0.5, gyroscope range
 * off, rejections 90° but disabled because the recovery trigger period is 0. These are the
 * settings of fixtures/fusion/reference_6axis_default.csv.
 */
export const FUSION_DEFAULT_SETTINGS: Readonly<OrientationFilterSettings> = Object.freeze({
  convention: "nwu",
  gain: 0.5,
  gyroscopeRangeDps: 0,
  accelerationRejectionDeg: 90,
  accelerationRejectionRateDps: 0,
  accelerationWindowS: 0,
  magneticRejectionDeg: 90,
  recoveryTriggerPeriodS: 0,
  useMagnetometer: false,
});

/**
 * spinewatch's settings for a sensor on the lower back.
 * - accelerationRejectionDeg 1.5: DESIGN.md ("Linear acceleration is the main enemy of tilt"):
 *   during swings the T12 sensor sees 3-5 m/s² on top of gravity, i.e. tilt errors of 10-30°;
 *   a loose threshold (Fusion's examples use 10°) lets degrees of that leak into the angles.
 *   Trust the accelerometer only when it agrees within about 1°; 1.5° rather than 1° because the
 *   accelerometer noise of the supported sensors (about 0.01 g) alone scatters a still sensor's
 *   gravity direction by about 0.6°. While the sensor is still, `setStill(true)` bypasses the
 *   rejection (the gyro-bias estimator knows when it is).
 * - accelerationRejectionRateDps 10: the agreement asked for tightens with the angular rate and
 *   is total from 10 °/s. A segment's linear acceleration comes with its rotation (tangential
 *   r·α, centripetal r·ω²), and the disagreements a turning sensor shows within 1.5° are not
 *   noise but acceleration, with the same sign rep after rep. Measured on the simulator with
 *   perfect sensors (no noise, bias or scale error), kettlebell swings: the 1.5° gate alone fed
 *   back samples turning at 4-50 °/s with 0.5-0.7° of mean disagreement, which held lumbar flexion
 *   0.20-0.27° low at every rep's bottom; with the rate term about 0.1°
 *   (tests/accuracy-simulate-analyze.test.ts). Default error model (bench/accuracy.ts,
 *   docs/BENCHMARKS.md issue 4 session 5), rounding swings: per-rep peak flexion error p95
 *   0.51° → 0.38°, flexion warnings within the dwell plus a frame 0.90 → 0.95 (latency
 *   declared). A hard cut at 4 °/s did as well on swings but cost the slow cat-camel, whose gyro
 *   errors the accelerometer corrects while it turns at 4-15 °/s (rep peak p95 1.10° → 1.23°;
 *   with this ramp 1.14°). Samples held back by the rate still count as agreeing for the
 *   recovery trigger below: otherwise a continuous motion (a swing set without a still lockout)
 *   would end in recovery, which trusts every sample, linear acceleration and all.
 * - accelerationWindowS 0.05: each sample's feedback waits 50 ms and is judged by the largest
 *   rate within 50 ms either side (TiltFeedbackWindow: a movement from rest turns slowly while
 *   it already accelerates). Measured (bench/accuracy.ts, 48 sessions, latency declared,
 *   docs/BENCHMARKS.md issue 4 session 9) against no window: flexion warnings within the dwell
 *   plus a frame 0.982 → 0.995 (undeclared 0.915 → 0.942), flexion RMSE 0.298 → 0.299°, rep peak
 *   p95 unchanged (0.37°), thorax inclination RMSE 0.201 → 0.206°. Longer windows (0.1-0.2 s)
 *   removed more of the bias with perfect sensors but cost the swings' short lockouts, where
 *   feedback sheds the gyro scale errors (0.2 s: rep peak p95 0.37 → 0.41°); 50 ms ahead only:
 *   0.990, rep peak p95 0.36°.
 * - recoveryTriggerPeriodS 5: Fusion's examples use 5 s; after about 5 s of continuous rejection
 *   the accelerometer is trusted again (then the feedback pulls tilt back), so the filter cannot
 *   drift away forever on gyro alone.
 * - gain 0.5: Fusion's default and the thesis' recommendation for human motion.
 * - gyroscopeRangeDps 1000: the smallest full scale among the supported sensors is ±1024 °/s
 *   (Nordic Thingy, BLE-PROTOCOLS.md); a lower back never turns that fast, so a reading there is
 *   saturation or a knock, after which Fusion restarts with the start-up gain.
 * - no magnetometer: kettlebells are iron (DESIGN.md).
 */
export const SPINE_FILTER_SETTINGS: Readonly<OrientationFilterSettings> = Object.freeze({
  convention: "nwu",
  gain: 0.5,
  gyroscopeRangeDps: 1000,
  accelerationRejectionDeg: 1.5,
  accelerationRejectionRateDps: 10,
  accelerationWindowS: 0.05,
  magneticRejectionDeg: 10,
  recoveryTriggerPeriodS: 5,
  useMagnetometer: false,
});

/** Fusion's start-up: gain ramps from 10 down to `gain` over 3 s (FusionAhrs.c STARTUP_GAIN/PERIOD). */
export const STARTUP_GAIN = 10;
export const STARTUP_PERIOD_S = 3;

/** Checks settings, throwing a one-line error that names the bad field. */
export function validateFilterSettings(s: OrientationFilterSettings): void {
  const nonNegative: (keyof OrientationFilterSettings)[] = [
    "gain",
    "gyroscopeRangeDps",
    "accelerationRejectionDeg",
    "accelerationRejectionRateDps",
    "accelerationWindowS",
    "magneticRejectionDeg",
    "recoveryTriggerPeriodS",
  ];
  for (const key of nonNegative) {
    const v = s[key] as number;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`orientation filter setting ${key} must be a finite number >= 0, got ${String(v)}`);
    }
  }
  if (s.convention !== "nwu" && s.convention !== "enu" && s.convention !== "ned") {
    throw new RangeError(`orientation filter setting convention must be "nwu", "enu" or "ned", got ${String(s.convention)}`);
  }
}

/**
 * Fusion's rejection threshold: the squared norm of the half feedback, (0.5 sin θ)², or
 * "never reject" (Infinity for FLT_MAX) when the angle is 0. FusionAhrsSetSettings.
 */
export function rejectionThreshold(angleDeg: number): number {
  if (angleDeg === 0) return Infinity;
  const h = 0.5 * Math.sin((angleDeg * Math.PI) / 180);
  return h * h;
}

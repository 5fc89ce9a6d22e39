/**
 * Settings of the synthetic sensor and link errors. Every sensor draws its own constants
 * (biases, scale, misalignment, mounting error, clock drift) from these, seeded; see
 * sensor-errors.ts and ble-link.ts for how they are applied.
 */
export interface ErrorModelSettings {
  /** Accelerometer white noise density, µg/√Hz. */
  accNoiseUgPerSqrtHz: number;
  /** Gyroscope white noise density, °/s/√Hz. */
  gyrNoiseDpsPerSqrtHz: number;
  /** Constant gyro bias magnitude per axis, °/s; each axis gets a random sign. */
  gyrBiasDps: number;
  /** Gyro bias random walk, °/s/√s (added to the constant bias sample by sample). */
  gyrBiasWalkDpsPerSqrtS: number;
  /** Accelerometer bias, standard deviation per axis, m/s². */
  accBiasMps2: number;
  /** Gyro scale factor error, standard deviation (0.005 = 0.5 %). */
  gyrScaleSd: number;
  /** Accelerometer scale factor error, standard deviation. */
  accScaleSd: number;
  /** Axis misalignment / cross-axis sensitivity, standard deviation of each off-diagonal term. */
  misalignmentSd: number;
  /** Undeclared mounting error: the sensor sits rotated by this angle about a random axis, degrees (≤ 15 sensible). */
  mountErrorDeg: number;
  /** Sample-clock drift bound, ppm: each sensor's clock runs fast or slow by a uniform draw in ±this. */
  clockDriftPpm: number;
  /** Constant part of the host-receive latency (sensor processing + host stack), ms. */
  latencyMs: number;
  /** Host scheduling jitter: |N(0, σ)| added to each receive time, ms. */
  jitterMs: number;
  /** BLE connection interval, ms: notifications reach the host only at connection events (0 = immediately). */
  connectionIntervalMs: number;
  /** Probability that a notification slips one or two connection events (link-layer retransmission). */
  retransmitProbability: number;
  /** Probability that a notification is lost on its own. */
  lossProbability: number;
  /** Probability per notification that a burst of losses starts (Gilbert-Elliott model). */
  burstProbability: number;
  /** Mean burst length, notifications. */
  burstMeanLength: number;
}

/**
 * Defaults for a consumer MEMS IMU on a BLE link.
 * - Noise densities: TDK InvenSense ICM-20948 datasheet (DS-000189): gyro rate noise
 *   0.015 °/s/√Hz, accelerometer noise density 230 µg/√Hz (the Bosch BMI160 datasheet gives
 *   0.007 °/s/√Hz and 180 µg/√Hz: we take the noisier part).
 * - Gyro bias 0.3 °/s per axis: the residual after a device's own zero-rate calibration that
 *   issue 3's accuracy benchmark prescribes ("gyro biases of about 0.3 °/s per axis").
 * - Bias random walk, accelerometer bias, scale and misalignment: ASSUMED residuals after the
 *   devices' factory/user calibration, well inside the ICM-20948's initial tolerances
 *   (cross-axis sensitivity ±2 %).
 * - Mounting error 4°: ASSUMED "a few degrees" of skin placement error (issue 3 allows up to 15°).
 * - Clock drift ±500 ppm: issue 3's bound for sample clocks (a crystal does ±50 ppm; WitMotion's
 *   internal clock was measured at 7000 ppm, BLE-PROTOCOLS.md §1.3).
 * - Connection interval 15 ms: the longest of the 7.5-15 ms the gateway offers a device whose
 *   notification period it does not know (packages/ble DEFAULT_CONNECT_PARAMETERS; noble's own
 *   window is 7.5-22.5 ms, BLE-PROTOCOLS.md §6.4). For WitMotion and Movella DOT the simulated link
 *   runs at the fixed interval the gateway asks for instead (13.75 ms; simulate-session.ts,
 *   devices common/connection-interval.ts), ASSUMING the controller grants it. Latency, jitter,
 *   retransmission and loss rates: ASSUMED typical of a short-range link with a busy host.
 */
export const DEFAULT_ERROR_MODEL: Readonly<ErrorModelSettings> = {
  accNoiseUgPerSqrtHz: 230,
  gyrNoiseDpsPerSqrtHz: 0.015,
  gyrBiasDps: 0.3,
  gyrBiasWalkDpsPerSqrtS: 0.002,
  accBiasMps2: 0.02,
  gyrScaleSd: 0.005,
  accScaleSd: 0.003,
  misalignmentSd: 0.005,
  mountErrorDeg: 4,
  clockDriftPpm: 500,
  latencyMs: 8,
  jitterMs: 1,
  connectionIntervalMs: 15,
  retransmitProbability: 0.02,
  lossProbability: 0.001,
  burstProbability: 0.0003,
  burstMeanLength: 5,
};

/** A perfect sensor on a perfect link: truth in, truth out (up to the encoders' quantisation). */
export const NO_ERROR_MODEL: Readonly<ErrorModelSettings> = {
  accNoiseUgPerSqrtHz: 0,
  gyrNoiseDpsPerSqrtHz: 0,
  gyrBiasDps: 0,
  gyrBiasWalkDpsPerSqrtS: 0,
  accBiasMps2: 0,
  gyrScaleSd: 0,
  accScaleSd: 0,
  misalignmentSd: 0,
  mountErrorDeg: 0,
  clockDriftPpm: 0,
  latencyMs: 0,
  jitterMs: 0,
  connectionIntervalMs: 0,
  retransmitProbability: 0,
  lossProbability: 0,
  burstProbability: 0,
  burstMeanLength: 1,
};

/** `'default'`, `'none'`, or overrides of the defaults. */
export type ErrorModelOption = "default" | "none" | Partial<ErrorModelSettings>;

/** The settings an option stands for; a one-line error names a bad field. */
export function resolveErrorModel(option: ErrorModelOption | undefined): ErrorModelSettings {
  if (option === undefined || option === "default") return { ...DEFAULT_ERROR_MODEL };
  if (option === "none") return { ...NO_ERROR_MODEL };
  if (option === null || typeof option !== "object") {
    throw new Error(`simulator option errorModel: expected "default", "none" or an object of overrides, got ${JSON.stringify(option)}`);
  }
  const out = { ...DEFAULT_ERROR_MODEL };
  for (const [key, value] of Object.entries(option)) {
    if (!(key in DEFAULT_ERROR_MODEL)) {
      throw new Error(`simulator option errorModel.${key}: unknown field; known: ${Object.keys(DEFAULT_ERROR_MODEL).join(", ")}`);
    }
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new Error(`simulator option errorModel.${key}: expected a finite number ≥ 0, got ${JSON.stringify(value)}`);
    }
    (out as Record<string, number>)[key] = value;
  }
  if (out.lossProbability > 1 || out.burstProbability > 1 || out.retransmitProbability > 1) {
    throw new Error("simulator option errorModel: probabilities must be at most 1");
  }
  if (out.burstMeanLength < 1) throw new Error("simulator option errorModel.burstMeanLength: must be at least 1");
  return out;
}

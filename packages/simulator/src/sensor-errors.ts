import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";
import { quatFromAxisAngle, RAD_PER_DEG } from "@spinewatch/kinematics";
import type { ErrorModelSettings } from "./error-model.js";
import type { SeededRandom } from "./seeded-random.js";
import { STANDARD_GRAVITY_MPS2 } from "@spinewatch/protocol";
import type { TrueImu } from "./trunk-model.js";

/** The constants one sensor drew from the error model (written to the header as ground truth). */
export interface DrawnSensorErrors {
  gyrBiasDps: Vec3;
  accBiasMps2: Vec3;
  /** Row-major 3×3: measured = matrix · true (scale and misalignment together). */
  gyrMatrix: number[];
  accMatrix: number[];
  /** The sensor's real orientation relative to its declared mounting (sensor axes). */
  mountErrorQuat: QuatWxyz;
  mountErrorDeg: number;
  /** Sensor clock rate relative to true time minus 1, ppm (positive: the clock runs fast). */
  clockDriftPpm: number;
}

/**
 * Per-sensor IMU errors: measured = C·true + bias + noise, with C = diag(1 + scale)·(I + M)
 * (M: small off-diagonal misalignment), a constant gyro bias plus a random walk, and white noise
 * whose per-sample standard deviation is density·√(rate/2) (noise bandwidth assumed to be the
 * Nyquist band of the output rate).
 */
export class SensorErrors {
  readonly drawn: DrawnSensorErrors;
  readonly #settings: ErrorModelSettings;
  readonly #noise: SeededRandom;
  readonly #gyrBias: Vec3;
  readonly #gyrSigmaDps: number;
  readonly #accSigmaMps2: number;

  constructor(settings: ErrorModelSettings, constants: SeededRandom, noise: SeededRandom, rateHz: number) {
    this.#settings = settings;
    this.#noise = noise;
    const r = constants;
    const gyrBiasDps: Vec3 = [0, 0, 0].map(() => r.sign() * settings.gyrBiasDps) as Vec3;
    const accBiasMps2: Vec3 = [0, 0, 0].map(() => r.gaussian() * settings.accBiasMps2) as Vec3;
    const axis = r.unitVector();
    this.drawn = {
      gyrBiasDps,
      accBiasMps2,
      gyrMatrix: drawMatrix(r, settings.gyrScaleSd, settings.misalignmentSd),
      accMatrix: drawMatrix(r, settings.accScaleSd, settings.misalignmentSd),
      mountErrorQuat: quatFromAxisAngle(axis, settings.mountErrorDeg * RAD_PER_DEG),
      mountErrorDeg: settings.mountErrorDeg,
      clockDriftPpm: r.between(-1, 1) * settings.clockDriftPpm,
    };
    this.#gyrBias = [...gyrBiasDps];
    const bandwidthHz = rateHz / 2;
    this.#gyrSigmaDps = settings.gyrNoiseDpsPerSqrtHz * Math.sqrt(bandwidthHz);
    this.#accSigmaMps2 = settings.accNoiseUgPerSqrtHz * 1e-6 * STANDARD_GRAVITY_MPS2 * Math.sqrt(bandwidthHz);
  }

  /** Current gyro bias (constant part plus the random walk so far), °/s. */
  get gyrBiasDps(): Readonly<Vec3> {
    return this.#gyrBias;
  }

  /** What the sensor outputs for a true reading; `dtS` advances the bias random walk. */
  apply(imu: TrueImu, dtS: number): { accMps2: Vec3; gyrDps: Vec3 } {
    const n = this.#noise;
    const walk = this.#settings.gyrBiasWalkDpsPerSqrtS * Math.sqrt(Math.max(0, dtS));
    if (walk > 0) for (let k = 0; k < 3; k++) this.#gyrBias[k] += walk * n.gaussian();
    const gyr = mulMatrix(this.drawn.gyrMatrix, imu.gyrDps);
    const acc = mulMatrix(this.drawn.accMatrix, imu.accMps2);
    for (let k = 0; k < 3; k++) {
      gyr[k] += this.#gyrBias[k] + (this.#gyrSigmaDps > 0 ? this.#gyrSigmaDps * n.gaussian() : 0);
      acc[k] += this.drawn.accBiasMps2[k] + (this.#accSigmaMps2 > 0 ? this.#accSigmaMps2 * n.gaussian() : 0);
    }
    return { accMps2: acc, gyrDps: gyr };
  }
}

function drawMatrix(r: SeededRandom, scaleSd: number, misSd: number): number[] {
  const m = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) if (i !== j) m[3 * i + j] = misSd * r.gaussian();
  }
  for (let i = 0; i < 3; i++) {
    const s = 1 + scaleSd * r.gaussian();
    for (let j = 0; j < 3; j++) m[3 * i + j] *= s;
  }
  return m;
}

function mulMatrix(m: readonly number[], v: Readonly<Vec3>): Vec3 {
  return [
    m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
    m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
    m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
  ];
}

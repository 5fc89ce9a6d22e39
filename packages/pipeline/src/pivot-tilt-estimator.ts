import { STANDARD_GRAVITY_MPS2 as G_MPS2 } from "@spinewatch/protocol";
import { quatMultiply, quatFromRotationVector, quatNormalize, quatRotateInverse, RAD_PER_DEG } from "@spinewatch/kinematics";
import { choleskySolveInPlace } from "./cholesky-solve.js";
import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";

export interface PivotTiltSettings {
  /** Accept a solution only when its gravity magnitude is within this fraction of g. */
  gravityTolerance: number;
  /** ...and the RMS misfit of the velocity equations is below this, m/s. */
  maxResidualMps: number;
  /** Ridge on the lever arm, per sample, (m/s)²/m²: keeps the unobservable part of r (along a fixed rotation axis) at 0. */
  leverRidge: number;
  /** ...and the motion turned the sensor by at least this much (°) in the window: without rotation, w and Δv cannot be told apart. */
  minRotationDeg: number;
}

/**
 * Defaults (measured on the simulator's swings, bench/diagnose-dropout.ts): a swing's hips move
 * ~0.12 m with up to ~0.3 m/s, which the pivot model does not explain, yet the fits there had
 * misfits of 0.003-0.023 m/s and |g| within 3 % (a 1.5 % limit delays confirmations enough to lose reps in tests/pipeline-simulator.test.ts); a sensor shaken ±4 m/s² while turning fits with
 * 0.09 m/s (pivot-tilt-estimator.test.ts): 0.05 m/s and 3 % of g separate the two. The ridge only
 * pins the lever arm's component along a fixed rotation axis (unobservable: ω × r ignores it);
 * larger values (1e-2) shrink the observable part too on short windows, measured as 1-5° of tilt
 * error at 100-250 ms.
 */
export const PIVOT_TILT_DEFAULTS: Readonly<PivotTiltSettings> = Object.freeze({
  gravityTolerance: 0.03,
  maxResidualMps: 0.05,
  leverRidge: 1e-4,
  minRotationDeg: 20,
});

export interface PivotTiltSolution {
  /** The gravity reaction's direction ("up") in the sensor's current axes, unit vector. */
  upSensor: Vec3;
  /** Magnitude of the fitted gravity, m/s² (≈ g when the fit is right). */
  gravityMps2: number;
  /** RMS misfit of the integrated velocity equations, m/s. */
  residualMps: number;
  /** Lever arm from the pivot to the sensor, in the sensor's axes at the window start, m. */
  leverM: Vec3;
  /** Whether the settings accept the solution. */
  ok: boolean;
}

/**
 * Tilt of a MOVING sensor from a short window of acc + gyro, without a still moment (issue 4:
 * a sensor that comes back mid-swing; one accelerometer sample is gravity plus up to ~1.5 g of
 * swing acceleration, and the swing's stops come only every 0.6-1 s).
 *
 * Model: the trunk segment turns about a fixed pivot (the hips; RKC swing/hip hinge), so the
 * sensor's velocity is v = R·(ω × r) with r the constant lever arm in sensor axes. Integrating
 * the specific force in the window-start frame (R_k from the gyro alone) from the start:
 *   S_k = Σ R_j f_j dt = v_k − v_0 + w·τ_k = (R_k[ω_k]× − [ω_0]×)·r + τ_k·w,
 * where w is the gravity reaction (g·up) in the start frame. Every sample gives three linear
 * equations in the six unknowns (r, w); the least-squares solution is accumulated as 6×6 normal
 * equations (no sample buffer) and solved on demand. |w| ≈ g and a small misfit check the model.
 * This is the strapdown velocity-constraint idea of zero-velocity updates (Foxlin, "Pedestrian
 * tracking with shoe-mounted inertial sensors", IEEE CG&A 2005) with the zero velocity replaced
 * by the rigid-body velocity ω × r; the lever-arm form of the specific force is the standard
 * rigid-body relation (Titterton & Weston, Strapdown Inertial Navigation Technology, §3.6).
 */
export class PivotTiltEstimator {
  readonly settings: PivotTiltSettings;
  /** Rotation from the current sensor axes to the window-start axes (gyro only). */
  #dq: QuatWxyz = [1, 0, 0, 0];
  readonly #step: QuatWxyz = [1, 0, 0, 0];
  readonly #rv: Vec3 = [0, 0, 0];
  readonly #w0: Vec3 = [0, 0, 0];
  readonly #prevRf: Vec3 = [0, 0, 0];
  readonly #prevW: Vec3 = [0, 0, 0];
  readonly #s: Vec3 = [0, 0, 0];
  readonly #m = new Float64Array(9);
  readonly #ata = new Float64Array(36);
  readonly #atb = new Float64Array(6);
  #btb = 0;
  #tauS = 0;
  #n = 0;

  constructor(settings: Partial<PivotTiltSettings> = {}) {
    this.settings = { ...PIVOT_TILT_DEFAULTS, ...settings };
  }

  /** Samples in the window. */
  get samples(): number {
    return this.#n;
  }

  /** Window length so far, s. */
  get durationS(): number {
    return this.#tauS;
  }

  reset(): void {
    this.#dq = [1, 0, 0, 0];
    this.#s.fill(0);
    this.#ata.fill(0);
    this.#atb.fill(0);
    this.#btb = 0;
    this.#tauS = 0;
    this.#n = 0;
  }

  /** One sample: specific force (m/s²), bias-corrected rate (°/s), time since the previous sample (s; ignored for the first). */
  next(accMps2: Readonly<Vec3>, gyrDps: Readonly<Vec3>, dtS: number): void {
    const wx = gyrDps[0] * RAD_PER_DEG, wy = gyrDps[1] * RAD_PER_DEG, wz = gyrDps[2] * RAD_PER_DEG;
    if (this.#n === 0) {
      this.#w0[0] = wx; this.#w0[1] = wy; this.#w0[2] = wz;
    } else {
      // Midpoint rule, as the orientation stage integrates.
      const p = this.#prevW;
      this.#rv[0] = 0.5 * (p[0] + wx) * dtS; this.#rv[1] = 0.5 * (p[1] + wy) * dtS; this.#rv[2] = 0.5 * (p[2] + wz) * dtS;
      quatNormalize(quatMultiply(this.#dq, quatFromRotationVector(this.#rv, this.#step)), this.#dq);
    }
    this.#prevW[0] = wx; this.#prevW[1] = wy; this.#prevW[2] = wz;
    const m = quatMatrix(this.#dq, this.#m);
    const rf0 = m[0] * accMps2[0] + m[1] * accMps2[1] + m[2] * accMps2[2];
    const rf1 = m[3] * accMps2[0] + m[4] * accMps2[1] + m[5] * accMps2[2];
    const rf2 = m[6] * accMps2[0] + m[7] * accMps2[1] + m[8] * accMps2[2];
    if (this.#n > 0) {
      // Trapezoid: S and τ advance together.
      this.#s[0] += 0.5 * (this.#prevRf[0] + rf0) * dtS;
      this.#s[1] += 0.5 * (this.#prevRf[1] + rf1) * dtS;
      this.#s[2] += 0.5 * (this.#prevRf[2] + rf2) * dtS;
      this.#tauS += dtS;
    }
    this.#prevRf[0] = rf0; this.#prevRf[1] = rf1; this.#prevRf[2] = rf2;
    this.#n++;
    // B = R·[ω]× − [ω0]×, row-major. (R[ω]×)_{ij} = Σ_k R_ik [ω]×_kj.
    const w0 = this.#w0;
    const b = SCRATCH_B;
    for (let i = 0; i < 3; i++) {
      const r0 = m[3 * i], r1 = m[3 * i + 1], r2 = m[3 * i + 2];
      // [ω]× = [[0, −z, y], [z, 0, −x], [−y, x, 0]]
      b[3 * i] = r1 * wz - r2 * wy;
      b[3 * i + 1] = -r0 * wz + r2 * wx;
      b[3 * i + 2] = r0 * wy - r1 * wx;
    }
    b[1] += w0[2]; b[2] -= w0[1];
    b[3] -= w0[2]; b[5] += w0[0];
    b[6] += w0[1]; b[7] -= w0[0];
    // Row i of the 3×6 design matrix: [B_i0 B_i1 B_i2 | τ·e_i]; accumulate AᵀA and Aᵀs.
    const tau = this.#tauS, ata = this.#ata, atb = this.#atb, s = this.#s;
    for (let i = 0; i < 3; i++) {
      const row = SCRATCH_ROW;
      row[0] = b[3 * i]; row[1] = b[3 * i + 1]; row[2] = b[3 * i + 2];
      row[3] = row[4] = row[5] = 0;
      row[3 + i] = tau;
      for (let p = 0; p < 6; p++) {
        const rp = row[p];
        if (rp === 0) continue;
        atb[p] += rp * s[i];
        for (let q = 0; q < 6; q++) ata[6 * p + q] += rp * row[q];
      }
      this.#btb += s[i] * s[i];
    }
  }

  /** The least-squares tilt so far, with its checks; null before any motion could tell. */
  solve(): PivotTiltSolution | null {
    if (this.#n < 3) return null;
    const st = this.settings;
    const a = SCRATCH_A;
    a.set(this.#ata);
    const ridge = st.leverRidge * this.#n;
    a[0] += ridge; a[7] += ridge; a[14] += ridge;
    const x = SCRATCH_X;
    x.set(this.#atb);
    if (!choleskySolveInPlace(a, x, 6)) return null;
    // Misfit: |s − A x|² = sᵀs − 2 xᵀAᵀs + xᵀAᵀA x (over 3 equations per sample).
    let xtb = 0, xtax = 0;
    for (let p = 0; p < 6; p++) {
      xtb += x[p] * this.#atb[p];
      let ax = 0;
      for (let q = 0; q < 6; q++) ax += this.#ata[6 * p + q] * x[q];
      xtax += x[p] * ax;
    }
    const residualMps = Math.sqrt(Math.max(0, this.#btb - 2 * xtb + xtax) / (3 * this.#n));
    const w: Vec3 = [x[3], x[4], x[5]];
    const gravityMps2 = Math.hypot(w[0], w[1], w[2]);
    if (!(gravityMps2 > 0)) return null;
    const up0: Vec3 = [w[0] / gravityMps2, w[1] / gravityMps2, w[2] / gravityMps2];
    const upSensor = quatRotateInverse(this.#dq, up0);
    const turnedDeg = 2 * Math.acos(Math.min(1, Math.abs(this.#dq[0]))) / RAD_PER_DEG;
    const ok = Math.abs(gravityMps2 / G_MPS2 - 1) < st.gravityTolerance && residualMps < st.maxResidualMps && turnedDeg >= st.minRotationDeg;
    return { upSensor, gravityMps2, residualMps, leverM: [x[0], x[1], x[2]], ok };
  }
}

const SCRATCH_B = new Float64Array(9);
const SCRATCH_ROW = new Float64Array(6);
const SCRATCH_A = new Float64Array(36);
const SCRATCH_X = new Float64Array(6);

/** Rotation matrix of q (row-major): v_start = M · v_current. */
function quatMatrix(q: Readonly<QuatWxyz>, m: Float64Array): Float64Array {
  const [w, x, y, z] = q;
  m[0] = 1 - 2 * (y * y + z * z); m[1] = 2 * (x * y - w * z); m[2] = 2 * (x * z + w * y);
  m[3] = 2 * (x * y + w * z); m[4] = 1 - 2 * (x * x + z * z); m[5] = 2 * (y * z - w * x);
  m[6] = 2 * (x * z - w * y); m[7] = 2 * (y * z + w * x); m[8] = 1 - 2 * (x * x + y * y);
  return m;
}

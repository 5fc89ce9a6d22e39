import { STANDARD_GRAVITY_MPS2 as G_MPS2, type QuatWxyz, type SensorId, type Vec3 } from "@spinewatch/protocol";
import { quatRotate, RAD_PER_DEG } from "@spinewatch/kinematics";
import { choleskySolveInPlace } from "./cholesky-solve.js";
import { rotatedCrossMatrix, type PartnerMotion } from "./partner-motion.js";

/** Unknowns: the gravity reaction w (3), this sensor's lever arm (3), the other's (3). */
const N = 9;
/** Ridge on the lever arms per equation row, (m/s)²/m², as the pivot fit's (pivot-tilt-estimator.ts). */
const LEVER_RIDGE = 1e-4 / 3;
/** Own samples waiting for the other sensor's data to reach their time: its lag behind this lane. */
const MAX_PENDING = 64;

/** What the joint fit says of the tilt (JointTiltEstimator.solve). */
export interface JointTiltSolution {
  /** The gravity reaction's direction ("up") in this sensor's world axes as bridged, unit vector. */
  upWorld: Vec3;
  /** Magnitude of the fitted gravity reaction, m/s² (≈ g when the model holds). */
  gravityMps2: number;
  /** How far this sensor turned over the samples fitted, degrees (path length). */
  turnedDeg: number;
  /** Time from the first to the last sample fitted, ms. */
  spanMs: number;
}

/**
 * Tilt of a sensor back from a gap while both segments move, from its own samples and the other
 * sensor's (whose orientation is trusted meanwhile), by the two-segment model of
 * bench/diagnose-joint-tilt.ts: pelvis and thorax turn about a lumbar joint J that travels with
 * the hips, each sensor moving at v_J + ω × r, so the hips' translation, which the one-sensor
 * pivot fit reads as tilt (a hip accelerating back 0.34 m/s²: 2°), cancels between the two:
 *   Σ R_u f_u dt − Δv_k(τ) = w·τ + [R_u(ω_u × r_u)]₀^τ − [R_k(ω_k × r_k)]₀^τ,
 * u this sensor (R_u its bridged orientation), k the other in u's world axes (PartnerMotion),
 * r_u, r_k the lever arms from J in each sensor's axes (constant), and w the gravity reaction in
 * u's world axes: its tilt from vertical is the bridge's error. Nine unknowns, linear; the
 * normal equations are accumulated as the other sensor's data arrives (no sample buffer beyond
 * the other lane's lag) and solved on demand (Cholesky). This is the joint-position constraint
 * of Seel, Schauer & Raisch ("Joint axis and position estimation from inertial measurement data
 * by exploiting kinematic constraints", IEEE CCA 2012) turned to the tilt. Measured on the
 * simulator (66 sessions, gaps where the sensor turned ≥ 20° in 300 ms): 0.59° RMS, 1.29° max,
 * against 4.63° RMS for the pivot fit (docs/BENCHMARKS.md, session 13).
 */
export class JointTiltEstimator {
  readonly #partner: PartnerMotion;
  readonly #id: SensorId;
  readonly #ata = new Float64Array(N * N);
  readonly #atb = new Float64Array(N);
  readonly #a = new Float64Array(N * N);
  readonly #x = new Float64Array(N);
  #rows = 0;
  /** This sensor's integrated specific force in its world axes since the first sample, m/s. */
  readonly #s: Vec3 = [0, 0, 0];
  readonly #fPrev: Vec3 = [0, 0, 0];
  #t0Ms = Number.NaN;
  #lastMs = Number.NaN;
  #lastFittedMs = Number.NaN;
  #turnedDeg = 0;
  #valid = false;
  /** The first sample's R·[ω]× (own) and the other sensor's Δv and R·[ω]× then (once its data got there), and its run. */
  readonly #mu0 = new Float64Array(9);
  readonly #mk0 = new Float64Array(9);
  readonly #dvk0: Vec3 = [0, 0, 0];
  #partnerRun = Number.NaN;
  #haveReference = false;
  /** Pending own samples: time, τ (s), s (3), own R·[ω]× (9) each. */
  readonly #pending = new Float64Array(MAX_PENDING * 14);
  #pendingCount = 0;
  readonly #mu = new Float64Array(9);
  readonly #mk = new Float64Array(9);
  readonly #dvk: Vec3 = [0, 0, 0];
  readonly #row = new Float64Array(N);
  /** Scratch: this sample's specific force in world axes. */
  readonly #f: Vec3 = [0, 0, 0];

  constructor(partner: PartnerMotion, sensorId: SensorId) {
    this.#partner = partner;
    this.#id = sensorId;
  }

  /** Whether the fit can still be made: the other sensor was there at the first sample and its run has not broken since. */
  get valid(): boolean {
    return this.#valid;
  }

  /** A new window (a new gap). */
  reset(): void {
    this.#ata.fill(0);
    this.#atb.fill(0);
    this.#rows = 0;
    this.#s.fill(0);
    this.#t0Ms = this.#lastMs = this.#lastFittedMs = Number.NaN;
    this.#turnedDeg = 0;
    this.#valid = false;
    this.#pendingCount = 0;
  }

  /** One sample of this sensor: orientation (bridged), specific force m/s², bias-corrected rate °/s, time ms. */
  next(q: Readonly<QuatWxyz>, accMps2: Readonly<Vec3>, gyrDps: Readonly<Vec3>, tMs: number): void {
    const f = quatRotate(q, accMps2, this.#f);
    const omega: Vec3 = [gyrDps[0] * RAD_PER_DEG, gyrDps[1] * RAD_PER_DEG, gyrDps[2] * RAD_PER_DEG];
    if (Number.isNaN(this.#t0Ms)) {
      // The other sensor's reference at this time is taken when its data gets here (#flush).
      this.#t0Ms = tMs;
      rotatedCrossMatrix(q, omega, this.#mu0);
      this.#valid = true;
      this.#haveReference = false;
    } else {
      const dtS = (tMs - this.#lastMs) / 1000;
      const p = this.#fPrev;
      for (let j = 0; j < 3; j++) this.#s[j] += 0.5 * (p[j] + f[j]) * dtS;
      this.#turnedDeg += Math.hypot(gyrDps[0], gyrDps[1], gyrDps[2]) * dtS;
    }
    this.#fPrev[0] = f[0]; this.#fPrev[1] = f[1]; this.#fPrev[2] = f[2];
    this.#lastMs = tMs;
    if (!this.#valid) return;
    if (this.#pendingCount === MAX_PENDING) {
      this.#valid = false; // the other lane stopped: nothing to fit against
      return;
    }
    const at = this.#pendingCount++ * 14;
    const pend = this.#pending;
    pend[at] = tMs;
    pend[at + 1] = (tMs - this.#t0Ms) / 1000;
    pend[at + 2] = this.#s[0]; pend[at + 3] = this.#s[1]; pend[at + 4] = this.#s[2];
    rotatedCrossMatrix(q, omega, this.#mu);
    pend.set(this.#mu, at + 5);
    this.#flush();
  }

  /** The least-squares tilt over the samples fitted so far; null when there are none or the other sensor's run broke. */
  solve(): JointTiltSolution | null {
    this.#flush();
    if (!this.#valid || this.#rows < 3 * 3) return null;
    const a = this.#a, x = this.#x;
    a.set(this.#ata);
    const ridge = LEVER_RIDGE * this.#rows;
    for (let i = 3; i < N; i++) a[i * N + i] += ridge;
    x.set(this.#atb);
    if (!choleskySolveInPlace(a, x, N)) return null;
    const gravityMps2 = Math.hypot(x[0], x[1], x[2]);
    if (!(gravityMps2 > 0.5 * G_MPS2)) return null;
    return {
      upWorld: [x[0] / gravityMps2, x[1] / gravityMps2, x[2] / gravityMps2],
      gravityMps2,
      turnedDeg: this.#turnedDeg,
      spanMs: this.#lastFittedMs - this.#t0Ms,
    };
  }

  /** Adds the pending samples the other sensor's data now reaches as equation rows. */
  #flush(): void {
    const latest = this.#partner.latestMs(this.#id);
    let done = 0;
    const pend = this.#pending;
    while (done < this.#pendingCount && pend[done * 14] <= latest) {
      const at = done * 14;
      if (!this.#haveReference) {
        this.#haveReference = this.#partner.at(this.#id, this.#t0Ms, this.#dvk0, this.#mk0);
        this.#partnerRun = this.#partner.run(this.#id);
      }
      if (!this.#haveReference || this.#partner.run(this.#id) !== this.#partnerRun || !this.#partner.at(this.#id, pend[at], this.#dvk, this.#mk)) {
        this.#valid = false;
        this.#pendingCount = 0;
        return;
      }
      this.#addRows(pend, at);
      this.#lastFittedMs = pend[at];
      done++;
    }
    if (done > 0) {
      pend.copyWithin(0, done * 14, this.#pendingCount * 14);
      this.#pendingCount -= done;
    }
  }

  #addRows(pend: Float64Array, at: number): void {
    const tau = pend[at + 1];
    const row = this.#row, ata = this.#ata, atb = this.#atb;
    const mu0 = this.#mu0, mk = this.#mk, mk0 = this.#mk0;
    for (let i = 0; i < 3; i++) {
      row.fill(0);
      row[i] = tau;
      for (let j = 0; j < 3; j++) {
        row[3 + j] = pend[at + 5 + 3 * i + j] - mu0[3 * i + j];
        row[6 + j] = -(mk[3 * i + j] - mk0[3 * i + j]);
      }
      const b = pend[at + 2 + i] - (this.#dvk[i] - this.#dvk0[i]);
      for (let p = 0; p < N; p++) {
        const rp = row[p];
        if (rp === 0) continue;
        atb[p] += rp * b;
        for (let q = 0; q < N; q++) ata[p * N + q] += rp * row[q];
      }
      this.#rows++;
    }
  }
}

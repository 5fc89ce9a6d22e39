import type { QuatWxyz } from "@spinewatch/protocol";
import { quatAboutWorldVertical } from "./segment-inclination.js";
import { DEG_PER_RAD, RAD_PER_DEG } from "./vec3.js";

/**
 * Bounds the drift of the relative heading between the two 6-axis orientation filters
 * (DESIGN.md, Magnetometers). Without a trusted magnetometer each filter's heading wanders with
 * its residual gyro bias, and the difference corrupts axial rotation (and, when bent, leaks
 * flexion into lateral bend).
 *
 * Idea (kinematic-constraint heading tracking): the lumbar spine allows only ~5-7° of axial
 * rotation each side (LUMBAR-FACTS.md, Troke et al.; AMA table), so the slowly varying part of
 * the heading difference between the two segments is drift, not motion. This follows the spirit
 * of D. Laidig, T. Seel, "Magnetometer-free realtime inertial motion tracking by exploitation of
 * kinematic constraints in 2-DoF joints" (IEEE EMBC 2019) and Laidig & Seel, "VQF: Highly accurate
 * IMU orientation estimation with bias estimation and magnetic disturbance rejection"
 * (Information Fusion 2023): a heading offset about the world vertical is estimated slowly from a
 * constraint residual, instead of trusting the magnetometer.
 *
 * Residual: the heading of each segment's forward horizontal direction h = up × Z
 * (segment-inclination.ts). A filter heading drift of δ shifts the thorax's heading by exactly δ,
 * while true lumbar motion moves it by a bounded, oscillating amount (axial rotation; lateral bend
 * when flexed). The estimate ψ follows the residual through a critically damped second-order
 * (type-2) tracking loop, so a constant drift rate is followed with no steady-state lag:
 *   e = wrap(Δheading − ψ),  ψ̇_est += k2·e·dt,  ψ += (c·ψ̇_est + k1·e)·dt,  k1 = 2ω, k2 = ω².
 * ω is `trackingBandwidthRadPerS` scaled by an uprightness weight (cos of each segment's
 * inclination, clipped at 0): bent far forward, lateral bend shows up as heading, so the loop
 * listens mostly near upright. During quiet upright standing (both segments within
 * `quietMaxInclinationDeg` of vertical and slower than `quietMaxRateDps` for
 * `quietMinDurationMs`) k1 switches to 2 × `quietBandwidthRadPerS`: a fast re-alignment,
 * because standing quietly the trunk is untwisted. k2 keeps the moving loop's value, and the
 * rate is applied times c, the mean of the two uprightness cosines: see `next` for why.
 *
 * Trade-off (measured in relative-heading-tracker.test.ts, 5 min of swings, no stillness): a
 * 0.3 °/s relative drift stays within 2.14° (0.73° after the first minute, while the loop learns
 * the rate); ±5° axial oscillations of 4 s period keep 99.7% of their amplitude, of 20 s period
 * 95% (drift error then up to 4°). A held twist is removed with a ~10-20 s time constant (the
 * bandwidth shrinks with the uprightness weight): a held rotation is read as drift. Quiet
 * standing removes a 15° offset to < 0.3° within 4 s.
 *
 * Output: the correction to apply to the thorax segment's world orientation,
 * q_thorax ← correction ⊗ q_thorax (a rotation about world vertical by −ψ).
 */
export interface RelativeHeadingTrackerOptions {
  /** Loop natural frequency while moving (rad/s); 0.1 rad/s ≈ 10 s time constant. */
  trackingBandwidthRadPerS: number;
  /** Loop natural frequency during quiet upright standing (rad/s): fast re-alignment. */
  quietBandwidthRadPerS: number;
  /** Quiet standing: both segments' forward inclinations within this of vertical (degrees). */
  quietMaxInclinationDeg: number;
  /** Quiet standing: both segments' angular speed below this (°/s). */
  quietMaxRateDps: number;
  /** Quiet standing must last this long before the fast re-alignment starts (ms). */
  quietMinDurationMs: number;
  /** Largest drift rate the loop will believe (°/s); residual gyro bias is far below this. */
  maxDriftRateDps: number;
  /** Longer sample gaps are treated as this (s), so a gap cannot kick the loop. */
  maxDtS: number;
  /**
   * The loop updates at most this often (ms of sample time; samples in between return the current
   * correction). 40 ms (25 Hz) is ample for loop bandwidths ≤ 2 rad/s and keeps the per-frame
   * cost low.
   */
  updateIntervalMs: number;
}

export const RELATIVE_HEADING_TRACKER_DEFAULTS: Readonly<RelativeHeadingTrackerOptions> = {
  trackingBandwidthRadPerS: 0.1,
  quietBandwidthRadPerS: 2,
  quietMaxInclinationDeg: 15,
  quietMaxRateDps: 10,
  quietMinDurationMs: 1000,
  maxDriftRateDps: 1.5,
  maxDtS: 0.5,
  updateIntervalMs: 40,
};

export class RelativeHeadingTracker {
  readonly #o: RelativeHeadingTrackerOptions;
  readonly #cosQuietMax: number;
  #psiRad = 0;
  #psiRateRadPerS = 0;
  #lastTMs = Number.NaN;
  #quietSinceMs = Number.NaN;
  readonly #prevPelvis: QuatWxyz = [1, 0, 0, 0];
  readonly #prevThorax: QuatWxyz = [1, 0, 0, 0];
  readonly #correction: QuatWxyz = [1, 0, 0, 0];

  constructor(options: Partial<RelativeHeadingTrackerOptions> = {}) {
    const o = { ...RELATIVE_HEADING_TRACKER_DEFAULTS, ...options };
    for (const [k, v] of Object.entries(o)) {
      if (!(typeof v === "number" && v >= 0 && Number.isFinite(v))) {
        throw new RangeError(`relative heading tracker: option ${k} must be a finite number ≥ 0, got ${String(v)}`);
      }
    }
    this.#o = o;
    this.#cosQuietMax = Math.cos(o.quietMaxInclinationDeg * RAD_PER_DEG);
  }

  /** Current drift estimate ψ (degrees): how far the thorax heading has drifted from the sacrum's. */
  get driftDeg(): number {
    return this.#psiRad * DEG_PER_RAD;
  }

  /** Current drift-rate estimate (°/s). */
  get driftRateDps(): number {
    return this.#psiRateRadPerS * DEG_PER_RAD;
  }

  /** True while the fast quiet-standing re-alignment is active. */
  get quiet(): boolean {
    return this.#isQuietActive(this.#lastTMs);
  }

  reset(): void {
    this.#psiRad = 0;
    this.#psiRateRadPerS = 0;
    this.#lastTMs = Number.NaN;
    this.#quietSinceMs = Number.NaN;
    quatAboutWorldVertical(0, this.#correction);
  }

  /**
   * One paired sample of the two segments' world orientations (thorax already heading-aligned by
   * the calibration, not yet corrected by this tracker). Returns the correction (reused array)
   * to apply to the thorax: q_thorax ← correction ⊗ q_thorax.
   */
  next(tMs: number, sacrumSegWorld: Readonly<QuatWxyz>, thoraxSegWorld: Readonly<QuatWxyz>): Readonly<QuatWxyz> {
    const o = this.#o;
    const first = Number.isNaN(this.#lastTMs);
    if (!first && tMs >= this.#lastTMs && tMs - this.#lastTMs < o.updateIntervalMs) return this.#correction;
    let dtS = first ? 0 : (tMs - this.#lastTMs) / 1000;
    if (!(dtS > 0)) dtS = 0;
    if (dtS > o.maxDtS) dtS = o.maxDtS;

    // Quiet upright standing: both segments near vertical and slow (rotation since the last update).
    const upP = uprightCos(sacrumSegWorld);
    const upT = uprightCos(thoraxSegWorld);
    let quietNow = upP > this.#cosQuietMax && upT > this.#cosQuietMax;
    if (quietNow && dtS > 0) {
      // Rotation since the last sample below rate·dt, compared as sin²(θ/2) = 1 − (q₁·q₂)² against
      // (rate·dt/2)² (small angles; no acos on the per-sample path).
      const halfStep = 0.5 * o.quietMaxRateDps * RAD_PER_DEG * dtS;
      const limit = halfStep * halfStep;
      quietNow = halfAngleSinSq(this.#prevPelvis, sacrumSegWorld) < limit && halfAngleSinSq(this.#prevThorax, thoraxSegWorld) < limit;
    } else if (first) {
      quietNow = false; // the angular speed needs two samples
    }
    if (!quietNow) this.#quietSinceMs = Number.NaN;
    else if (Number.isNaN(this.#quietSinceMs)) this.#quietSinceMs = tMs;
    this.#lastTMs = tMs;
    copyQuat(sacrumSegWorld, this.#prevPelvis);
    copyQuat(thoraxSegWorld, this.#prevThorax);

    const cosP = Math.max(0, upP), cosT = Math.max(0, upT);
    // The drift rate is learned at the moving loop's pace only, quiet or not: the quiet
    // re-alignment removes an offset, and with its 20× bandwidth in the integrator (k2 = 4/s²)
    // it wound the rate up. Simulator, bird dog, Movella DOT seed 2: a 0.6° offset removed just
    // before the person got down on all fours left -0.14 °/s behind, a 7° one on standing up
    // 1.4 °/s. Whatever movement followed carried that rate as drift (bench/accuracy.ts, default
    // error model, 48 sessions: axial rotation RMSE 0.79 -> 0.39°, side bends 1.84 -> 0.28°).
    const omegaRate = o.trackingBandwidthRadPerS * cosP * cosT;
    const omega = this.#isQuietActive(tMs) ? o.quietBandwidthRadPerS : omegaRate;
    const dHeading = dtS > 0 && omega > 0 ? headingDifferenceRad(sacrumSegWorld, thoraxSegWorld) : Number.NaN;
    if (!Number.isNaN(dHeading)) {
      let e = dHeading - this.#psiRad;
      e -= TWO_PI * Math.round(e / TWO_PI); // wrap into [−π, π]
      const maxRate = o.maxDriftRateDps * RAD_PER_DEG;
      let rate = this.#psiRateRadPerS + omegaRate * omegaRate * e * dtS;
      if (rate > maxRate) rate = maxRate;
      else if (rate < -maxRate) rate = -maxRate;
      this.#psiRateRadPerS = rate;
      // The rate is learned near upright, where world vertical is the segments' long axis; a gyro
      // bias about that axis turns the heading about world vertical by cos(inclination) as much
      // once the trunk leans. Extrapolated whole, the rate kept turning the heading on all fours,
      // where the loop cannot see it (the heading there is lateral bend): 9.4° of false lateral
      // bend in 70 s in the case above.
      this.#psiRad += (rate * 0.5 * (cosP + cosT) + 2 * omega * e) * dtS;
    }
    return quatAboutWorldVertical(-this.#psiRad, this.#correction);
  }

  #isQuietActive(tMs: number): boolean {
    return !Number.isNaN(this.#quietSinceMs) && tMs - this.#quietSinceMs >= this.#o.quietMinDurationMs;
  }
}

const TWO_PI = 2 * Math.PI;

/**
 * Heading of b's forward horizontal direction (h = up × Z) relative to a's, radians in (−π, π]:
 * one atan2 of the cross and dot products of the two h vectors (segment-inclination.ts defines
 * h). NaN when either right axis is vertical.
 */
function headingDifferenceRad(a: Readonly<QuatWxyz>, b: Readonly<QuatWxyz>): number {
  // h = [−Z_y, Z_x, 0]; Z is column 2 of the rotation matrix.
  const ax = -2 * (a[2] * a[3] - a[0] * a[1]), ay = 2 * (a[1] * a[3] + a[0] * a[2]);
  const bx = -2 * (b[2] * b[3] - b[0] * b[1]), by = 2 * (b[1] * b[3] + b[0] * b[2]);
  const tiny = 1e-18;
  if (ax * ax + ay * ay < tiny || bx * bx + by * by < tiny) return Number.NaN;
  return Math.atan2(ax * by - ay * bx, ax * bx + ay * by);
}

/** World-up component of the segment's Y axis: cos of its angle from vertical. */
function uprightCos(q: Readonly<QuatWxyz>): number {
  return 2 * (q[2] * q[3] + q[0] * q[1]);
}

/** sin² of half the rotation angle between two unit quaternions (sign of q ignored). */
function halfAngleSinSq(a: Readonly<QuatWxyz>, b: Readonly<QuatWxyz>): number {
  const d = a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3];
  return 1 - d * d;
}

function copyQuat(src: Readonly<QuatWxyz>, dst: QuatWxyz): void {
  dst[0] = src[0];
  dst[1] = src[1];
  dst[2] = src[2];
  dst[3] = src[3];
}

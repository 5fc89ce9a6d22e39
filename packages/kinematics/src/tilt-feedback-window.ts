/**
 * The accelerometer feedback of {@link OrientationFilter}, held back for `windowS` and applied
 * only if the sensor turned slowly enough on both sides of the sample (spinewatch addition;
 * windowS 0, off, in Fusion's defaults).
 *
 * Why: a movement that starts from rest starts with a low angular rate but already a large
 * angular acceleration (minimum-jerk motion, Flash & Hogan 1985, J Neurosci 5:1688: rate ∝ s²
 * near the start, angular acceleration ∝ s). A 45° bend in 2 s keeps its rate under 2 °/s for
 * its first ~110 ms, while the tangential acceleration at T12 (~0.7 m from the hips) already
 * tilts the measured gravity by 1-2.5°. The filter judged each sample as it came, by its own
 * rate (the rate term) or the gyro-bias estimator's "still" (which ends only once the rate passes
 * 2 °/s), so those samples were fed back and every movement started a little short, an error
 * kept until the next rest; the end of a movement mirrors it (the rate falls before the
 * deceleration does). Measured on the simulator with perfect sensors and link: lumbar flexion
 * 0.07-0.09° low through every rounding swing (90 s, seeds 1-3, both devices), the thorax
 * inclination 0.047° behind through the calibration bend and 0.047° ahead on the way back.
 * Held back by `windowS`, a sample is judged by the largest rate within `windowS` either side
 * of it instead of its own.
 *
 * The feedback is applied in the sensor axes it was measured in: a sample that passes turned
 * less than 0.5° within the window (under 10 °/s for 50 ms), which moves the correction's axis
 * by as much (cos 0.5° = 0.99996); still samples did not turn. Only in Fusion's recovery (after
 * 5 s of rejection, when every sample is trusted whatever the motion) can the axis be off by the
 * turn over 50 ms. (Turning each into world axes and back cost ~20 ns per update.) A delay d in
 * a proportional loop of gain k costs stability only as k·d nears π/2: 0.5/s × 0.05 s here (the
 * start-up ramp's gain 10 is not delayed). Pending feedback is dropped when the orientation is
 * set from outside (it was measured against the old one).
 */
/** Kinds of sample (the `kind` of `step`). */
export const FEEDBACK_NONE = -1; // rejected: no feedback, but its rate counts
export const FEEDBACK_NORMAL = 0; // within the rejection threshold: applied if the rates within the window allow it
export const FEEDBACK_STILL = 1; // the caller said the sensor was still: applied if it still is when the sample is due
export const FEEDBACK_RECOVERING = 2; // Fusion's recovery (trust every sample): applied

const STRIDE = 8; // tS, hx, hy, hz, dtS, hn2, kind, (pad)
/** Pending samples kept (a power of two); at rates above CAPACITY / windowS the oldest are judged early. */
const CAPACITY = 128;
const MASK = CAPACITY - 1;
const RATE_CAPACITY = 256;
const RATE_MASK = RATE_CAPACITY - 1;

/** Indices into `io`, the sample handed to `step` (an array, not arguments: see step). */
export const IO_HX = 0, IO_HY = 1, IO_HZ = 2, IO_HN2 = 3, IO_RATE = 4, IO_DT = 5;

export class TiltFeedbackWindow {
  /**
   * The sample for `step`: its accelerometer feedback (Fusion's half feedback vector, sensor
   * axes), the squared half sine of its error, its rate magnitude (°/s) and time step (s).
   * Written in place by the caller: V8 boxes the double arguments of a call it does not inline.
   */
  readonly io = new Float64Array(6);
  /** What `step` found due, per second of io's step. */
  readonly out = new Float64Array(3);
  #windowS = 0;
  #rejectionPerDps = 0;
  #rejection = Infinity;
  #tS = 0;
  #lastNotStillS = -Infinity;
  readonly #ring = new Float64Array(CAPACITY * STRIDE);
  #start = 0;
  #count = 0;
  // Monotonic deque (decreasing rates) of the samples' rates: its front is the largest since
  // the oldest time still needed (measured faster than scanning the window's ~10 rates back).
  readonly #rateT = new Float64Array(RATE_CAPACITY);
  readonly #rateV = new Float64Array(RATE_CAPACITY);
  #rStart = 0;
  #rCount = 0;

  /**
   * Hold-back time (s), the filter's rejection threshold (squared half sine) and the rejection's
   * rate term (1 / the rate at which the accepted error is 0, per °/s; 0: no rate term).
   */
  configure(windowS: number, rejection: number, rejectionPerDps: number): void {
    this.#windowS = windowS;
    this.#rejection = rejection;
    this.#rejectionPerDps = rejectionPerDps;
    this.clear();
  }

  get enabled(): boolean {
    return this.#windowS > 0;
  }

  /** Forget the pending feedback. */
  clear(): void {
    this.#count = 0;
    this.#start = 0;
  }

  /**
   * One sample (in `io`) of FEEDBACK_* `kind` (FEEDBACK_STILL exactly when the caller called the
   * sensor still). Writes the feedback now due to `out` (zeros when none); returns whether any
   * was due and passed.
   */
  step(kind: number): boolean {
    const io = this.io, out = this.out;
    const dtS = io[IO_DT];
    const t = (this.#tS += dtS);
    if (kind !== FEEDBACK_STILL) this.#lastNotStillS = t;
    const rateDps = io[IO_RATE];
    this.#pushRate(t, rateDps);
    // A normal sample turning at the rate term's zero cannot pass whatever comes after it: not kept.
    if (kind === FEEDBACK_NORMAL && rateDps * this.#rejectionPerDps >= 1) kind = FEEDBACK_NONE;
    if (kind !== FEEDBACK_NONE) {
      if (this.#count === CAPACITY) {
        this.#start = (this.#start + 1) & MASK;
        this.#count--;
      }
      const j = ((this.#start + this.#count) & MASK) * STRIDE;
      const r = this.#ring;
      r[j] = t;
      r[j + 1] = io[IO_HX];
      r[j + 2] = io[IO_HY];
      r[j + 3] = io[IO_HZ];
      r[j + 4] = dtS;
      r[j + 5] = io[IO_HN2];
      r[j + 6] = kind;
      this.#count++;
    }
    out[0] = out[1] = out[2] = 0;
    if (!(dtS > 0) || this.#count === 0 || t - this.#ring[this.#start * STRIDE] < this.#windowS - 1e-9 || this.#due(out) === 0) return false;
    const k = 1 / dtS;
    out[0] *= k;
    out[1] *= k;
    out[2] *= k;
    return true;
  }

  #pushRate(t: number, rateDps: number): void {
    const rt = this.#rateT, rv = this.#rateV;
    // Drop the smaller-or-equal rates from the back, then append.
    while (this.#rCount > 0 && rv[(this.#rStart + this.#rCount - 1) & RATE_MASK] <= rateDps) this.#rCount--;
    if (this.#rCount === RATE_CAPACITY) {
      this.#rStart = (this.#rStart + 1) & RATE_MASK;
      this.#rCount--;
    }
    const i = (this.#rStart + this.#rCount) & RATE_MASK;
    rt[i] = t;
    rv[i] = rateDps;
    this.#rCount++;
  }

  /** Adds Σ h·dt of the samples now `windowS` old that pass to out; returns how many. */
  #due(out: Float64Array): number {
    const r = this.#ring, rt = this.#rateT, rv = this.#rateV;
    const now = this.#tS, w = this.#windowS;
    let applied = 0;
    while (this.#count > 0) {
      const j = this.#start * STRIDE;
      const tk = r[j];
      // (1e-9 s: the sum of the steps is not exact; a sample at exactly windowS is due.)
      if (now - tk < w - 1e-9) break;
      this.#start = (this.#start + 1) & MASK;
      this.#count--;
      const kind = r[j + 6];
      let ok = kind === FEEDBACK_RECOVERING || (kind === FEEDBACK_STILL && this.#lastNotStillS < tk);
      if (!ok && r[j + 5] <= this.#rejection) {
        // The largest rate from tk − windowS to now: the deque's front once older rates are gone.
        while (this.#rCount > 1 && rt[this.#rStart] < tk - w) {
          this.#rStart = (this.#rStart + 1) & RATE_MASK;
          this.#rCount--;
        }
        // (f ≤ 0: turning at least as fast as the rate term's zero; not even a zero error passes.)
        const f = 1 - rv[this.#rStart] * this.#rejectionPerDps;
        ok = f > 0 && r[j + 5] <= this.#rejection * f * f;
      }
      if (!ok) continue;
      const dt = r[j + 4];
      out[0] += r[j + 1] * dt;
      out[1] += r[j + 2] * dt;
      out[2] += r[j + 3] * dt;
      applied++;
    }
    return applied;
  }
}

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
 *
 * Cost (bench/kinematics-filter.ts, docs/BENCHMARKS.md session 10): every step is one entry of
 * one ring (its time, rate, feedback and kind), judged when it is `windowS` old. The largest
 * rate from `windowS` before it to now comes from a two-stack queue with maxima: suffix maxima
 * of the older block, written when the window's front leaves the block before it, and the
 * running maximum of the entries after it (the split of van Herk 1992, Pattern Recogn Lett
 * 13:517, and Gil & Werman 1993, IEEE PAMI 15:504); measured faster than a monotonic deque of
 * the rates, whose pops are irregular (filter update 76 vs 84 ns, interleaved, the rest alike).
 * A sample is checked against both parts' maxima rather than their maximum: the acceptance
 * `f > 0 && hn2 ≤ rejection·f·f`, f = 1 − rate/(the rate term's zero), can only go from pass to
 * fail as the rate grows (each rounded operation is monotone), so passing at both is passing at
 * the larger, and the decisions are exactly those of judging by the largest rate. The hot path
 * uses module-private constants (V8 folds them; an exported or imported one is a checked load
 * each time); the exported ones are copies.
 */
/** Kinds of sample (the `kind` of `step`). */
const NONE = -1, NORMAL = 0, STILL = 1, RECOVERING = 2;
export const FEEDBACK_NONE = NONE; // rejected: no feedback, but its rate counts
export const FEEDBACK_NORMAL = NORMAL; // within the rejection threshold: applied if the rates within the window allow it
export const FEEDBACK_STILL = STILL; // the caller said the sensor was still: applied if it still is when the sample is due
export const FEEDBACK_RECOVERING = RECOVERING; // Fusion's recovery (trust every sample): applied

/** Indices into `io`, the sample handed to `step` (an array, not arguments: see `io`). */
const HX = 0, HY = 1, HZ = 2, HN2 = 3, RATE = 4, DT = 5;
export const IO_HX = HX, IO_HY = HY, IO_HZ = HZ, IO_HN2 = HN2, IO_RATE = RATE, IO_DT = DT;

// A ring entry: its time (s, the sum of the steps), rate (°/s), the suffix maximum of the rates
// (valid from the window's front to #split), h·dt (the products the feedback sums are made of),
// the squared half sine of its error and its kind.
const E_RATE = 1, E_MAX = 2, E_HX_DT = 3, E_HY_DT = 4, E_HZ_DT = 5, E_HN2 = 6, E_KIND = 7, STRIDE = 8;
/**
 * Entries kept (a power of two). A window spans 2·windowS plus a step (11 entries at 100 Hz);
 * past CAPACITY / (2·windowS) (2.56 kHz with 50 ms) the oldest are dropped, judged or not.
 */
const CAPACITY = 256;
const MASK = CAPACITY - 1;

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
  // Entry numbers, absolute (ring slot: & MASK): exact to 2^53 steps; past 2^31 (250 days at
  // 100 Hz) V8 keeps them as doubles, a little slower.
  #n = 0; // entries written
  #due = 0; // the oldest entry not judged yet
  #front = 0; // the oldest entry within the last judged sample's window
  #split = 0; // from #front to here the ring holds suffix maxima; after it, their maximum is #inMax
  #inMax = 0;

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

  /** Forget the pending feedback (the rates stay: they still count for the samples to come). */
  clear(): void {
    this.#due = this.#n;
  }

  /**
   * `step` with the sample as arguments and its kind from the filter's flags: small enough for
   * V8 to inline into the filter's update (no boxing), and no imported constants there.
   */
  sample(still: boolean, recovering: boolean, withinThreshold: boolean,
    hx: number, hy: number, hz: number, hn2: number, rateDps: number, dtS: number): boolean {
    const io = this.io;
    io[HX] = hx; io[HY] = hy; io[HZ] = hz; io[HN2] = hn2; io[RATE] = rateDps; io[DT] = dtS;
    return this.step(still ? STILL : recovering ? RECOVERING : withinThreshold ? NORMAL : NONE);
  }

  /**
   * One sample (in `io`) of FEEDBACK_* `kind` (FEEDBACK_STILL exactly when the caller called the
   * sensor still). Writes the feedback now due to `out` (zeros when none); returns whether any
   * was due and passed. One function, its state in locals written back once: measured faster
   * than a split into an inlined push and a judging call.
   */
  step(kind: number): boolean {
    const io = this.io, r = this.#ring, out = this.out;
    const dtS = io[DT], rateDps = io[RATE];
    const now = (this.#tS += dtS);
    if (kind !== STILL) this.#lastNotStillS = now;
    const n = this.#n + 1;
    let j = ((n - 1) & MASK) * STRIDE;
    r[j] = now;
    r[j + E_RATE] = rateDps;
    r[j + E_HX_DT] = io[HX] * dtS;
    r[j + E_HY_DT] = io[HY] * dtS;
    r[j + E_HZ_DT] = io[HZ] * dtS;
    r[j + E_HN2] = io[HN2];
    r[j + E_KIND] = kind;
    this.#n = n;
    let inMax = Math.max(this.#inMax, rateDps);
    let d = this.#due, f = this.#front;
    if (n - f > CAPACITY) {
      f++; // the slot just written was the front's
      if (d < f) d = f;
    }
    const w = this.#windowS, rej = this.#rejection, perDps = this.#rejectionPerDps;
    let sx = 0, sy = 0, sz = 0, applied = 0;
    while (dtS > 0 && d < n) {
      j = (d & MASK) * STRIDE;
      const tk = r[j];
      // (1e-9 s: the sum of the steps is not exact; a sample at exactly windowS is due.)
      if (now - tk < w - 1e-9) break;
      d++;
      const kindK = r[j + E_KIND];
      if (kindK === NONE) continue;
      const hn2 = r[j + E_HN2];
      let ok = kindK === RECOVERING || (kindK === STILL && this.#lastNotStillS < tk);
      if (!ok && hn2 <= rej) {
        // The window from tk − windowS to now; its older block's suffix maxima are written
        // once the front has passed the last block.
        while (f < n - 1 && r[(f & MASK) * STRIDE] < tk - w) f++;
        if (f >= this.#split) {
          let m = 0; // (rates are ≥ 0; a NaN one makes the windows holding it fail)
          for (let i = n - 1; i >= f; i--) {
            const ji = (i & MASK) * STRIDE;
            m = Math.max(m, r[ji + E_RATE]);
            r[ji + E_MAX] = m;
          }
          this.#split = n;
          inMax = 0;
        }
        // (f ≤ 0: turning at least as fast as the rate term's zero; not even a zero error passes.)
        const fa = 1 - r[(f & MASK) * STRIDE + E_MAX] * perDps, fb = 1 - inMax * perDps;
        ok = fa > 0 && hn2 <= rej * fa * fa && fb > 0 && hn2 <= rej * fb * fb;
      }
      if (ok) {
        sx += r[j + E_HX_DT];
        sy += r[j + E_HY_DT];
        sz += r[j + E_HZ_DT];
        applied++;
      }
    }
    this.#due = d;
    this.#front = f;
    this.#inMax = inMax;
    const k = applied > 0 ? 1 / dtS : 0;
    out[0] = sx * k;
    out[1] = sy * k;
    out[2] = sz * k;
    return applied > 0;
  }
}

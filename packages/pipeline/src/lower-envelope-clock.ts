/**
 * Maps a sensor's clock onto the host timeline from (sensor time, host arrival time) pairs.
 *
 * BLE latency only ever adds delay, so host − sensor = offset + drift·t + latency with
 * latency ≥ 0: the lower envelope of host − sensor is the clock relation, and the minimum
 * latency is the best anyone can do without a latency constant (DESIGN.md, BLE latency). This is the
 * lower-bound idea of Moon, Skelly & Towsley, "Estimation and removal of clock skew from network
 * delay measurements" (IEEE INFOCOM 1999), who fit a line under all points by linear
 * programming (equivalently, a lower convex-hull edge). We keep it streaming and O(1) per
 * sample: the minimum of each block of sensor time (default 1 s), a robust slope through the
 * last blocks' minima (a median of pairwise slopes; the minima carry little latency noise),
 * and an intercept that touches the lowest of the latest minima under that slope. A point below the line pulls the line down at once (a
 * phase-locked correction toward the envelope); raising it waits for the next block.
 */
export interface LowerEnvelopeClockOptions {
  /** Block of sensor time over which one minimum is taken, ms. */
  blockMs?: number;
  /** How many block minima the drift fit uses. */
  blocks?: number;
  /** Largest drift believed, ppm (crystals are ±20-100 ppm; the brief requires ±1000 ppm). */
  maxDriftPpm?: number;
  /** How many of the latest block minima the intercept rests on. Default 5. */
  interceptBlocks?: number;
}

export class LowerEnvelopeClock {
  readonly #blockMs: number;
  readonly #capacity: number;
  readonly #maxSlope: number;
  readonly #blockS: Float64Array;
  readonly #blockY: Float64Array;
  readonly #diffs: Float64Array;
  readonly #interceptBlocks: number;
  #count = 0;
  #head = 0;
  #started = false;
  #sRef = 0;
  #blockStart = 0;
  #curMinS = 0;
  #curMinY = Infinity;
  /** Line: y(s) = #a + #slope·(s − #sRef), y = host − sensor, ms. */
  #a = 0;
  #slope = 0;

  constructor(options: LowerEnvelopeClockOptions = {}) {
    this.#blockMs = options.blockMs ?? 1000;
    this.#capacity = options.blocks ?? 30;
    this.#maxSlope = (options.maxDriftPpm ?? 5000) * 1e-6;
    this.#blockS = new Float64Array(this.#capacity);
    this.#blockY = new Float64Array(this.#capacity);
    this.#diffs = new Float64Array(this.#capacity);
    this.#interceptBlocks = options.interceptBlocks ?? 5;
  }

  get started(): boolean {
    return this.#started;
  }

  /** Estimated drift of host relative to sensor time, ppm (positive: the sensor clock runs slow). */
  get driftPpm(): number {
    return this.#slope * 1e6;
  }

  /** One observation: a sample with sensor time `sMs` arrived at host time `hMs`. */
  observe(sMs: number, hMs: number): void {
    const y = hMs - sMs;
    if (!this.#started) {
      this.#started = true;
      this.#sRef = sMs;
      this.#blockStart = sMs;
      this.#a = y;
      this.#curMinS = sMs;
      this.#curMinY = y;
      return;
    }
    if (sMs - this.#blockStart >= this.#blockMs) {
      this.#closeBlock();
      this.#blockStart = sMs;
      this.#curMinY = Infinity;
    }
    if (y < this.#curMinY) {
      this.#curMinY = y;
      this.#curMinS = sMs;
    }
    const onLine = this.#a + this.#slope * (sMs - this.#sRef);
    if (y < onLine) this.#a = y - this.#slope * (sMs - this.#sRef);
  }

  /** Host-timeline time of sensor time `sMs`, ms. */
  map(sMs: number): number {
    return sMs + this.#a + this.#slope * (sMs - this.#sRef);
  }

  /** How far an observation lies above the current line, ms (≥ 0 once observed). */
  excess(sMs: number, hMs: number): number {
    return hMs - this.map(sMs);
  }

  reset(): void {
    this.#started = false;
    this.#count = 0;
    this.#head = 0;
    this.#a = 0;
    this.#slope = 0;
    this.#curMinY = Infinity;
  }

  #closeBlock(): void {
    if (this.#curMinY === Infinity) return;
    this.#blockS[this.#head] = this.#curMinS;
    this.#blockY[this.#head] = this.#curMinY;
    this.#head = (this.#head + 1) % this.#capacity;
    if (this.#count < this.#capacity) this.#count++;
    if (this.#count < 3) return;
    // Slope: the median of the slopes between block minima `lag` blocks apart (Theil-Sen-like).
    // A least-squares fit through all minima was thrown off by any step in host − sensor (a
    // clockless device's sample counter that jumped by one batch too many or too few across a
    // lost or late BLE notification): a 40 ms step inside the 30 s window tilted the fit by
    // ~2000 ppm, and sample times drifted 100-200 ms off (measured on the simulator, WitMotion
    // with latency, retransmissions and loss). Pairs 5 s apart average the minima's latency
    // noise down; a pair straddling a step of a whole batch (40 ms) shows ≥ 8000 ppm and is
    // left out as implausible (above maxDriftPpm), and steps can come every few seconds.
    const cap = this.#capacity, n = this.#count;
    const first = (this.#head - n + cap) % cap;
    const lag = Math.max(1, Math.round(n / 6));
    const diffs = this.#diffs;
    let m = 0;
    for (let k = lag; k < n; k++) {
      const i0 = (first + k - lag) % cap, i1 = (first + k) % cap;
      const ds = this.#blockS[i1] - this.#blockS[i0];
      // A slope beyond the largest believable drift is a step, not drift: left out.
      const d = ds > 0 ? (this.#blockY[i1] - this.#blockY[i0]) / ds : Number.NaN;
      if (Math.abs(d) <= this.#maxSlope) diffs[m++] = d;
    }
    let slope = m > 0 ? median(diffs, m) : this.#slope;
    if (slope > this.#maxSlope) slope = this.#maxSlope;
    else if (slope < -this.#maxSlope) slope = -this.#maxSlope;
    // Intercept: the line with that slope that touches the lowest of the latest block minima
    // (lower bound); only the latest ones, so that a step up is forgotten within a few blocks.
    let a = Infinity;
    const recent = Math.min(n, this.#interceptBlocks);
    for (let k = n - recent; k < n; k++) {
      const i = (first + k) % cap;
      const ai = this.#blockY[i] - slope * (this.#blockS[i] - this.#sRef);
      if (ai < a) a = ai;
    }
    this.#slope = slope;
    this.#a = a;
  }
}

/** Median of the first `n` entries of `xs` (reordered in place). */
function median(xs: Float64Array, n: number): number {
  const v = xs.subarray(0, n).sort();
  return n % 2 === 1 ? v[(n - 1) >> 1] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

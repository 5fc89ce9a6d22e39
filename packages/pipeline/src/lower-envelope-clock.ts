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
  /**
   * Largest drift believed, ppm. Default 20000: crystals are ±20-100 ppm and the brief requires
   * ±1000 ppm, but a module clocked by an internal RC oscillator is off by up to ~1-2 %
   * (WitMotion's clock was measured 0.7 % off, BLE-PROTOCOLS.md §1.3).
   */
  maxDriftPpm?: number;
  /**
   * Once the drift is locked, block-minimum pairs whose slope differs from it by more than this
   * are steps, not drift, ppm. Default 5000 (a 40 ms batch step between minima 5 s apart: 8000).
   */
  stepSlopePpm?: number;
  /** How many of the latest block minima the intercept rests on. Default 5. */
  interceptBlocks?: number;
}

export class LowerEnvelopeClock {
  readonly #blockMs: number;
  readonly #capacity: number;
  readonly #maxSlope: number;
  readonly #stepSlope: number;
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
  /** The slope has been fitted over LOCK_BLOCKS blocks: later fits are centred on it. */
  #locked = false;

  constructor(options: LowerEnvelopeClockOptions = {}) {
    this.#blockMs = options.blockMs ?? 1000;
    this.#capacity = options.blocks ?? 30;
    this.#maxSlope = (options.maxDriftPpm ?? 20000) * 1e-6;
    this.#stepSlope = (options.stepSlopePpm ?? 5000) * 1e-6;
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

  /**
   * How far above the line an observation at `sMs` may lie through drift alone, ms: until the
   * first slope is fitted (3 blocks) the line is flat, and a clock maxDriftPpm slow moves that far
   * above it (7000 ppm: 7 ms a second, taken for lost samples and for latency).
   */
  unfittedDriftMs(sMs: number): number {
    return this.#count >= 3 ? 0 : this.#maxSlope * Math.abs(sMs - this.#sRef);
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
    this.#locked = false;
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
    // noise down; a pair straddling a step of a whole batch (40 ms) differs from the drift by
    // ≥ 8000 ppm and is left out, and steps can come every few seconds. "The drift" is, once
    // locked, the locked slope; before, the median of the pairs within maxDriftPpm (early pairs
    // are 1-2 s apart, where a step shows ≥ 20000 ppm). Centred on zero instead, a clock 7000
    // ppm slow was never locked (its samples placed 9-35 ms early, its late batches misjudged as
    // lost); re-centred on all pairs at every block, the fit followed the steps of 5 % packet
    // loss (placement 155 ms RMS against 8.5 ms). Both measured with the simulator's BLE link
    // (bench/diagnose-placement.ts).
    const cap = this.#capacity, n = this.#count;
    const first = (this.#head - n + cap) % cap;
    const lag = Math.max(1, Math.round(n / 6));
    let slope = this.#slope;
    if (!this.#locked) {
      const m = this.#pairSlopes(first, n, lag, 0, this.#maxSlope);
      if (m > 0) slope = median(this.#diffs, m);
    }
    const m = this.#pairSlopes(first, n, lag, slope, this.#stepSlope);
    if (m > 0) slope = median(this.#diffs, m);
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
    if (n >= LOCK_BLOCKS) this.#locked = true;
  }

  /** Slopes between block minima `lag` apart within `window` of `center`, into #diffs; returns their count. */
  #pairSlopes(first: number, n: number, lag: number, center: number, window: number): number {
    const cap = this.#capacity;
    let m = 0;
    for (let k = lag; k < n; k++) {
      const i0 = (first + k - lag) % cap, i1 = (first + k) % cap;
      const ds = this.#blockS[i1] - this.#blockS[i0];
      const d = ds > 0 ? (this.#blockY[i1] - this.#blockY[i0]) / ds : Number.NaN;
      if (Math.abs(d - center) <= window) this.#diffs[m++] = d;
    }
    return m;
  }
}

/** Block minima fitted before the drift counts as locked (10 s at the default 1 s blocks). */
const LOCK_BLOCKS = 10;

/** Median of the first `n` entries of `xs` (reordered in place). */
function median(xs: Float64Array, n: number): number {
  const v = xs.subarray(0, n).sort();
  return n % 2 === 1 ? v[(n - 1) >> 1] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/**
 * Maps a sensor's clock onto the host timeline from (sensor time, host arrival time) pairs.
 *
 * BLE latency only ever adds delay, so host − sensor = offset + drift·t + latency with
 * latency ≥ 0: the lower envelope of host − sensor is the clock relation, and the minimum
 * latency is the best anyone can do without a latency constant (DESIGN.md, BLE latency). This is the
 * lower-bound idea of Moon, Skelly & Towsley, "Estimation and removal of clock skew from network
 * delay measurements" (IEEE INFOCOM 1999), who fit a line under all points by linear
 * programming (equivalently, a lower convex-hull edge). We keep it streaming and O(1) per
 * sample: the minimum of each block of sensor time (default 1 s), a least-squares slope through
 * the last blocks' minima (the minima carry little latency noise), and an intercept that touches
 * the lowest point under that slope. A point below the line pulls the line down at once (a
 * phase-locked correction toward the envelope); raising it waits for the next block.
 */
export interface LowerEnvelopeClockOptions {
  /** Block of sensor time over which one minimum is taken, ms. */
  blockMs?: number;
  /** How many block minima the drift fit uses. */
  blocks?: number;
  /** Largest drift believed, ppm (crystals are ±20-100 ppm; the brief requires ±1000 ppm). */
  maxDriftPpm?: number;
}

export class LowerEnvelopeClock {
  readonly #blockMs: number;
  readonly #capacity: number;
  readonly #maxSlope: number;
  readonly #blockS: Float64Array;
  readonly #blockY: Float64Array;
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
    // Least-squares slope through the block minima, centred for numerical safety.
    let ms = 0, my = 0;
    for (let i = 0; i < this.#count; i++) {
      ms += this.#blockS[i];
      my += this.#blockY[i];
    }
    ms /= this.#count;
    my /= this.#count;
    let sxy = 0, sxx = 0;
    for (let i = 0; i < this.#count; i++) {
      const ds = this.#blockS[i] - ms;
      sxy += ds * (this.#blockY[i] - my);
      sxx += ds * ds;
    }
    let slope = sxx > 0 ? sxy / sxx : 0;
    if (slope > this.#maxSlope) slope = this.#maxSlope;
    else if (slope < -this.#maxSlope) slope = -this.#maxSlope;
    // Intercept: the line with that slope that touches the lowest block minimum (lower bound).
    let a = Infinity;
    for (let i = 0; i < this.#count; i++) {
      const ai = this.#blockY[i] - slope * (this.#blockS[i] - this.#sRef);
      if (ai < a) a = ai;
    }
    this.#slope = slope;
    this.#a = a;
  }
}

/**
 * Angular speed over a short trailing window: the least-squares slope of each channel over
 * the last W ms, for several channels at once (the largest magnitude is returned). Over
 * W = 200 ms at 100 Hz, 0.2° of white angle noise gives ~0.8 °/s of speed noise instead of
 * ~28 °/s frame to frame. The estimate describes the window's centre, t - W/2, which callers
 * use to date the start or end of stillness.
 */
export class WindowSpeed {
  readonly windowMs: number;
  readonly channels: number;
  #capacity: number;
  #times: Float64Array;
  #values: Float64Array;
  #head = 0;
  #count = 0;
  #spanMs = 0;

  constructor(channels: number, windowMs = 200, capacity = 256) {
    this.channels = channels;
    this.windowMs = windowMs;
    this.#capacity = capacity;
    this.#times = new Float64Array(capacity);
    this.#values = new Float64Array(capacity * channels);
  }

  /**
   * Pushes one sample (values.length === channels) and returns the largest channel speed in
   * °/s, or NaN while less than half a window of history exists.
   */
  next(tMs: number, values: ArrayLike<number>): number {
    const slot = this.#head;
    this.#times[slot] = tMs;
    for (let c = 0; c < this.channels; c++) this.#values[slot * this.channels + c] = values[c];
    this.#head = (slot + 1) % this.#capacity;
    if (this.#count < this.#capacity) this.#count++;

    // Samples back to the newest one at least W old (or the oldest kept).
    let n = 1;
    for (let i = 1; i < this.#count; i++) {
      n++;
      if (tMs - this.#times[(slot - i + this.#capacity) % this.#capacity] >= this.windowMs) break;
    }
    const oldest = (slot - n + 1 + this.#capacity) % this.#capacity;
    const spanMs = n > 1 ? tMs - this.#times[oldest] : 0;
    this.#spanMs = spanMs;
    if (n < 3 || spanMs < this.windowMs / 2) return Number.NaN;
    // Least-squares slope over the window: uses every sample, so its noise is about half that
    // of a two-point difference over the same span.
    let meanT = 0;
    for (let k = 0; k < n; k++) meanT += this.#times[(oldest + k) % this.#capacity];
    meanT /= n;
    let stt = 0;
    for (let k = 0; k < n; k++) {
      const d = this.#times[(oldest + k) % this.#capacity] - meanT;
      stt += d * d;
    }
    let maxDps = 0;
    for (let c = 0; c < this.channels; c++) {
      let meanX = 0;
      for (let k = 0; k < n; k++) meanX += this.#values[((oldest + k) % this.#capacity) * this.channels + c];
      meanX /= n;
      let stx = 0;
      for (let k = 0; k < n; k++) {
        const idx = (oldest + k) % this.#capacity;
        stx += (this.#times[idx] - meanT) * (this.#values[idx * this.channels + c] - meanX);
      }
      const dps = Math.abs(stx / stt) * 1000;
      if (dps > maxDps) maxDps = dps;
    }
    return maxDps;
  }

  /** Span of the last estimate, ms (its centre is spanMs / 2 before the newest sample). */
  get spanMs(): number {
    return this.#spanMs;
  }

  reset(): void {
    this.#head = 0;
    this.#count = 0;
    this.#spanMs = 0;
  }
}

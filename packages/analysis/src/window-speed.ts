/**
 * Angular speed over a short trailing window: |x(t) - x(t - W)| / W for several channels at
 * once. A difference over W = 200 ms instead of frame to frame divides the noise by ~20 at
 * 100 Hz (0.2° of angle noise: ~28 °/s frame to frame, ~1.4 °/s over 200 ms); the estimate
 * describes the window's centre, t - W/2, which callers use to date the start or end of
 * stillness.
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

    // Newest sample at least W old; else the oldest one kept.
    let ref = -1;
    for (let i = 1; i < this.#count; i++) {
      const idx = (slot - i + this.#capacity) % this.#capacity;
      ref = idx;
      if (tMs - this.#times[idx] >= this.windowMs) break;
    }
    if (ref < 0) {
      this.#spanMs = 0;
      return Number.NaN;
    }
    const spanMs = tMs - this.#times[ref];
    this.#spanMs = spanMs;
    if (spanMs < this.windowMs / 2) return Number.NaN;
    let maxDps = 0;
    for (let c = 0; c < this.channels; c++) {
      const d = Math.abs(values[c] - this.#values[ref * this.channels + c]);
      if (d > maxDps) maxDps = d;
    }
    return (maxDps / spanMs) * 1000;
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

/**
 * Angular speed over a short trailing window: the least-squares slope of each channel over
 * the samples of the last W ms, for several channels at once (the largest magnitude is
 * returned). Over W = 200 ms at 100 Hz, 0.2° of white angle noise gives ~0.8 °/s of speed
 * noise instead of ~28 °/s frame to frame. The estimate describes the window's centre,
 * about t - W/2, which callers use to date the start or end of stillness.
 *
 * The regression sums are kept as running sums (add the new sample, drop the expired ones),
 * with times taken relative to a base that is moved, and the sums rebuilt, every few
 * thousand samples so that neither their size nor rounding errors grow over a long session.
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
  // Running sums over the window: n, Σt, Σt² (shared), Σx and Σtx per channel; t relative to #baseMs.
  #baseMs = Number.NaN;
  #st = 0;
  #stt = 0;
  #sx: Float64Array;
  #stx: Float64Array;
  #sinceRebuild = 0;

  constructor(channels: number, windowMs = 200, capacity = 256) {
    this.channels = channels;
    this.windowMs = windowMs;
    this.#capacity = capacity;
    this.#times = new Float64Array(capacity);
    this.#values = new Float64Array(capacity * channels);
    this.#sx = new Float64Array(channels);
    this.#stx = new Float64Array(channels);
  }

  /**
   * Pushes one sample (values.length === channels) and returns the largest channel speed in
   * °/s, or NaN while less than half a window (or fewer than 3 samples) is available.
   */
  next(tMs: number, values: ArrayLike<number>): number {
    const C = this.channels;
    if (this.#count === this.#capacity) this.#drop();
    if (Number.isNaN(this.#baseMs)) this.#baseMs = tMs;
    const slot = this.#head;
    this.#times[slot] = tMs;
    for (let c = 0; c < C; c++) this.#values[slot * C + c] = values[c];
    this.#head = (slot + 1) % this.#capacity;
    this.#count++;
    this.#addSums(slot, 1);
    while (this.#count > 1 && tMs - this.#times[this.#oldest()] > this.windowMs + 1e-6) this.#drop();
    if (++this.#sinceRebuild >= 4096) this.#rebuild();

    const n = this.#count;
    const spanMs = tMs - this.#times[this.#oldest()];
    this.#spanMs = spanMs;
    if (n < 3 || spanMs < this.windowMs / 2) return Number.NaN;
    const den = n * this.#stt - this.#st * this.#st;
    if (!(den > 0)) return Number.NaN;
    let maxDps = 0;
    for (let c = 0; c < C; c++) {
      const dps = Math.abs((n * this.#stx[c] - this.#st * this.#sx[c]) / den) * 1000;
      if (dps > maxDps) maxDps = dps;
    }
    return maxDps;
  }

  /** Span of the last estimate, ms (its centre is about spanMs / 2 before the newest sample). */
  get spanMs(): number {
    return this.#spanMs;
  }

  reset(): void {
    this.#head = 0;
    this.#count = 0;
    this.#spanMs = 0;
    this.#baseMs = Number.NaN;
    this.#clearSums();
  }

  #oldest(): number {
    return (this.#head - this.#count + this.#capacity) % this.#capacity;
  }

  #drop(): void {
    this.#addSums(this.#oldest(), -1);
    this.#count--;
  }

  #addSums(slot: number, sign: 1 | -1): void {
    const C = this.channels;
    const t = this.#times[slot] - this.#baseMs;
    this.#st += sign * t;
    this.#stt += sign * t * t;
    for (let c = 0; c < C; c++) {
      const x = this.#values[slot * C + c];
      this.#sx[c] += sign * x;
      this.#stx[c] += sign * t * x;
    }
  }

  #clearSums(): void {
    this.#st = 0;
    this.#stt = 0;
    this.#sx.fill(0);
    this.#stx.fill(0);
    this.#sinceRebuild = 0;
  }

  /** Moves the time base to the oldest kept sample and recomputes the sums exactly. */
  #rebuild(): void {
    this.#clearSums();
    if (this.#count === 0) return;
    const first = this.#oldest();
    this.#baseMs = this.#times[first];
    for (let k = 0; k < this.#count; k++) this.#addSums((first + k) % this.#capacity, 1);
  }
}

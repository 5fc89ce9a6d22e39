/**
 * How far a sensor's arrivals typically sit above its clock line, ms (SensorClock's loss and
 * resynchronisation thresholds scale with it, and a late packet's lost samples are counted
 * beyond it): an exponential average over ~100 arrivals, a plain
 * mean over the first ones so that the threshold is sensible from the start. Arrivals below the
 * line count as 0.
 */
export class LatencyExcess {
  #meanMs = 0;
  #count = 0;

  get meanMs(): number {
    return this.#meanMs;
  }

  add(excessMs: number): void {
    const e = excessMs > 0 ? excessMs : 0;
    this.#count++;
    this.#meanMs += Math.max(0.01, 1 / this.#count) * (e - this.#meanMs);
  }

  /**
   * Samples lost before a packet that arrived `excessMs` above the locked counter. BLE loses
   * whole notifications, so with batched packets (WitMotion: 4 frames per notification at
   * 100 Hz, BLE-PROTOCOLS.md §1) the count is a multiple of the packet's size. Rounding to single
   * samples let the connection-interval jitter (0-15 ms) miscount by one sample, and an
   * undercount shifts every later sample 10 ms early until the envelope's 30 s history forgets
   * it; measured on the simulator (swings, WitMotion, latency + loss): angles led the truth by
   * up to 35 ms and flexion RMSE was 4.6° (max 28°).
   */
  lostSamples(excessMs: number, periodMs: number, perPacket: number): number {
    const samples = (excessMs - this.#meanMs) / periodMs;
    return perPacket > 1 ? perPacket * Math.round(samples / perPacket) : Math.round(samples);
  }

  /** Forget everything: the next arrivals start a plain mean again. */
  reset(): void {
    this.#meanMs = 0;
    this.#count = 0;
  }
}

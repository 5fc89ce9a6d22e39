/**
 * Movella DOT timestamps are u32 microseconds of the sensor's clock and wrap after
 * 2^32 µs ≈ 71.6 min (BLE-PROTOCOLS.md §2.5; xsens_dot_server handles it with
 * `ROLLOVER = 4294967295`).
 */
export const U32_WRAP_US = 2 ** 32;

/**
 * Unwraps a wrapping counter by taking each step as the signed difference modulo the wrap
 * (serial-number arithmetic, RFC 1982): correct as long as consecutive readings are less than
 * half a wrap (35.8 min) apart, and harmless on values a decoder already unwrapped.
 * `peek` does not commit, so that a rejected (out-of-order) reading does not move the reference.
 */
export class TimestampUnwrapper {
  readonly #wrap: number;
  readonly #half: number;
  #lastRaw = 0;
  #last = 0;
  #started = false;

  constructor(wrap: number = U32_WRAP_US) {
    this.#wrap = wrap;
    this.#half = wrap / 2;
  }

  /** The unwrapped value of `raw` relative to the last committed reading. */
  peek(raw: number): number {
    if (!this.#started) return raw;
    let step = (raw - this.#lastRaw) % this.#wrap;
    if (step < 0) step += this.#wrap;
    if (step >= this.#half) step -= this.#wrap;
    return this.#last + step;
  }

  /** Makes `raw` (unwrapped to `unwrapped`, from {@link peek}) the new reference. */
  commit(raw: number, unwrapped: number): void {
    this.#lastRaw = raw;
    this.#last = unwrapped;
    this.#started = true;
  }

  /** Peek and commit in one step. */
  next(raw: number): number {
    const u = this.peek(raw);
    this.commit(raw, u);
    return u;
  }

  reset(): void {
    this.#started = false;
    this.#lastRaw = 0;
    this.#last = 0;
  }
}

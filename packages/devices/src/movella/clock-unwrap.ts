/**
 * Unwraps a u32 µs sensor clock (Movella DOT: wraps every 2³² µs ≈ 71.6 min,
 * BLE-PROTOCOLS.md §2.5) into a monotonic count. A backward step of more than half the range is
 * a wrap; a smaller backward step is a reordering or a reset and is passed through (not
 * unwrapped) so the pipeline's clock can judge it. The decoder reports the raw u32; this helper
 * is for the clock stage.
 */
export class U32MicrosUnwrapper {
  static readonly RANGE = 2 ** 32;
  #offset = 0;
  #last: number | undefined;

  next(rawUs: number): number {
    const last = this.#last;
    if (last !== undefined && rawUs < last && last - rawUs > U32MicrosUnwrapper.RANGE / 2) {
      this.#offset += U32MicrosUnwrapper.RANGE;
    } else if (last !== undefined && rawUs > last && rawUs - last > U32MicrosUnwrapper.RANGE / 2 && this.#offset > 0) {
      // a late sample from before the last wrap: placed before it, and not the new reference
      return rawUs + this.#offset - U32MicrosUnwrapper.RANGE;
    }
    this.#last = rawUs;
    return rawUs + this.#offset;
  }

  reset(): void {
    this.#offset = 0;
    this.#last = undefined;
  }
}

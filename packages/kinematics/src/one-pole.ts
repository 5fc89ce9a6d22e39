/**
 * One-pole (exponential) low-pass, y[n] = y[n−1] + a (x[n] − y[n−1]) with a = 1 − e^(−2π fc/fs):
 * the impulse-invariant one-pole of https://www.earlevel.com/main/2012/12/15/a-one-pole-filter/
 * (b1 = e^(−2π fc/fs), a0 = 1 − b1). DC gain 1. Its −3 dB point is at `cutoffHz` when the cutoff
 * is well below the sample rate (within 0.1 dB up to fs/20); it drifts above fc as fc nears fs/2.
 */
export class OnePoleLowpass {
  readonly cutoffHz: number;
  readonly sampleRateHz: number;
  readonly #a: number;
  #y = 0;
  #primed = false;

  constructor(cutoffHz: number, sampleRateHz: number) {
    checkCutoff("OnePoleLowpass", cutoffHz, sampleRateHz);
    this.cutoffHz = cutoffHz;
    this.sampleRateHz = sampleRateHz;
    this.#a = 1 - Math.exp((-2 * Math.PI * cutoffHz) / sampleRateHz);
  }

  /** Next output. The first input after construction or `reset()` primes the state (no start-up transient). */
  next(x: number): number {
    if (!this.#primed) {
      this.#primed = true;
      this.#y = x;
      return x;
    }
    this.#y += this.#a * (x - this.#y);
    return this.#y;
  }

  /** Last output (NaN before the first input). */
  get value(): number {
    return this.#primed ? this.#y : NaN;
  }

  /** Forget the state; with `valueAtRest` the filter starts settled at that value instead. */
  reset(valueAtRest?: number): void {
    this.#primed = valueAtRest !== undefined;
    this.#y = valueAtRest ?? 0;
  }
}

/** Throws a one-line RangeError unless 0 < cutoffHz < sampleRateHz / 2 and both are finite. */
export function checkCutoff(what: string, cutoffHz: number, sampleRateHz: number): void {
  if (!(Number.isFinite(sampleRateHz) && sampleRateHz > 0)) {
    throw new RangeError(`${what}: sampleRateHz must be a finite number > 0, got ${sampleRateHz}`);
  }
  if (!(Number.isFinite(cutoffHz) && cutoffHz > 0 && cutoffHz < sampleRateHz / 2)) {
    throw new RangeError(`${what}: cutoffHz must be between 0 and the Nyquist frequency ${sampleRateHz / 2} Hz, got ${cutoffHz}`);
  }
}

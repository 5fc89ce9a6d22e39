/**
 * Causal one-pole low-pass for irregularly timed samples: y += (1 - e^(-dt/τ)) (x - y), with
 * τ = 1 / (2π cutoffHz) and dt taken from the sample times, so a late frame is weighted as the
 * time it stands for (https://www.earlevel.com/main/2012/12/15/a-one-pole-filter/).
 * Kept here rather than imported because the detectors need only this much smoothing.
 */
export class OnePoleSmoother {
  readonly cutoffHz: number;
  #tauMs: number;
  #valueDeg = 0;
  #lastMs = Number.NaN;
  /** 1 - e^(-dt/τ) for the last dt seen: frames come at a steady period, so exp runs rarely. */
  #kDtMs = Number.NaN;
  #k = 0;

  constructor(cutoffHz: number) {
    if (!(cutoffHz > 0)) throw new Error(`OnePoleSmoother: cutoffHz must be > 0 (got ${cutoffHz})`);
    this.cutoffHz = cutoffHz;
    this.#tauMs = 1000 / (2 * Math.PI * cutoffHz);
  }

  /** Feeds one sample; the first sample after a reset passes through unchanged. */
  next(tMs: number, x: number): number {
    if (Number.isNaN(this.#lastMs)) {
      this.#valueDeg = x;
    } else {
      const dtMs = Math.max(0, tMs - this.#lastMs);
      if (dtMs !== this.#kDtMs) {
        this.#kDtMs = dtMs;
        this.#k = 1 - Math.exp(-dtMs / this.#tauMs);
      }
      this.#valueDeg += this.#k * (x - this.#valueDeg);
    }
    this.#lastMs = tMs;
    return this.#valueDeg;
  }

  get value(): number {
    return this.#valueDeg;
  }

  reset(): void {
    this.#lastMs = Number.NaN;
    this.#valueDeg = 0;
  }
}

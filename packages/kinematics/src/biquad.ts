import { checkCutoff } from "./one-pole.js";

/** Biquad coefficients normalised so that a0 = 1: H(z) = (b0 + b1 z⁻¹ + b2 z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²). */
export interface BiquadCoefficients {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/**
 * Second-order IIR section in transposed direct form II (good numerical behaviour in float64,
 * two state variables). Designs from R. Bristow-Johnson, "Cookbook formulae for audio EQ biquad
 * filter coefficients" (the Audio EQ Cookbook, https://www.w3.org/TR/audio-eq-cookbook/): the
 * bilinear transform of the analog prototype with the frequency pre-warped so that the response
 * at `cutoffHz` is exact (|H| = Q there; −3.01 dB for Q = 1/√2).
 */
export class Biquad {
  readonly coefficients: Readonly<BiquadCoefficients>;
  readonly #b0: number;
  readonly #b1: number;
  readonly #b2: number;
  readonly #a1: number;
  readonly #a2: number;
  #s1 = 0;
  #s2 = 0;

  constructor(c: Readonly<BiquadCoefficients>) {
    for (const k of ["b0", "b1", "b2", "a1", "a2"] as const) {
      if (!Number.isFinite(c[k])) throw new RangeError(`Biquad: coefficient ${k} must be finite, got ${c[k]}`);
    }
    this.coefficients = Object.freeze({ b0: c.b0, b1: c.b1, b2: c.b2, a1: c.a1, a2: c.a2 });
    this.#b0 = c.b0;
    this.#b1 = c.b1;
    this.#b2 = c.b2;
    this.#a1 = c.a1;
    this.#a2 = c.a2;
  }

  /** Cookbook LPF: H(s) = 1 / (s² + s/Q + 1). */
  static lowpass(cutoffHz: number, sampleRateHz: number, q = Math.SQRT1_2): Biquad {
    return new Biquad(cookbook("lowpass", cutoffHz, sampleRateHz, q));
  }

  /** Cookbook HPF: H(s) = s² / (s² + s/Q + 1). */
  static highpass(cutoffHz: number, sampleRateHz: number, q = Math.SQRT1_2): Biquad {
    return new Biquad(cookbook("highpass", cutoffHz, sampleRateHz, q));
  }

  next(x: number): number {
    const y = this.#b0 * x + this.#s1;
    this.#s1 = this.#b1 * x - this.#a1 * y + this.#s2;
    this.#s2 = this.#b2 * x - this.#a2 * y;
    return y;
  }

  /** Gain at 0 Hz, (b0 + b1 + b2) / (1 + a1 + a2). */
  get dcGain(): number {
    return (this.#b0 + this.#b1 + this.#b2) / (1 + this.#a1 + this.#a2);
  }

  /**
   * Reset to the steady state of a constant input `valueAtRest` (0 = silence): the output then
   * starts at dcGain · valueAtRest with no transient (what scipy's lfilter_zi gives).
   */
  reset(valueAtRest = 0): void {
    const y = this.dcGain * valueAtRest;
    this.#s2 = this.#b2 * valueAtRest - this.#a2 * y;
    this.#s1 = this.#b1 * valueAtRest - this.#a1 * y + this.#s2;
  }
}

function cookbook(kind: "lowpass" | "highpass", cutoffHz: number, sampleRateHz: number, q: number): BiquadCoefficients {
  checkCutoff(`Biquad.${kind}`, cutoffHz, sampleRateHz);
  if (!(Number.isFinite(q) && q > 0)) throw new RangeError(`Biquad.${kind}: q must be a finite number > 0, got ${q}`);
  const w0 = (2 * Math.PI * cutoffHz) / sampleRateHz;
  const cosW0 = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  const b1 = kind === "lowpass" ? 1 - cosW0 : -(1 + cosW0);
  const b0 = kind === "lowpass" ? b1 / 2 : -b1 / 2;
  return { b0: b0 / a0, b1: b1 / a0, b2: b0 / a0, a1: (-2 * cosW0) / a0, a2: (1 - alpha) / a0 };
}

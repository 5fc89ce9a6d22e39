import { Biquad, type BiquadCoefficients } from "./biquad.js";
import { checkCutoff } from "./one-pole.js";

/**
 * Second-order sections of a digital Butterworth low-pass of order N (bilinear transform,
 * pre-warped at the cutoff, so |H(cutoffHz)| = 1/√2 exactly, −3.01 dB).
 *
 * Pole placement: the analog Butterworth prototype's poles lie evenly on the left half of the
 * unit circle, s_k = e^{jπ(2k+N+1)/(2N)}, k = 0..N−1 (S. Butterworth, "On the theory of filter
 * amplifiers", 1930; e.g. J. O. Smith, Introduction to Digital Filters, "Butterworth Lowpass
 * Design"). Pole k lies at θ_k = π(2k+1−N)/(2N) from the negative real axis; with its conjugate
 * (θ_k > 0) it is the section s² + 2cos(θ_k) s + 1, i.e. an RBJ cookbook low-pass with
 * Q_k = 1/(2 cos θ_k) (order 4: Q = 0.5412, 1.3066; order 3: Q = 1;
 * https://www.earlevel.com/main/2016/09/29/cascading-filters/). An odd order has the real pole
 * s = −1 (θ = 0), a first-order section (bilinear, pre-warped: K = tan(π fc/fs),
 * b0 = b1 = K/(1+K), a1 = (K−1)/(K+1)).
 */
export function butterworthLowpassSections(order: number, cutoffHz: number, sampleRateHz: number): BiquadCoefficients[] {
  if (!(Number.isInteger(order) && order >= 1 && order <= 20)) {
    throw new RangeError(`butterworth: order must be an integer from 1 to 20, got ${order}`);
  }
  checkCutoff("butterworth", cutoffHz, sampleRateHz);
  const sections: BiquadCoefficients[] = [];
  for (let k = Math.ceil(order / 2); k < order; k++) {
    const q = 1 / (2 * Math.cos((Math.PI * (2 * k + 1 - order)) / (2 * order)));
    sections.push(Biquad.lowpass(cutoffHz, sampleRateHz, q).coefficients);
  }
  if (order % 2 === 1) {
    const kw = Math.tan((Math.PI * cutoffHz) / sampleRateHz);
    const b = kw / (1 + kw);
    sections.push({ b0: b, b1: b, b2: 0, a1: (kw - 1) / (kw + 1), a2: 0 });
  }
  return sections;
}

/** Causal Butterworth low-pass of order N as cascaded biquads, sample by sample. */
export class ButterworthLowpass {
  readonly order: number;
  readonly cutoffHz: number;
  readonly sampleRateHz: number;
  readonly #sections: Biquad[];

  constructor(order: number, cutoffHz: number, sampleRateHz: number) {
    this.#sections = butterworthLowpassSections(order, cutoffHz, sampleRateHz).map((c) => new Biquad(c));
    this.order = order;
    this.cutoffHz = cutoffHz;
    this.sampleRateHz = sampleRateHz;
  }

  next(x: number): number {
    let y = x;
    for (const s of this.#sections) y = s.next(y);
    return y;
  }

  /** Settle at a constant input `valueAtRest` (default 0), with no transient. */
  reset(valueAtRest = 0): void {
    for (const s of this.#sections) s.reset(valueAtRest);
  }
}

/**
 * Zero-lag (zero-phase) Butterworth low-pass for offline use: the signal is filtered forwards,
 * then backwards, as scipy.signal.filtfilt / sosfiltfilt do (F. Gustafsson, "Determining the
 * initial states in forward-backward filtering", IEEE Trans. Signal Processing 44(4), 1996;
 * https://docs.scipy.org/doc/scipy/reference/generated/scipy.signal.sosfiltfilt.html).
 * Like scipy's defaults: the ends are padded with an odd extension (2·x[0] − x[i], mirrored) of
 * 3·(order+1) samples, and each pass starts each section in the steady state of its first input
 * (scipy's sosfilt_zi), so a constant signal comes out unchanged and the ends do not ring.
 * The magnitude response is squared: −6.02 dB at `cutoffHz`. Shorter signals than scipy accepts
 * are padded with what there is (at most length − 1 samples) instead of refused.
 */
export function filtfiltButterworth(signal: Float64Array | readonly number[], cutoffHz: number, sampleRateHz: number,
  order = 4): Float64Array {
  const sections = butterworthLowpassSections(order, cutoffHz, sampleRateHz).map((c) => new Biquad(c));
  const n = signal.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(signal[i])) {
      throw new RangeError(`filtfiltButterworth: signal[${i}] is ${signal[i]}, not a finite number`);
    }
  }
  if (n < 2) return Float64Array.from(signal);

  // Odd extension: [2x0 − x[pad..1], x, 2x_{n−1} − x[n−2..n−1−pad]].
  const pad = Math.min(3 * (order + 1), n - 1);
  const ext = new Float64Array(n + 2 * pad);
  const first = signal[0], last = signal[n - 1];
  for (let i = 0; i < pad; i++) ext[i] = 2 * first - signal[pad - i];
  for (let i = 0; i < n; i++) ext[pad + i] = signal[i];
  for (let i = 0; i < pad; i++) ext[pad + n + i] = 2 * last - signal[n - 2 - i];

  runSections(sections, ext, false);
  runSections(sections, ext, true);
  return ext.slice(pad, pad + n);
}

/** Filters `x` in place through the cascade, forwards or backwards, from the steady state of its first sample. */
function runSections(sections: Biquad[], x: Float64Array, backwards: boolean): void {
  const n = x.length;
  for (const s of sections) {
    s.reset(x[backwards ? n - 1 : 0]);
    if (backwards) {
      for (let i = n - 1; i >= 0; i--) x[i] = s.next(x[i]);
    } else {
      for (let i = 0; i < n; i++) x[i] = s.next(x[i]);
    }
  }
}

/**
 * Running least-squares line y = a + b·t over samples that can be added and removed
 * (ordinary least squares from sums; times and values are taken relative to the first sample
 * to keep the sums well conditioned). Used for a hold's mean pelvis tilt; a hold's flexion
 * trend is a cubic (cubic-fit.ts).
 */
export class LinearFit {
  #t0 = Number.NaN;
  #y0 = 0;
  #n = 0;
  #st = 0;
  #stt = 0;
  #sy = 0;
  #syy = 0;
  #sty = 0;

  /** Starts over; t0S and y0 are the reference point the sums are taken about. */
  reset(t0S = Number.NaN, y0 = 0): void {
    this.#t0 = t0S;
    this.#y0 = y0;
    this.#n = this.#st = this.#stt = this.#sy = this.#syy = this.#sty = 0;
  }

  add(tS: number, y: number, weight = 1): void {
    if (Number.isNaN(this.#t0)) this.reset(tS, y);
    const t = tS - this.#t0;
    const v = y - this.#y0;
    this.#n += weight;
    this.#st += weight * t;
    this.#stt += weight * t * t;
    this.#sy += weight * v;
    this.#syy += weight * v * v;
    this.#sty += weight * t * v;
  }

  remove(tS: number, y: number): void {
    this.add(tS, y, -1);
  }

  get count(): number {
    return this.#n;
  }

  get mean(): number {
    return this.#n > 0 ? this.#y0 + this.#sy / this.#n : Number.NaN;
  }

  /** Slope per unit of t (0 with fewer than two distinct times). */
  get slope(): number {
    const den = this.#n * this.#stt - this.#st * this.#st;
    return this.#n >= 2 && den > 1e-12 ? (this.#n * this.#sty - this.#st * this.#sy) / den : 0;
  }

  /** RMS of the residuals about the fitted line. */
  get residualRms(): number {
    if (this.#n < 1) return Number.NaN;
    const b = this.slope;
    const a = (this.#sy - b * this.#st) / this.#n;
    const sse = this.#syy - a * this.#sy - b * this.#sty;
    return Math.sqrt(Math.max(0, sse) / this.#n);
  }
}

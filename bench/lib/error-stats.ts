/**
 * Running error statistics of one channel: RMSE, maximum absolute error (and when it
 * happened), mean error (bias). Pure accumulation: O(1) memory whatever the session length.
 */
export class ErrorStats {
  n = 0;
  #sum = 0;
  #sumSq = 0;
  maxAbs = 0;
  maxAtMs = Number.NaN;

  add(errorDeg: number, tMs: number): void {
    if (!Number.isFinite(errorDeg)) return;
    this.n++;
    this.#sum += errorDeg;
    this.#sumSq += errorDeg * errorDeg;
    const a = Math.abs(errorDeg);
    if (a > this.maxAbs) {
      this.maxAbs = a;
      this.maxAtMs = tMs;
    }
  }

  /** Adds another accumulator's samples (pooling seeds or scenarios). */
  merge(o: ErrorStats): void {
    this.n += o.n;
    this.#sum += o.#sum;
    this.#sumSq += o.#sumSq;
    if (o.maxAbs > this.maxAbs) {
      this.maxAbs = o.maxAbs;
      this.maxAtMs = o.maxAtMs;
    }
  }

  get rmse(): number {
    return this.n > 0 ? Math.sqrt(this.#sumSq / this.n) : Number.NaN;
  }

  get mean(): number {
    return this.n > 0 ? this.#sum / this.n : Number.NaN;
  }
}

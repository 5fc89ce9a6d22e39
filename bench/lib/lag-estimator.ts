/**
 * Least-squares time offset between an estimate and its truth: if est(t) ≈ truth(t − lag),
 * then est − truth ≈ −lag · d(truth)/dt, so lag = −Σ e·ṙ / Σ ṙ² over all samples. Positive:
 * the estimate lags the truth (latency); negative: it leads. Only meaningful where the
 * channel moves (Σ ṙ² large); reported in ms.
 */
export class LagEstimator {
  #sumErrRate = 0;
  #sumRate2 = 0;

  /** errorDeg = estimate − truth; rateDegPerMs: truth's time derivative at the same instant. */
  add(errorDeg: number, rateDegPerMs: number): void {
    if (!Number.isFinite(errorDeg) || !Number.isFinite(rateDegPerMs)) return;
    this.#sumErrRate += errorDeg * rateDegPerMs;
    this.#sumRate2 += rateDegPerMs * rateDegPerMs;
  }

  merge(o: LagEstimator): void {
    this.#sumErrRate += o.#sumErrRate;
    this.#sumRate2 += o.#sumRate2;
  }

  get lagMs(): number {
    return this.#sumRate2 > 0 ? -this.#sumErrRate / this.#sumRate2 : Number.NaN;
  }
}

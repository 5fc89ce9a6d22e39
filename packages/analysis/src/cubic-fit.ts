/**
 * Running least-squares cubic y = c0 + c1·u + c2·u² + c3·u³ over samples that can be added and
 * removed, from power sums (u: time relative to the first sample, scaled by the span seen when
 * solving, so that the normal equations stay well conditioned for holds of any length). Used for
 * a hold's mean flexion, drift (the trend's change from the hold's start to its end) and sway
 * (RMS of the residuals about the trend).
 *
 * Why a cubic and not a line: a sag that eases in and out (as a smooth, minimum-jerk-like
 * movement does) is S-shaped, and a line's slope over it reads the change 1.28 times too large
 * (least squares over [0, 1] of 10s³ − 15s⁴ + 6s⁵: slope 1.283), with the S left in the sway.
 * A cubic reads a linear sag exactly and that S-curve to within 5 % (0.954), 11 % when the
 * hold's dated edges add flat stretches of an eighth of its length (0.888); its residual is
 * 0.007 of the change (the line's 0.064).
 */
export class CubicFit {
  #t0 = Number.NaN;
  #y0 = 0;
  #tMax = 0;
  /** Σ w·t^k for k = 0..6 (t relative to t0). */
  readonly #st = new Float64Array(7);
  /** Σ w·t^k·v for k = 0..3 (v relative to y0). */
  readonly #sty = new Float64Array(4);
  #syy = 0;
  /** Solved coefficients in u = t / #scale, valid until the next add or remove. */
  readonly #c = new Float64Array(4);
  #scale = 1;
  #dirty = true;

  /** Starts over; t0 and y0 are the reference point the sums are taken about. */
  reset(t0 = Number.NaN, y0 = 0): void {
    this.#t0 = t0;
    this.#y0 = y0;
    this.#tMax = 0;
    this.#st.fill(0);
    this.#sty.fill(0);
    this.#syy = 0;
    this.#dirty = true;
  }

  add(t: number, y: number, weight = 1): void {
    if (Number.isNaN(this.#t0)) this.reset(t, y);
    const dt = t - this.#t0;
    const v = y - this.#y0;
    if (Math.abs(dt) > this.#tMax) this.#tMax = Math.abs(dt);
    let p = weight;
    for (let k = 0; k <= 6; k++) {
      this.#st[k] += p;
      if (k <= 3) this.#sty[k] += p * v;
      p *= dt;
    }
    this.#syy += weight * v * v;
    this.#dirty = true;
  }

  remove(t: number, y: number): void {
    this.add(t, y, -1);
  }

  get count(): number {
    return this.#st[0];
  }

  /** Mean of the samples' values (NaN when empty). */
  get mean(): number {
    return this.#st[0] > 0 ? this.#y0 + this.#sty[0] / this.#st[0] : Number.NaN;
  }

  /** The fitted trend at time t (NaN when empty). */
  valueAt(t: number): number {
    if (!this.#solve()) return Number.NaN;
    const u = (t - this.#t0) / this.#scale;
    const c = this.#c;
    return this.#y0 + c[0] + u * (c[1] + u * (c[2] + u * c[3]));
  }

  /** RMS of the residuals about the fitted trend. */
  get residualRms(): number {
    if (!this.#solve()) return Number.NaN;
    // SSE = Σv² − cᵀ·(Xᵀv) at the least-squares solution (in u, Xᵀv scales by 1/scale^k).
    let fitted = 0;
    let s = 1;
    for (let k = 0; k < 4; k++) {
      fitted += this.#c[k] * (this.#sty[k] / s);
      s *= this.#scale;
    }
    return Math.sqrt(Math.max(0, this.#syy - fitted) / this.#st[0]);
  }

  /**
   * Solves the normal equations in u = t / scale by Gaussian elimination with partial pivoting;
   * with fewer distinct times than coefficients the higher ones are dropped (a line, a constant).
   */
  #solve(): boolean {
    const n = this.#st[0];
    if (!(n > 0)) return false;
    if (!this.#dirty) return true;
    this.#scale = this.#tMax > 0 ? this.#tMax : 1;
    const su = new Float64Array(7);
    const suy = new Float64Array(4);
    let s = 1;
    for (let k = 0; k <= 6; k++) {
      su[k] = this.#st[k] / s;
      if (k <= 3) suy[k] = this.#sty[k] / s;
      s *= this.#scale;
    }
    // Degree the data supports: samples at d + 1 distinct times at least (counted crudely by n).
    const degree = Math.min(3, Math.max(0, Math.round(n) - 1));
    for (let d = degree; d >= 0; d--) {
      if (solveNormal(su, suy, d, this.#c)) {
        this.#dirty = false;
        return true;
      }
    }
    return false;
  }
}

/** Least squares of degree d from power sums; writes c (zeros above d). False when singular. */
function solveNormal(su: Float64Array, suy: Float64Array, d: number, c: Float64Array): boolean {
  const m = d + 1;
  const a: number[][] = [];
  for (let i = 0; i < m; i++) {
    const row: number[] = [];
    for (let j = 0; j < m; j++) row.push(su[i + j]);
    row.push(suy[i]);
    a.push(row);
  }
  for (let col = 0; col < m; col++) {
    let piv = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) piv = r;
    // Relative to the diagonal's scale (su[0] = n): a pivot this small is a singular system.
    if (Math.abs(a[piv][col]) <= 1e-12 * su[0]) return false;
    [a[col], a[piv]] = [a[piv], a[col]];
    for (let r = col + 1; r < m; r++) {
      const f = a[r][col] / a[col][col];
      for (let j = col; j <= m; j++) a[r][j] -= f * a[col][j];
    }
  }
  c.fill(0);
  for (let i = m - 1; i >= 0; i--) {
    let v = a[i][m];
    for (let j = i + 1; j < m; j++) v -= a[i][j] * c[j];
    c[i] = v / a[i][i];
  }
  return true;
}

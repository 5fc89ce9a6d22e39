/**
 * Solves the symmetric positive-definite n×n system a·x = b in place (a row-major, overwritten by
 * its Cholesky factor; x holds b on entry, the solution on return); false when a is not
 * positive definite. Hand-written (Golub & Van Loan, Matrix Computations, §4.2): the tilt fits
 * that use it run inside the live stream when a sensor returns, where loading mathjs (kinematics
 * loads it lazily for calibration only) would stall the frames.
 */
export function choleskySolveInPlace(a: Float64Array, x: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
    if (!(d > 1e-12)) return false;
    const l = Math.sqrt(d);
    a[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / l;
    }
  }
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= a[i * n + k] * x[k];
    x[i] = s / a[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= a[k * n + i] * x[k];
    x[i] = s / a[i * n + i];
  }
  return true;
}

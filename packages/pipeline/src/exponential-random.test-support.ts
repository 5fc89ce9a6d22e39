/** Exponentially distributed value with the given mean (inverse transform of a uniform draw). */
export function exponential(rand: () => number, mean: number): number {
  return -mean * Math.log(1 - rand());
}

import { describe, expect, it } from "vitest";
import type { Vec3 } from "@spinewatch/protocol";
import { gapMeanRateDps } from "./gap-mean-rate.js";

/** Mean of ω over [0, T] by Simpson's rule on 1000 panels (exact for cubics, ~1e-12 otherwise here). */
function meanOf(w: (t: number) => number, T: number): number {
  const n = 1000, h = T / n;
  let s = w(0) + w(T);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * w(i * h);
  return (s * h) / 3 / T;
}

const on = (x: number): Vec3 => [x, -0.5 * x, 2 * x];

describe("gapMeanRateDps", () => {
  it("is exact for a cubic rate with both derivatives, and for a quadratic with the first only (1e-9 °/s)", () => {
    const T = 0.2;
    const cubic = (t: number) => 50 + 300 * t - 4000 * t * t + 9000 * t ** 3;
    const dCubic = (t: number) => 300 - 8000 * t + 27000 * t * t;
    const h = gapMeanRateDps(on(cubic(0)), on(dCubic(0)), on(cubic(T)), on(dCubic(T)), T);
    const truth = meanOf(cubic, T);
    expect(h[0]).toBeCloseTo(truth, 9);
    expect(h[1]).toBeCloseTo(-0.5 * truth, 9);
    expect(h[2]).toBeCloseTo(2 * truth, 9);
    const quad = (t: number) => -120 + 900 * t - 3000 * t * t;
    const q = gapMeanRateDps(on(quad(0)), on(900), on(quad(T)), null, T);
    expect(q[0]).toBeCloseTo(meanOf(quad, T), 9);
  });

  it("follows a swing's rate across 200 ms lost within 0.2 °/s (0.17 measured) where the mean of the ends is 14 °/s off", () => {
    // ω = 250 °/s · sin(2πt / 1.5 s), the gap centred on the peak rate (where ω'' is largest).
    const W = 250, O = (2 * Math.PI) / 1.5, T = 0.2, t0 = 0.375 - T / 2;
    const w = (t: number) => W * Math.sin(O * (t0 + t));
    const a = (t: number) => W * O * Math.cos(O * (t0 + t));
    const truth = meanOf(w, T);
    const hermite = gapMeanRateDps(on(w(0)), on(a(0)), on(w(T)), on(a(T)), T)[0];
    const quadratic = gapMeanRateDps(on(w(0)), on(a(0)), on(w(T)), null, T)[0];
    const ends = 0.5 * (w(0) + w(T));
    expect(Math.abs(hermite - truth)).toBeLessThan(0.2);
    expect(Math.abs(quadratic - truth)).toBeLessThan(0.2);
    expect(Math.abs(ends - truth)).toBeGreaterThan(10);
  });
});

import { describe, expect, it } from "vitest";
import { CubicFit } from "./cubic-fit.js";
import { LinearFit } from "./linear-fit.js";
import { minimumJerk } from "./testing/frame-generator.js";

/** A cubic over the span (x = 0..1 from start to end), degrees. */
const cubic = (x: number) => 2 - 5 * x + 9 * x * x - 4.5 * x * x * x;

describe("CubicFit", () => {
  it("recovers a cubic and a line exactly (1e-9), at 100 Hz over 3 s and over 10 minutes", () => {
    for (const [t0, spanS] of [[12.34, 3], [1000, 600]] as const) {
      const fit = new CubicFit();
      const line = new CubicFit();
      for (let k = 0; k <= spanS * 100; k++) {
        const t = t0 + k / 100;
        fit.add(t, cubic((t - t0) / spanS));
        line.add(t, 4 + 0.7 * (t - t0));
      }
      for (const u of [0, spanS / 3, spanS]) {
        expect(fit.valueAt(t0 + u)).toBeCloseTo(cubic(u / spanS), 9);
        expect(line.valueAt(t0 + u)).toBeCloseTo(4 + 0.7 * u, 9);
      }
      expect(fit.residualRms).toBeLessThan(1e-6);
    }
  });

  it("reads a minimum-jerk S-curve's change to within 5 % (a line's slope: 28 % too large), residual 0.007 of it", () => {
    const fit = new CubicFit();
    const line = new LinearFit();
    for (let k = 0; k <= 300; k++) {
      const s = k / 300;
      fit.add(s, 5 * minimumJerk(s));
      line.add(s, 5 * minimumJerk(s));
    }
    expect((fit.valueAt(1) - fit.valueAt(0)) / 5).toBeCloseTo(0.954, 2);
    expect(line.slope / 5).toBeCloseTo(1.283, 2);
    expect(fit.residualRms / 5).toBeCloseTo(0.0073, 3);
  });

  it("removing samples gives the fit of those left; too few samples for a cubic give a line or a constant", () => {
    const fit = new CubicFit();
    const ref = new CubicFit();
    for (let k = 0; k < 200; k++) {
      const t = k / 100;
      fit.add(t, Math.sin(3 * t));
      if (k < 150) ref.add(t, Math.sin(3 * t));
    }
    for (let k = 150; k < 200; k++) fit.remove(k / 100, Math.sin(3 * (k / 100)));
    expect(fit.count).toBe(150);
    for (const t of [0, 0.7, 1.49]) expect(fit.valueAt(t)).toBeCloseTo(ref.valueAt(t), 9);
    expect(fit.residualRms).toBeCloseTo(ref.residualRms, 9);
    expect(fit.mean).toBeCloseTo(ref.mean, 12);

    const one = new CubicFit();
    expect(one.valueAt(0)).toBeNaN();
    one.add(5, 2);
    expect(one.valueAt(9)).toBe(2);
    one.add(6, 3);
    expect(one.valueAt(8)).toBeCloseTo(5, 9); // the line through both
    expect(one.residualRms).toBeCloseTo(0, 9);
  });
});

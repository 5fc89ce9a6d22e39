import { describe, expect, it } from "vitest";
import { Biquad } from "./biquad.js";
import { gainDb } from "./testing/sine-response.js";

describe("Biquad (RBJ Audio EQ Cookbook)", () => {
  it("lowpass: DC gain 1 (within 1e-12), −3.01 dB at the cutoff (within 0.01 dB), ≤ −39.5 dB a decade above", () => {
    const f = Biquad.lowpass(5, 100);
    expect(Math.abs(f.dcGain - 1)).toBeLessThan(1e-12);
    f.reset(2);
    for (let i = 0; i < 100; i++) expect(Math.abs(f.next(2) - 2)).toBeLessThan(1e-12);
    f.reset();
    expect(Math.abs(gainDb((x) => f.next(x), 5, 100) + 3.0103)).toBeLessThan(0.01);
    // One decade above the cutoff a 2nd-order low-pass is down about 40 dB (bilinear: a little more).
    const g = Biquad.lowpass(5, 1000);
    expect(gainDb((x) => g.next(x), 50, 1000)).toBeLessThan(-39.5);
  });

  it("lowpass gain at the cutoff equals Q (within 0.01 dB) for Q = 2", () => {
    const f = Biquad.lowpass(10, 200, 2);
    expect(Math.abs(gainDb((x) => f.next(x), 10, 200) - 20 * Math.log10(2))).toBeLessThan(0.01);
  });

  it("highpass: DC gain 0 (within 1e-12), −3.01 dB at the cutoff (within 0.01 dB), ~1 at 20 × cutoff (within 0.1 dB)", () => {
    const f = Biquad.highpass(1, 100);
    expect(Math.abs(f.dcGain)).toBeLessThan(1e-12);
    f.reset(3);
    expect(Math.abs(f.next(3))).toBeLessThan(1e-12);
    f.reset();
    expect(Math.abs(gainDb((x) => f.next(x), 1, 100) + 3.0103)).toBeLessThan(0.01);
    expect(Math.abs(gainDb((x) => f.next(x), 20, 100))).toBeLessThan(0.1);
  });

  it("refuses bad parameters with the field named", () => {
    expect(() => Biquad.lowpass(0, 100)).toThrow(/cutoffHz/);
    expect(() => Biquad.highpass(5, 100, -1)).toThrow(/q must be/);
    expect(() => new Biquad({ b0: 1, b1: 0, b2: 0, a1: NaN, a2: 0 })).toThrow(/a1/);
  });
});

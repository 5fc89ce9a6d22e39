import { describe, expect, it } from "vitest";
import { OnePoleLowpass } from "./one-pole.js";
import { gainDb } from "./testing/sine-response.js";

describe("OnePoleLowpass", () => {
  it("DC gain 1 (within 1e-12) and no start-up transient", () => {
    const f = new OnePoleLowpass(2, 100);
    expect(f.next(5)).toBe(5);
    for (let i = 0; i < 1000; i++) expect(Math.abs(f.next(5) - 5)).toBeLessThan(1e-12);
  });

  it("converges to a step with the expected time constant (63.2 % after 1/(2π fc), within 1 %)", () => {
    const fs = 1000, fc = 1;
    const f = new OnePoleLowpass(fc, fs);
    f.reset(0);
    let y = 0;
    const n = Math.round(fs / (2 * Math.PI * fc));
    for (let i = 0; i < n; i++) y = f.next(1);
    expect(Math.abs(y - (1 - Math.exp(-1)))).toBeLessThan(0.01);
  });

  it("−3 dB at the cutoff (within 0.1 dB) for fc = 1 and 5 Hz at 100 Hz", () => {
    for (const fc of [1, 5]) {
      const f = new OnePoleLowpass(fc, 100);
      f.reset(0);
      expect(Math.abs(gainDb((x) => f.next(x), fc, 100) + 3.0103)).toBeLessThan(0.1);
    }
  });

  it("reset() forgets, or settles at a given value; bad parameters are refused", () => {
    const f = new OnePoleLowpass(1, 100);
    f.next(10);
    f.reset();
    expect(f.value).toBeNaN();
    expect(f.next(3)).toBe(3);
    f.reset(7);
    expect(f.value).toBe(7);
    expect(() => new OnePoleLowpass(60, 100)).toThrow(/cutoffHz/);
    expect(() => new OnePoleLowpass(1, 0)).toThrow(/sampleRateHz/);
  });
});

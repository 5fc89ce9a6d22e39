import { describe, expect, it } from "vitest";
import { DepartureFollower } from "./departure-follower.js";

const SETTINGS = { followMs: 500, departDeg: 0.35, maxDepartMs: 10_000, gapMs: 250 };

/** Runs `reading(tMs)` at 100 Hz from `fromMs` to `toMs` (the reading stands in for its low-pass too); the level at the end. */
function run(f: DepartureFollower, reading: (tMs: number) => number, fromMs: number, toMs: number, armed = true): number {
  for (let t = fromMs; t <= toMs; t += 10) f.next(t, reading(t), reading(t), armed);
  return f.valueDeg;
}

describe("DepartureFollower", () => {
  it("follows a slow drift a little behind (0.2 °/s: 0.1° behind, tolerance 0.01°)", () => {
    const f = new DepartureFollower(SETTINGS);
    const v = run(f, (t) => 0.2 * (t / 1000), 0, 3000);
    expect(f.departed).toBe(false);
    expect(0.6 - v).toBeCloseTo(0.1, 2);
  });

  it("stops where it was when a fast move left it, and follows again once the reading is back (tolerance 0.05°)", () => {
    const f = new DepartureFollower(SETTINGS);
    run(f, () => 0.3, 0, 1000);
    // A 2° move at 2 °/s, then held for 4 s: the level stays close to 0.3.
    const v = run(f, (t) => 0.3 + Math.min(2, 2 * ((t - 1000) / 1000)), 1010, 6000);
    expect(f.departed).toBe(true);
    expect(Math.abs(v - 0.3)).toBeLessThan(0.35);
    // Back to 0.4: within departDeg of where it stopped, so it follows again from there.
    run(f, () => 0.4, 6010, 7000);
    expect(f.departed).toBe(false);
    expect(f.valueDeg).toBeCloseTo(0.4, 1);
  });

  it("gives a departure up after maxDepartMs; unarmed it is the reading; across a gap it does not move (tolerance 1e-9)", () => {
    const f = new DepartureFollower(SETTINGS);
    run(f, () => 0, 0, 1000);
    run(f, () => 1.5, 1010, 11_000);
    expect(f.departed).toBe(true);
    run(f, () => 1.5, 11_010, 11_100);
    expect(f.departed).toBe(false);
    expect(f.valueDeg).toBeCloseTo(1.5, 9);
    f.next(11_110, 0.9, 1.2, false);
    expect(f.valueDeg).toBe(0.9);
    f.next(11_120, 0.9, 0.9, true);
    f.next(11_500, 1.1, 1.1, true); // 380 ms later: a gap
    expect(f.valueDeg).toBeCloseTo(0.9, 9);
    f.reset();
    expect(f.valueDeg).toBeNaN();
  });
});

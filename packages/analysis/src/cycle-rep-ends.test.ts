import { describe, expect, it } from "vitest";
import { CycleRepEnd, type CycleEnd } from "./cycle-rep-ends.js";

// The cat-camel settings: dip 5° (profiles.ts), enter 8°, rest band 1°, wait 2.5 s, settle 3 °/s.
const SETTINGS = { dipDeg: 5, enterDeg: 8, restBandDeg: 1, cycleWaitMs: 2500, settleSpeedDps: 3 };

/** Feeds (tMs, signal = flexion) pairs at 100 Hz with a given speed; returns the first end and its time. */
function run(c: CycleRepEnd, signal: (tMs: number) => number, speedDps: number, fromMs: number, toMs: number): { end: CycleEnd | null; tMs: number } {
  for (let t = fromMs; t <= toMs; t += 10) {
    const s = signal(t);
    const end = c.next(t, s, speedDps, s);
    if (end !== null) return { end, tMs: t };
  }
  return { end: null, tMs: Number.NaN };
}

describe("CycleRepEnd", () => {
  it("ends when back at the start level after the dip, keeping the dip's depth as peak extension", () => {
    const c = new CycleRepEnd(SETTINGS);
    c.startRep(0);
    c.begin(0, 0, 6);
    // From 6° down to a camel of -12° at 3 s, back to 0 at 5 s (linear legs).
    const signal = (t: number) => (t <= 3000 ? 6 - (18 * t) / 3000 : -12 + (12 * (t - 3000)) / 2000);
    const r = run(c, signal, 10, 0, 6000);
    expect(r.end).toBe("back");
    // Back within restBandDeg (1°) of the start level: -1° at 3000 + (11/12)·2000 ≈ 4833 ms,
    // so the first 10 ms frame at or after it.
    expect(r.tMs).toBe(4840);
    expect(c.peakExtensionDeg).toBeCloseTo(12, 6);
  });

  it("does not end at the start level before the dip (on the way down into the camel)", () => {
    const c = new CycleRepEnd(SETTINGS);
    c.begin(0, 0, 6);
    const r = run(c, (t) => 6 - (18 * t) / 3000, 10, 0, 3000);
    expect(r.end).toBeNull();
  });

  it("gives up without a dip only once the signal has settled after cycleWaitMs", () => {
    const c = new CycleRepEnd(SETTINGS);
    c.begin(0, 0, 3);
    // Settles at -2° (no camel): moving (10 °/s) it waits past 2.5 s...
    expect(run(c, () => -2, 10, 0, 4000).end).toBeNull();
    // ...and ends at the first settled frame.
    expect(run(c, () => -2, 1, 4010, 5000)).toEqual({ end: "no-dip", tMs: 4010 });
    expect(c.peakExtensionDeg).toBeCloseTo(2, 6);
  });

  it("ends when the signal rises into the next rep without coming back", () => {
    const c = new CycleRepEnd(SETTINGS);
    c.begin(0, 1, 6);
    expect(run(c, (t) => 6 + t / 100, 20, 0, 1000)).toEqual({ end: "next-rep", tMs: 310 });
    // No extension at all: 0, not a negative magnitude.
    expect(c.peakExtensionDeg).toBe(0);
  });

  it("keeps the last start level for camels whose rep a gap closed, until forgotten", () => {
    const c = new CycleRepEnd(SETTINGS);
    expect(c.inCamel(-20)).toBe(false); // no level yet
    c.startRep(0.5);
    expect(c.inCamel(-4)).toBe(false); // 4.5° below: within the dip
    expect(c.inCamel(-5)).toBe(true);
    expect(c.atLevel(-0.6)).toBe(false);
    expect(c.atLevel(-0.4)).toBe(true);
    c.forget();
    expect(c.inCamel(-20)).toBe(false);
  });
});

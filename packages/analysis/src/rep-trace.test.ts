import { describe, expect, it } from "vitest";
import { RepTrace } from "./rep-trace.js";

describe("RepTrace", () => {
  // A rep of 100 ms frames: rest 0°, up to 30° (held 300 ms), back down to 2°, rest at 2.5°.
  const signal = [0, 10, 20, 29.5, 30, 29.8, 20, 10, 4, 2, 2.5, 2.6];
  const trace = new RepTrace();
  signal.forEach((s, i) => trace.push(i * 100, s, -s / 10));

  it("ends where the signal entered the rest band of its minimum after the exit threshold", () => {
    // Exit threshold at 700 ms (10°); minimum after it 2°, band 1°: 4° is out, 2° (900 ms) in.
    const r = trace.timing(700, 0, 1, 0);
    expect(r.endMs).toBe(900);
    expect(r.endIndex).toBe(9);
    expect(trace.flexionDeg[r.endIndex]).toBeCloseTo(-0.2, 9);
    // Bottom band max(1°, 2% of 30°) = 1°: first and last frames ≥ 29°.
    expect(r.arrivalMs).toBe(300);
    expect(r.departureMs).toBe(500);
  });

  it("ends at endAtMs (the last frame) when given", () => {
    const r = trace.timing(700, 0, 1, 0, 1100);
    expect(r.endMs).toBe(1100);
    expect(r.endIndex).toBe(signal.length - 1);
  });

  it("clears", () => {
    const t = new RepTrace();
    t.push(0, 1, 2);
    t.clear();
    expect([t.tMs.length, t.signalDeg.length, t.flexionDeg.length]).toEqual([0, 0, 0]);
  });
});

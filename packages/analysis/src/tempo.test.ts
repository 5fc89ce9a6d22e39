import type { RepSummary } from "@spinewatch/protocol";
import { describe, expect, it } from "vitest";
import { summarizeTempo } from "./tempo.js";

const rep = (startMs: number, endMs: number): RepSummary => ({
  index: 0,
  startMs,
  endMs,
  downMs: 0,
  upMs: 0,
  peakPelvisTiltDeg: 0,
  peakFlexionDeg: 0,
  lockoutExtensionDeg: 0,
  peakLateralBendDeg: 0,
  lumbopelvicRatio: 0,
});

describe("summarizeTempo", () => {
  it("measures the cadence within sets, not across rests", () => {
    // Two sets of 1.5 s reps (40 per minute) with a 30 s rest between them.
    const reps: RepSummary[] = [];
    for (let i = 0; i < 10; i++) reps.push(rep(i * 1500, (i + 1) * 1500));
    for (let i = 0; i < 10; i++) reps.push(rep(45_000 + i * 1500, 45_000 + (i + 1) * 1500));
    const t = summarizeTempo(reps);
    expect(t.repsPerMin).toBeCloseTo(40, 9);
    expect(t.repDurationCv).toBeCloseTo(0, 9);
  });

  it("gives the coefficient of variation of rep durations", () => {
    // Durations 1000 and 2000 ms: mean 1500, population SD 500 -> CV 1/3.
    const t = summarizeTempo([rep(0, 1000), rep(1000, 3000)]);
    expect(t.repDurationCv).toBeCloseTo(1 / 3, 9);
    expect(t.repsPerMin).toBeCloseTo(40, 9);
  });

  it("is zero without reps", () => {
    expect(summarizeTempo([])).toEqual({ repsPerMin: 0, repDurationCv: 0 });
  });
});

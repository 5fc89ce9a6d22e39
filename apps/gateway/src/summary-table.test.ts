import { describe, expect, it } from "vitest";
import type { SessionSummary } from "@spinewatch/protocol";
import { formatSummaryTable } from "./summary-table.js";

function summary(quality: NonNullable<SessionSummary["calibration"]["quality"]>): SessionSummary {
  return {
    durationMs: 60_000,
    calibration: { source: "event", tMs: 4000, quality },
    reps: [],
    tempo: { repsPerMin: 0, repDurationCv: 0 } as SessionSummary["tempo"],
    holds: [],
    warnings: [],
    sensors: [],
    problems: [],
  };
}

describe("formatSummaryTable: the calibration line", () => {
  it("says why a sensor's gyro scale was not measured", () => {
    const t = formatSummaryTable(summary({ stillnessDps: 0.2, bendPlanarity: 0.99, gyroScale: { thoracic: 1.004 }, gyroScaleNotMeasured: { sacrum: "only 3 still samples" } } as never), "x.ndjson");
    expect(t).toMatch(/^calibration: from the event at 0:04\.0; stillness 0\.20 °\/s, bend planarity 0\.99; gyro scale thoracic \+0\.4 %; sacrum gyro scale not measured \(only 3 still samples\)$/m);
  });

  it("marks the scales as corrected when any was", () => {
    const t = formatSummaryTable(summary({ stillnessDps: 0.2, gyroScale: { sacrum: 0.985, thoracic: 1.004 }, gyroScaleCorrected: true } as never), "x.ndjson");
    expect(t).toMatch(/; gyro scale sacrum −1\.5 %, thoracic \+0\.4 % \(corrected\)$/m);
  });
});

describe("formatSummaryTable: reps", () => {
  it("marks a rep bridged across a sensor loss and says how long the frames were missing", () => {
    const rep = (index: number, bridgedGapMs?: number) => ({
      index,
      startMs: index * 5000,
      endMs: index * 5000 + 3500,
      downMs: 1500,
      upMs: 1500,
      peakPelvisTiltDeg: 65,
      peakFlexionDeg: 15,
      lockoutExtensionDeg: 0,
      peakLateralBendDeg: 0.5,
      lumbopelvicRatio: 0.23,
      ...(bridgedGapMs ? { bridgedGapMs } : {}),
    });
    const s = { ...summary({ stillnessDps: 0.2 } as never), reps: [rep(1), rep(2, 1010), rep(3)] };
    const t = formatSummaryTable(s, "x.ndjson");
    expect(t).toMatch(/^ {2}2\* +0:10\.0 /m);
    expect(t).toMatch(/^ {2}3 +0:15\.0 /m);
    expect(t).toContain("  * frames missing inside the rep (a sensor loss, bridged: 2: 1.01 s); its peaks are those of the frames seen");
  });
});

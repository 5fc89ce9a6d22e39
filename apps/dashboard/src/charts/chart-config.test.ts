import { describe, expect, it } from "vitest";
import type uPlot from "uplot";
import type { RangeLimits } from "@spinewatch/protocol";
import { CHART_SPECS, chartOptions, type ChartKind } from "./chart-config.js";

const LIMITS: RangeLimits = { flexionDeg: 25, extensionDeg: 10, lateralBendDeg: 10, axialRotationDeg: 5 };

/** The y range uPlot would get for data spanning [min, max]. */
function yRange(kind: ChartKind, min: number, max: number, limits: RangeLimits | null = LIMITS): [number, number] {
  const range = chartOptions(kind, 20, { width: 400, height: 200 }, () => limits).scales!.y!.range as (u: uPlot, min: number, max: number) => [number, number];
  return range({} as uPlot, min, max);
}

describe("chart-config", () => {
  it("draws the pelvis obliquity alone, without a limit band", () => {
    expect(CHART_SPECS.obliquity.channels.map((c) => c.channel)).toEqual(["pelvisObliquityDeg"]);
    expect(CHART_SPECS.obliquity.band).toBeUndefined();
  });

  it("scales the obliquity axis to a bird dog's 1-3° reach, in 1° steps (exact)", () => {
    expect(yRange("obliquity", -0.2, 0.4)).toEqual([-4, 4]); // at least ±3°, padded by 0.5°
    expect(yRange("obliquity", -2.9, 1.6)).toEqual([-4, 4]);
    expect(yRange("obliquity", -5.2, 1)).toEqual([-6, 4]);
  });

  it("keeps the lumbar charts' scale: the band padded by 5°, in 5° steps (exact)", () => {
    expect(yRange("flexion", -3, 12)).toEqual([-15, 30]);
    expect(yRange("hinge", 0, 85)).toEqual([-15, 90]);
    expect(yRange("hinge", 0, 2, null)).toEqual([-15, 15]);
  });
});

import { describe, expect, it } from "vitest";
import { movellaDotModule } from "../movella/module.js";
import { witMotionModule } from "../witmotion/module.js";
import { connectionIntervalUnitsFor, connectionPhaseStepMs, requestedConnectionIntervalMs, requestedConnectionIntervalUnits } from "./connection-interval.js";

describe("connection interval", () => {
  it("finds the step between the phases at which notifications meet connection events (tolerance 1e-9 ms)", () => {
    // WitMotion at 100 Hz: a 4-frame batch every 40 ms. 40/15 = 8/3: steps of 5 ms.
    expect(connectionPhaseStepMs(40, 15)).toBeCloseTo(5, 9);
    // 40/13.75 = 32/11: 1.25 ms.
    expect(connectionPhaseStepMs(40, 13.75)).toBeCloseTo(1.25, 9);
    // 40/10 = 4: every notification meets the events at the same phase.
    expect(connectionPhaseStepMs(40, 10)).toBeCloseTo(10, 9);
    // Movella DOT at 60 Hz: 16.67/15 = 10/9 → 1.67 ms; 16.67/13.75 = 40/33 → 0.42 ms.
    expect(connectionPhaseStepMs(1000 / 60, 15)).toBeCloseTo(15 / 9, 9);
    expect(connectionPhaseStepMs(1000 / 60, 13.75)).toBeCloseTo(13.75 / 33, 9);
    // Incommensurate beyond q = 100: as good as dense, reported as C/100.
    expect(connectionPhaseStepMs(Math.PI * 10, 15)).toBeCloseTo(0.15, 9);
  });

  it("picks the interval with the finest phase step in the range, the longest of equals", () => {
    // 40 ms: 15 → 5, 13.75 → 1.25, 12.5 → 2.5, 11.25 → 1.25, 10 → 10, 8.75 → 1.25, 7.5 → 2.5.
    expect(connectionIntervalUnitsFor(40, 6, 12)).toBe(11);
    expect(connectionIntervalUnitsFor(1000 / 60, 6, 12)).toBe(11);
    // Only 10 ms allowed: taken, though it meets a 40 ms period at one phase; with 10-15 ms, 13.75.
    expect(connectionIntervalUnitsFor(40, 8, 8)).toBe(8);
    expect(connectionIntervalUnitsFor(40, 8, 12)).toBe(11);
    expect(() => connectionIntervalUnitsFor(40, 4, 12)).toThrow(/6-3200/);
    expect(() => connectionIntervalUnitsFor(0, 6, 12)).toThrow(/period/);
  });

  it("asks for a fixed 13.75 ms for WitMotion at 100 Hz and DOT at 60 Hz; nothing fixed when the rate is unknown", () => {
    expect(witMotionModule.notificationPeriodMs!({ rateHz: 100 })).toBe(40);
    expect(requestedConnectionIntervalUnits(witMotionModule, { rateHz: 100 })).toBe(11);
    expect(requestedConnectionIntervalMs(witMotionModule, { rateHz: 100 })).toBe(13.75);
    expect(requestedConnectionIntervalMs(witMotionModule, { rateHz: 200 })).toBe(13.75);
    expect(requestedConnectionIntervalMs(witMotionModule, {})).toBeUndefined();
    expect(requestedConnectionIntervalMs(movellaDotModule, { rateHz: 60 })).toBe(13.75);
  });
});

import { describe, expect, it } from "vitest";
import type { SensorInfo } from "@spinewatch/protocol";
import { sensorTransportLatencyMs } from "./transport-latency.js";

const wit = (deviceOptions?: Record<string, unknown>): SensorInfo => ({
  id: "thoracic",
  role: "thoracolumbar",
  device: "witmotion-wt901ble",
  rateHz: 100,
  mount: { up: "+x", out: "+z" },
  ...(deviceOptions ? { deviceOptions } : {}),
});

describe("sensorTransportLatencyMs", () => {
  it("without a measured value: the device's lower bound (WitMotion at 100 Hz: a 4-frame, 80-byte notification, 4 PDUs x 0.708 ms)", () => {
    expect(sensorTransportLatencyMs(wit())).toBeCloseTo(4 * 0.708, 9);
    expect(sensorTransportLatencyMs({ ...wit(), device: "generic" })).toBe(0);
  });

  it("a measured deviceOptions.transportLatencyMs wins, 0 included", () => {
    expect(sensorTransportLatencyMs(wit({ transportLatencyMs: 11.5 }))).toBe(11.5);
    expect(sensorTransportLatencyMs(wit({ transportLatencyMs: 0 }))).toBe(0);
  });

  it("a bad value is a one-line error naming the sensor and the field", () => {
    for (const bad of ["8", -1, 1001, Number.NaN, null]) {
      expect(() => sensorTransportLatencyMs(wit({ transportLatencyMs: bad }))).toThrow(/^sensor thoracic: deviceOptions\.transportLatencyMs must be a number of ms in 0-1000, got /);
    }
  });
});

import { describe, expect, it } from "vitest";
import { movellaDotModule } from "../movella/module.js";
import { witMotionModule } from "../witmotion/module.js";
import { notificationAirTimeMs } from "./ble-air-time.js";

describe("notification air time (lower bound of a device's transport latency)", () => {
  it("counts 27-octet link-layer packets of value + 7 header octets, 0.708 ms each (tolerance 1e-9 ms)", () => {
    expect(notificationAirTimeMs(20)).toBeCloseTo(0.708, 9); // 27 octets: one packet
    expect(notificationAirTimeMs(21)).toBeCloseTo(1.416, 9); // 28 octets: two
    expect(notificationAirTimeMs(80)).toBeCloseTo(4 * 0.708, 9); // 87 octets: four
    expect(notificationAirTimeMs(0)).toBe(0);
  });

  it("WitMotion: the batch's notification (4 frames at 100 Hz, 2 at 50 Hz); DOT: the mode's characteristic", () => {
    expect(witMotionModule.minTransportLatencyMs?.({ rateHz: 100 })).toBeCloseTo(4 * 0.708, 9);
    expect(witMotionModule.minTransportLatencyMs?.({ rateHz: 50 })).toBeCloseTo(2 * 0.708, 9);
    expect(movellaDotModule.minTransportLatencyMs?.({ payloadMode: 21 })).toBeCloseTo(2 * 0.708, 9); // medium, 40 B
    expect(movellaDotModule.minTransportLatencyMs?.({ payloadMode: 26 })).toBeCloseTo(3 * 0.708, 9); // long, 63 B
  });
});

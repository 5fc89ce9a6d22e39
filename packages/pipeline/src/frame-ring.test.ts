import { describe, expect, it } from "vitest";
import { FrameRing } from "./frame-ring.js";
import type { OrientedSample, PairFrame } from "./types.js";

function sample(id: string, tMs: number): OrientedSample {
  return { sensorId: id, tMs, quatWxyz: [1, 0, 0, 0], accMps2: [0, tMs, 9.8], gyrDps: [tMs, 0, 0], fresh: tMs % 20 === 0 };
}
const frame = (tMs: number): PairFrame => ({ tMs, sacrum: sample("s", tMs), thoracic: sample("t", tMs) });

describe("FrameRing", () => {
  it("keeps the last `capacity` frames as copies, oldest first", () => {
    const ring = new FrameRing(5);
    const reused = frame(0);
    for (let t = 0; t <= 80; t += 10) {
      // The resampler reuses one frame object: the ring must copy, not keep it.
      Object.assign(reused, frame(t));
      ring.push(reused);
    }
    const kept = ring.since(-Infinity);
    expect(kept.map((f) => f.tMs)).toEqual([40, 50, 60, 70, 80]);
    expect(kept[0]).toEqual(frame(40));
    expect(ring.since(65).map((f) => f.tMs)).toEqual([70, 80]);
    kept[4].sacrum.gyrDps[0] = -1; // copies handed out: the ring is not changed through them
    expect(ring.since(80)[0].sacrum.gyrDps[0]).toBe(80);
    ring.clear();
    expect(ring.since(-Infinity)).toEqual([]);
  });

  it("refuses a capacity that is not a whole number above 0", () => {
    expect(() => new FrameRing(0)).toThrow(/capacity/);
    expect(() => new FrameRing(2.5)).toThrow(/capacity/);
  });
});

import { describe, expect, it } from "vitest";
import type { AngleFrame } from "@spinewatch/protocol";
import { makeAngleFrame } from "@spinewatch/protocol/testing";
import { FrameRing } from "./frame-ring.js";

const frame = (tMs: number): AngleFrame => makeAngleFrame({ tMs });

describe("FrameRing", () => {
  it("keeps the last window of sample time, oldest first", () => {
    const ring = new FrameRing(1000, 10_000);
    for (let t = 0; t <= 5000; t += 10) ring.push(frame(t));
    const kept = ring.toArray();
    expect(kept[0].tMs).toBe(4000);
    expect(kept.at(-1)!.tMs).toBe(5000);
    expect(kept.length).toBe(101);
  });

  it("never holds more than its capacity, whatever the rate", () => {
    const ring = new FrameRing(30_000, 50);
    for (let i = 0; i < 1000; i++) ring.push(frame(i * 0.1));
    expect(ring.size).toBe(50);
    const kept = ring.toArray();
    expect(kept[0].tMs).toBeCloseTo(95, 9);
    expect(kept.at(-1)!.tMs).toBeCloseTo(99.9, 9);
  });

  it("clears", () => {
    const ring = new FrameRing();
    ring.push(frame(1));
    ring.clear();
    expect(ring.toArray()).toEqual([]);
  });
});

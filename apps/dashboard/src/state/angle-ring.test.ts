import { describe, expect, it } from "vitest";
import type { AngleFrame } from "@spinewatch/protocol";
import { makeAngleFrame } from "@spinewatch/protocol/testing";
import { AngleRing } from "./angle-ring.js";

// Every channel a distinct multiple of flexion, so that a column mix-up shows.
const frame = (tMs: number, flexionDeg: number): AngleFrame =>
  makeAngleFrame({
    tMs,
    flexionDeg,
    lateralBendDeg: -flexionDeg,
    axialRotationDeg: 0.5 * flexionDeg,
    pelvisTiltDeg: 2 * flexionDeg,
    thoraxInclinationDeg: 3 * flexionDeg,
    pelvisObliquityDeg: -0.1 * flexionDeg,
  });

const cols = (n: number) => [0, 1, 2, 3].map(() => new Float64Array(n));

describe("AngleRing", () => {
  it("keeps the newest frames when it wraps, oldest first in a window copy", () => {
    const ring = new AngleRing(8);
    for (let i = 0; i < 20; i++) ring.push(frame(i * 10, i));
    expect(ring.size).toBe(8);
    expect(ring.lastTMs).toBe(190);
    expect(ring.last("pelvisTiltDeg")).toBe(38);
    const x = new Float64Array(8);
    const out = cols(8);
    const n = ring.copyWindow(150, x, out);
    expect(n).toBe(5); // 150, 160, ..., 190
    expect([...x.subarray(0, n)]).toEqual([-0.04, -0.03, -0.02, -0.01, 0].map((v) => expect.closeTo(v, 9)));
    expect([...out[0].subarray(0, n)]).toEqual([15, 16, 17, 18, 19]);
    expect([...out[1].subarray(0, n)]).toEqual([-15, -16, -17, -18, -19]);
    expect(ring.copyWindow(0, x, out)).toBe(8); // older frames are gone: 120..190
    expect(x[0]).toBeCloseTo(-0.07, 9);
  });

  it("keeps the pelvis obliquity, and copies only the columns asked for", () => {
    const ring = new AngleRing(8);
    for (let i = 0; i < 5; i++) ring.push(frame(i * 10, i));
    expect(ring.last("pelvisObliquityDeg")).toBeCloseTo(-0.4, 12);
    const obliquity = new Float64Array(8).fill(99);
    const flexion = new Float64Array(8).fill(99);
    const n = ring.copyWindow(20, new Float64Array(8), [flexion, null, null, null, obliquity]);
    expect(n).toBe(3);
    expect([...obliquity.subarray(0, n)]).toEqual([-0.2, -0.3, -0.4].map((v) => expect.closeTo(v, 12)));
    expect([...flexion.subarray(0, n)]).toEqual([2, 3, 4]);
    expect(flexion[n]).toBe(99); // nothing written past the window
  });

  it("keeps the angles from the rest the frame carries (the bird dog's all-fours posture offsets taken out)", () => {
    const ring = new AngleRing(4);
    const restNeutral = { flexionDeg: -0.9, lateralBendDeg: 0.6, axialRotationDeg: -0.5, pelvisObliquityDeg: 0.85, settled: true };
    ring.push({ ...frame(0, 0), flexionDeg: -0.9, lateralBendDeg: 0.6, axialRotationDeg: -0.5, pelvisObliquityDeg: 0.85, restNeutral });
    for (const c of ["flexionDeg", "lateralBendDeg", "axialRotationDeg", "pelvisObliquityDeg"] as const) expect(ring.last(c)).toBe(0);
    expect(ring.lastRest).toBe("settled");
    ring.push({ ...frame(10, 0), flexionDeg: 0.1, lateralBendDeg: 1.6, axialRotationDeg: -5.5, pelvisObliquityDeg: 2.85, restNeutral });
    expect(ring.last("flexionDeg")).toBeCloseTo(1, 12);
    expect(ring.last("lateralBendDeg")).toBeCloseTo(1, 12);
    expect(ring.last("axialRotationDeg")).toBeCloseTo(-5, 12);
    expect(ring.last("pelvisObliquityDeg")).toBeCloseTo(2, 12);
    expect(ring.last("pelvisTiltDeg")).toBe(frame(10, 0).pelvisTiltDeg); // not counted from the rest
    ring.push({ ...frame(20, 0), axialRotationDeg: -5.5, pelvisObliquityDeg: 2.85 }); // a frame without it: as it is
    expect(ring.last("axialRotationDeg")).toBe(-5.5);
    expect(ring.last("pelvisObliquityDeg")).toBe(2.85);
    expect(ring.lastRest).toBe("none");
    ring.push({ ...frame(30, 0), restNeutral: { ...restNeutral, settled: false } });
    expect(ring.lastRest).toBe("settling");
    ring.clear();
    expect(ring.lastRest).toBe("none");
  });

  it("counts revisions and clears", () => {
    const ring = new AngleRing(4);
    const r0 = ring.revision;
    ring.push(frame(0, 1));
    expect(ring.revision).toBe(r0 + 1);
    ring.clear();
    expect(ring.size).toBe(0);
    expect(Number.isNaN(ring.lastTMs)).toBe(true);
    expect(ring.copyWindow(0, new Float64Array(4), cols(4))).toBe(0);
  });

  it("finds where the newest stretch went beyond a level, interpolated (tolerance 1e-9 ms)", () => {
    const ring = new AngleRing(16);
    [0, 10, 22, 30, 26, 28, 32].forEach((v, i) => ring.push(frame(i * 10, v)));
    // Back from the newest (32 at 60 ms): 28, 26, 30 stay above 25; 22 at 20 ms is below, so the
    // stretch began between 20 ms (22°) and 30 ms (30°).
    expect(ring.exceedanceStartMs("flexionDeg", 1, 25)).toBeCloseTo(20 + (10 * (25 - 22)) / (30 - 22), 9);
    // Extension (sign -1) of these positive values: not beyond.
    expect(Number.isNaN(ring.exceedanceStartMs("flexionDeg", -1, 5))).toBe(true);
  });
});

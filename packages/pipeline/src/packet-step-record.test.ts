import { describe, expect, it } from "vitest";
import { quatAngleBetweenDeg, quatFromRotationVector, quatMultiply } from "@spinewatch/kinematics";
import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";
import { PacketStepRecord } from "./packet-step-record.js";

const RAD = Math.PI / 180;
const step = (rateDps: Vec3, dtS: number): QuatWxyz => quatFromRotationVector([rateDps[0] * dtS * RAD, rateDps[1] * dtS * RAD, rateDps[2] * dtS * RAD]);

/** Three packets of 4 steps each, rates turning about all three axes. */
function packets(): { rates: Vec3[][]; dtS: number } {
  const rates: Vec3[][] = [];
  for (let p = 0; p < 3; p++) rates.push([0, 1, 2, 3].map((j) => [100 + 30 * p - 10 * j, -50 + 20 * j, 40 * Math.sin(p + j)] as Vec3));
  return { rates, dtS: 0.01 };
}

describe("PacketStepRecord", () => {
  for (const [back, extraS] of [[1, 0.04], [2, 0.04], [3, 0.04], [1, -0.04]] as const) {
    it(`revises the first step of the packet ${back} back: q ⊗ correction equals integrating that step ${extraS * 1000} ms longer (tolerance 1e-9°)`, () => {
      const { rates } = packets();
      // Steps of 50 ms, so that a first step can also be 40 ms shorter.
      const dtS = 0.05;
      const rec = new PacketStepRecord();
      let q: QuatWxyz = [1, 0, 0, 0];
      for (const packet of rates) {
        packet.forEach((r, j) => {
          q = quatMultiply(q, step(r, dtS));
          if (j === 0) rec.begin(r, dtS);
          else rec.add(r, dtS);
        });
      }
      const revised = quatMultiply(q, rec.correction(extraS, back)!);
      // Direct: the same steps, that packet's first one extraS longer.
      const target = rates.length - back;
      let expected: QuatWxyz = [1, 0, 0, 0];
      rates.forEach((packet, p) => packet.forEach((r, j) => {
        expected = quatMultiply(expected, step(r, p === target && j === 0 ? dtS + extraS : dtS));
      }));
      expect(quatAngleBetweenDeg(revised, expected)).toBeLessThan(1e-9);
    });
  }

  it("cannot reach further back than it kept, nor across an invalidation", () => {
    const rec = new PacketStepRecord();
    const r: Vec3 = [10, 0, 0];
    for (let p = 0; p < 6; p++) for (let j = 0; j < 4; j++) (j === 0 ? rec.begin(r, 0.01) : rec.add(r, 0.01));
    expect(rec.correction(0.04, 4)).not.toBeNull();
    expect(rec.correction(0.04, 5)).toBeNull();
    rec.invalidate();
    expect(rec.correction(0.04, 1)).toBeNull();
    rec.begin(r, 0.01);
    expect(rec.correction(0.04, 1)).not.toBeNull();
    expect(rec.correction(0.04, 2)).toBeNull();
  });
});

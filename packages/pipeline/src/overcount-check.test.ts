import { describe, expect, it } from "vitest";
import { OvercountCheck } from "./overcount-check.js";

describe("OvercountCheck", () => {
  it("takes back whole packets when the next packet arrives below the line, at most what was counted", () => {
    const c = new OvercountCheck();
    c.counted(8);
    // 10 ms periods, 4-sample packets: 45 ms below the line is about one packet (40 ms).
    expect(c.check(-45, 10, 4)).toBe(4);
    c.counted(8);
    expect(c.check(-95, 10, 4)).toBe(8);
    c.counted(4);
    expect(c.check(-130, 10, 4)).toBe(4);
  });

  it("takes nothing back for a packet on or above the line, or less than half a packet below it, or without a count", () => {
    const c = new OvercountCheck();
    c.counted(8);
    expect(c.check(12, 10, 4)).toBe(0);
    c.counted(8);
    expect(c.check(-19, 10, 4)).toBe(0);
    expect(c.check(-80, 10, 4)).toBe(0); // nothing counted before this packet
  });

  it("looks at the very next packet only", () => {
    const c = new OvercountCheck();
    c.counted(4);
    expect(c.check(3, 10, 4)).toBe(0);
    expect(c.check(-60, 10, 4)).toBe(0);
    c.counted(4);
    c.reset();
    expect(c.check(-60, 10, 4)).toBe(0);
  });

  it("says which packet the take-back is for: the one counted, or the earlier one a loss was moved onto", () => {
    const c = new OvercountCheck();
    c.counted(4);
    expect(c.check(-30, 10, 4)).toBe(4);
    expect(c.packetsBack).toBe(1);
    c.counted(4, 2);
    expect(c.check(-30, 10, 4)).toBe(4);
    expect(c.packetsBack).toBe(2);
  });
});

import { describe, expect, it } from "vitest";
import type { RangeAxis } from "@spinewatch/protocol";
import { ENDED_WARNING_HOLD_MS, pickBannerRange, type EndedWarning } from "./banner-pick.js";
import type { ActiveRange } from "./session-state.js";

const range = (axis: RangeAxis, level: "caution" | "warning", valueDeg: number, limitDeg: number): ActiveRange => ({ kind: "range", tMs: 100, level, axis, valueDeg, limitDeg, rep: 1 });
const ended = (endedAtMs: number): EndedWarning => ({
  range: range("flexion", "warning", 28, 25),
  warning: { axis: "flexion", startMs: 40, endMs: 300, peakDeg: 28, limitDeg: 25, rep: 1 },
  endedAtMs,
});

describe("pickBannerRange", () => {
  it("shows an active warning before a caution, the larger excess first", () => {
    const active = new Map<RangeAxis, ActiveRange>([
      ["lateralBendLeft", range("lateralBendLeft", "caution", 14, 15)],
      ["flexion", range("flexion", "warning", 26, 25)],
      ["rotationRight", range("rotationRight", "warning", 12, 10)],
    ]);
    expect(pickBannerRange(active, null, 0)).toEqual({ range: active.get("rotationRight"), ended: false });
  });

  it("keeps an ended warning up for the hold, over a caution, then lets the caution show", () => {
    const caution = new Map<RangeAxis, ActiveRange>([["flexion", range("flexion", "caution", 21, 25)]]);
    const e = ended(1000);
    expect(pickBannerRange(caution, e, 1000 + ENDED_WARNING_HOLD_MS - 1)).toEqual({ range: e.range, ended: true });
    expect(pickBannerRange(caution, e, 1000 + ENDED_WARNING_HOLD_MS)).toEqual({ range: caution.get("flexion"), ended: false });
    expect(pickBannerRange(new Map(), e, 1000 + ENDED_WARNING_HOLD_MS)).toBeNull();
  });

  it("lets a new active warning replace an ended one at once", () => {
    const active = new Map<RangeAxis, ActiveRange>([["extension", range("extension", "warning", -11, 10)]]);
    expect(pickBannerRange(active, ended(1000), 1001)).toEqual({ range: active.get("extension"), ended: false });
  });
});

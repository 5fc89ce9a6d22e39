import type { AngleFrame, MovementEvent, RangeLimits } from "@spinewatch/protocol";
import { describe, expect, it } from "vitest";
import { RANGE_DEFAULTS, RangeMonitor } from "./range-monitor.js";
import { gaussian, makeAngleFrame, mulberry32 } from "@spinewatch/protocol/testing";
import { generateFrames, Motion } from "./testing/frame-generator.js";

const LIMITS: RangeLimits = { flexionDeg: 20, extensionDeg: 10, lateralBendDeg: 15, axialRotationDeg: 6 };
const FRAME_MS = 10;
const DWELL_MS = RANGE_DEFAULTS.dwellMs;

type RangeEvent = Extract<MovementEvent, { kind: "range" }>;
type ClearEvent = Extract<MovementEvent, { kind: "range-clear" }>;

function run(mon: RangeMonitor, frames: readonly AngleFrame[], rep: (t: number) => number | null = () => null) {
  const events: MovementEvent[] = [];
  for (const f of frames) events.push(...mon.next(f, rep(f.tMs)));
  return events;
}

const warningsOf = (events: MovementEvent[]) =>
  events.filter((e): e is RangeEvent => e.kind === "range" && e.level === "warning");
const clearsOf = (events: MovementEvent[]) =>
  events.filter((e): e is ClearEvent => e.kind === "range-clear" && e.warning !== undefined);

/** Linear ramps make the truth crossing times exact: flexion 10 -> 30 -> 10 at 20 °/s. */
function rampSession() {
  const m = new Motion({ flexionDeg: 10 }).hold(1000);
  m.move(1000, { flexionDeg: 30 }, "linear").move(1000, { flexionDeg: 10 }, "linear").hold(1000);
  // flexion = 20 at t = 1500 (up) and t = 2500 (down); peak 30 at 2000.
  return generateFrames(m, { endMs: m.tMs });
}

describe("RangeMonitor", () => {
  it("warns after the dwell with the true start, end, peak and rep", () => {
    const mon = new RangeMonitor(LIMITS);
    const events = run(mon, rampSession(), (t) => (t >= 1200 && t < 2800 ? 3 : null));
    const [w] = warningsOf(events);
    expect(warningsOf(events)).toHaveLength(1);
    // Latency from the truth exceedance (1500 ms) to the event: at most dwell + one frame.
    expect(w.tMs - 1500).toBeLessThanOrEqual(DWELL_MS + FRAME_MS);
    expect(w.tMs - 1500).toBeGreaterThanOrEqual(DWELL_MS);
    expect(w).toMatchObject({ axis: "flexion", limitDeg: 20, rep: 3 });
    const [c] = clearsOf(events);
    expect(c.warning!.startMs).toBeCloseTo(1500, 6); // interpolated crossing, exact on a ramp
    expect(c.warning!.endMs).toBeCloseTo(2500, 6);
    expect(c.warning!.peakDeg).toBeCloseTo(30, 6);
    expect(c.warning!.rep).toBe(3);
    // Cleared once 2° inside the limit (first frame below 18°: 2610) for 200 ms.
    expect(c.tMs).toBeCloseTo(2810, 6);
    expect(mon.warnings).toEqual([c.warning]);
    // A caution came first, at 80% of the limit (16° at t = 1300).
    const caution = events.find((e): e is RangeEvent => e.kind === "range" && e.level === "caution");
    expect(caution?.tMs).toBeCloseTo(1300, 6);
  });

  it("keeps the latency within dwell + one frame whatever the crossing phase", () => {
    // Crossings at every offset within a frame: ramps starting at t0 + k ms.
    for (let k = 0; k < 10; k++) {
      const m = new Motion({ flexionDeg: 0 }, 0).hold(500 + k).move(400, { flexionDeg: 40 }, "linear").hold(500);
      const truthMs = 500 + k + 200; // 20° reached halfway up the ramp
      const mon = new RangeMonitor(LIMITS);
      const [w] = warningsOf(run(mon, generateFrames(m, { endMs: m.tMs })));
      expect(w.tMs - truthMs).toBeLessThanOrEqual(DWELL_MS + FRAME_MS);
    }
  });

  it("ignores an exceedance shorter than the dwell", () => {
    const m = new Motion({ flexionDeg: 15 }).hold(500);
    m.move(40, { flexionDeg: 25 }, "linear").move(40, { flexionDeg: 15 }, "linear").hold(500);
    const events = run(new RangeMonitor(LIMITS), generateFrames(m, { endMs: m.tMs }));
    expect(warningsOf(events)).toHaveLength(0);
  });

  it("does not chatter when noise hovers around the limit", () => {
    // 4 s at 1° over the limit with 0.8° of noise (SD): the value dips under the limit on ~10%
    // of the frames but never stays 2° inside for 200 ms; then back to 10°: one warning, one
    // clear, one caution.
    const rand = mulberry32(3);
    const frames: AngleFrame[] = [];
    for (let t = 0; t <= 6000; t += FRAME_MS) {
      const base = t < 500 ? 10 : t < 4500 ? 21 : 10;
      frames.push(makeAngleFrame({ tMs: t, flexionDeg: base + 0.8 * gaussian(rand) }));
    }
    const mon = new RangeMonitor(LIMITS);
    const events = run(mon, frames);
    expect(warningsOf(events)).toHaveLength(1);
    expect(clearsOf(events)).toHaveLength(1);
    expect(events.filter((e) => e.kind === "range" && e.level === "caution")).toHaveLength(1);
    const w = mon.warnings[0];
    expect(w.endMs).toBeGreaterThan(4400);
    expect(w.endMs).toBeLessThanOrEqual(4510);
  });

  it("applies new limits at the next frame, both ways", () => {
    // Flexion steady at 18°: under 20, over 15.
    const m = new Motion({ flexionDeg: 18 }).hold(3000);
    const frames = generateFrames(m, { endMs: m.tMs });
    const mon = new RangeMonitor(LIMITS);
    const events: MovementEvent[] = [];
    for (const f of frames) {
      if (f.tMs === 1000) mon.setLimits({ ...LIMITS, flexionDeg: 15 });
      if (f.tMs === 2000) mon.setLimits({ ...LIMITS, flexionDeg: 25 });
      events.push(...mon.next(f));
    }
    const limitEvents = events.filter((e) => e.kind === "limits");
    expect(limitEvents.map((e) => e.tMs)).toEqual([1000, 2000]);
    const [w] = warningsOf(events);
    // The value "crossed" the new limit when it took effect.
    expect(w.tMs).toBe(1000 + DWELL_MS);
    const [c] = clearsOf(events);
    expect(c.tMs).toBe(2000); // raised past the value: over at once, no clear delay
    expect(c.warning).toMatchObject({ startMs: 1000, endMs: 2000, limitDeg: 15, peakDeg: 18 });
  });

  it("watches each direction against its own side's limit", () => {
    const limits: RangeLimits = { ...LIMITS, lateralBendLeftDeg: 10, rotationRightDeg: 4 };
    const m = new Motion().hold(500);
    m.move(500, { lateralBendDeg: -12 }).hold(500).move(500, { lateralBendDeg: 12 }).hold(500);
    m.move(500, { lateralBendDeg: 0, axialRotationDeg: 5 }).hold(500).move(500, { axialRotationDeg: -5 }).hold(500);
    m.move(500, { axialRotationDeg: 0, flexionDeg: -12 }).hold(500).move(500, { flexionDeg: 0 }).hold(500);
    const mon = new RangeMonitor(limits);
    run(mon, generateFrames(m, { endMs: m.tMs, noiseDeg: 0.1, seed: 2 }));
    // Left bend 12 > 10 warns, right bend 12 < 15 does not; rotation right 5 > 4 warns, left
    // 5 < 6 does not; extension 12 > 10 warns.
    expect(mon.warnings.map((w) => w.axis)).toEqual(["lateralBendLeft", "rotationRight", "extension"]);
    for (const w of mon.warnings) expect(w.peakDeg).toBeGreaterThan(w.limitDeg);
  });

  it("ends an open warning at the last frame before a gap", () => {
    const m = new Motion({ flexionDeg: 25 }).hold(2000);
    const frames = generateFrames(m, { endMs: m.tMs, gaps: [[1000, 1500]] });
    const mon = new RangeMonitor(LIMITS);
    const events = run(mon, frames);
    const clears = clearsOf(events);
    expect(clears[0].warning).toMatchObject({ startMs: 0, endMs: 990 });
    expect(clears[0].tMs).toBe(990);
    // After the gap: a new warning from the first frame, which the end of the stream closes.
    expect(warningsOf(events).map((e) => e.tMs)).toEqual([DWELL_MS, 1500 + DWELL_MS]);
    const end = mon.finish();
    expect(end).toHaveLength(1);
    expect(mon.warnings[1]).toMatchObject({ startMs: 1500, endMs: 2000 });
  });
});

import { describe, expect, it } from "vitest";
import type { AngleFrame, Snapshot } from "@spinewatch/protocol";
import { makeAngleFrame } from "@spinewatch/protocol/testing";
import { SessionState } from "./session-state.js";

const frame = (tMs: number, flexionDeg: number): AngleFrame => makeAngleFrame({ tMs, flexionDeg });

const snapshot = (frames: AngleFrame[]): Snapshot => ({
  type: "snapshot",
  version: 1,
  source: { kind: "replay", file: "x.ndjson", replay: { paused: false, rate: 2, positionMs: 1000, durationMs: 5000 } },
  sensors: [],
  calibration: { source: "event", tMs: 500 },
  exercise: "kettlebell-swing",
  limits: { flexionDeg: 25, extensionDeg: 10, lateralBendDeg: 15, axialRotationDeg: 10 },
  frames,
  reps: [],
  holds: [],
  warnings: [],
  activeWarnings: [],
  recording: { active: false },
  tokenRequired: false,
});

describe("SessionState", () => {
  it("takes frames into the ring without a change event, and other messages with one", () => {
    const s = new SessionState();
    let changes = 0;
    s.addEventListener("change", () => changes++);
    s.apply(snapshot([frame(0, 1), frame(10, 2)]));
    expect(changes).toBe(1);
    expect(s.ring.size).toBe(2);
    s.apply({ type: "frames", frames: [frame(20, 3)] });
    expect(changes).toBe(1);
    expect(s.ring.last("flexionDeg")).toBe(3);
    s.apply({ type: "events", events: [{ kind: "phase", tMs: 20, phase: "down", rep: 1 }] });
    expect(changes).toBe(2);
    expect(s.phase).toEqual({ phase: "down", rep: 1 });
  });

  it("tracks holds, range warnings with where they crossed, and their clearing", () => {
    const s = new SessionState();
    s.apply(snapshot([]));
    s.apply({ type: "frames", frames: [frame(0, 20), frame(10, 24), frame(20, 26), frame(30, 28)] });
    s.apply({ type: "events", events: [{ kind: "range", tMs: 120, level: "warning", axis: "flexion", valueDeg: 28, limitDeg: 25, rep: 3 }] });
    const w = s.active.get("flexion")!;
    expect(w.level).toBe("warning");
    expect(w.beyondSinceMs).toBeCloseTo(15, 9); // 24 -> 26 crosses 25 half-way between 10 and 20 ms
    s.apply({
      type: "events",
      events: [{ kind: "range-clear", tMs: 400, axis: "flexion", warning: { axis: "flexion", startMs: 15, endMs: 300, peakDeg: 28, limitDeg: 25, rep: 3 } }],
    });
    expect(s.active.size).toBe(0);
    expect(s.warnings).toHaveLength(1);
    // Kept for the banner with its peak and the live event's time (banner-pick.ts).
    expect(s.endedWarning?.range).toMatchObject({ level: "warning", axis: "flexion", tMs: 120, valueDeg: 28, beyondSinceMs: w.beyondSinceMs, rep: 3 });
    s.apply({ type: "events", events: [{ kind: "hold-start", tMs: 1000, targetMs: 2000, flexionDeg: 3 }] });
    s.apply({ type: "events", events: [{ kind: "hold-progress", tMs: 1500, elapsedMs: 500, targetMs: 2000, flexionDeg: 3, driftDeg: 0.4 }] });
    expect(s.hold).toMatchObject({ startMs: 1000, elapsedMs: 500, driftDeg: 0.4 });
    s.apply({
      type: "events",
      events: [{ kind: "hold-end", tMs: 3200, hold: { startMs: 1000, endMs: 3200, durationMs: 2200, meanFlexionDeg: 3, driftDeg: 0.5, swayDeg: 0.2 } }],
    });
    expect(s.hold).toBeNull();
    expect(s.holds).toHaveLength(1);
  });

  it("advances a replay position by wall time times the rate until frames flow (tolerance 1e-9 ms)", () => {
    const s = new SessionState();
    s.apply(snapshot([]));
    const at = s.replayAtMs;
    expect(s.replayPositionMs(at + 100)).toBeCloseTo(1000 + 100 * 2, 9);
    expect(s.replayPositionMs(at + 1e6)).toBe(5000); // capped at the duration
    s.apply({ type: "frames", frames: [frame(1234, 0)] });
    expect(s.replayPositionMs(at + 100)).toBe(1234);
  });
});

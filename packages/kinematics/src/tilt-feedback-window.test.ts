import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";
import { describe, expect, it } from "vitest";
import { OrientationFilter, SPINE_FILTER_SETTINGS } from "./orientation-filter.js";
import { rejectionThreshold } from "./orientation-filter-settings.js";
import { quatAngleBetweenDeg, quatFromAxisAngle, quatRotate } from "./quat.js";
import {
  FEEDBACK_NONE, FEEDBACK_NORMAL, FEEDBACK_RECOVERING, FEEDBACK_STILL,
  IO_DT, IO_HN2, IO_HX, IO_HY, IO_HZ, IO_RATE, TiltFeedbackWindow,
} from "./tilt-feedback-window.js";


const G_MPS2 = 9.80665;
const DT_S = 0.01;

/** A still sensor tilted by `tiltDeg` about x: what its accelerometer reads. */
function stillAcc(tiltDeg: number): Vec3 {
  const q = quatFromAxisAngle([1, 0, 0], (tiltDeg * Math.PI) / 180);
  return quatRotate([q[0], -q[1], -q[2], -q[3]] as QuatWxyz, [0, 0, G_MPS2]);
}

/** A window as the spine filter configures it: 50 ms, 1.5° threshold, rate term zero at 10 °/s. */
function spineWindow(): TiltFeedbackWindow {
  const w = new TiltFeedbackWindow();
  w.configure(0.05, rejectionThreshold(1.5), 1 / 10);
  return w;
}

/** One sample, its error `errDeg` about x (Fusion's half feedback: |h| = ½ sin θ). */
function step(w: TiltFeedbackWindow, o: { rateDps?: number; kind?: number; errDeg?: number }): boolean {
  const errDeg = o.errDeg ?? 1;
  const h = 0.5 * Math.sin((errDeg * Math.PI) / 180);
  const io = w.io;
  io[IO_HX] = h; io[IO_HY] = 0; io[IO_HZ] = 0; io[IO_HN2] = h * h;
  io[IO_RATE] = o.rateDps ?? 0; io[IO_DT] = DT_S;
  return w.step(o.kind ?? FEEDBACK_NORMAL);
}

/** The steps (indices) at which feedback was applied. */
const applied = (flags: boolean[]) => flags.map((f, i) => (f ? i : -1)).filter((i) => i >= 0);

describe("TiltFeedbackWindow (accelerometer feedback judged by the rates either side)", () => {
  it("applies a sample's feedback windowS after it, per second of the current step", () => {
    const w = spineWindow();
    const flags = [step(w, { errDeg: 1 })];
    for (let i = 0; i < 6; i++) flags.push(step(w, { kind: FEEDBACK_NONE, errDeg: 0 }));
    // Sample 0 is due 50 ms (5 steps) later: at step 5, and only then.
    expect(applied(flags)).toEqual([5]);
    // Written at step 6 (nothing due): zero.
    expect([...w.out]).toEqual([0, 0, 0]);
    const w2 = spineWindow();
    step(w2, { errDeg: 1 });
    for (let i = 0; i < 4; i++) step(w2, { kind: FEEDBACK_NONE });
    // Due at a step of 20 ms: its 10 ms of feedback spread over 20 ms, i.e. half per second.
    const io = w2.io;
    io[IO_HX] = io[IO_HY] = io[IO_HZ] = io[IO_HN2] = io[IO_RATE] = 0;
    io[IO_DT] = 0.02;
    expect(w2.step(FEEDBACK_NONE)).toBe(true);
    const h = 0.5 * Math.sin(Math.PI / 180);
    // Tolerance 1e-15: rounding.
    expect(w2.out[0]).toBeCloseTo(h / 2, 15);
    expect(w2.out[1]).toBe(0);
    expect(w2.out[2]).toBe(0);
  });

  it("drops a sample after which the sensor starts turning at the rate term's zero within windowS (the start of a movement)", () => {
    const w = spineWindow();
    const flags: boolean[] = [];
    flags.push(step(w, { rateDps: 0.5, errDeg: 1 })); // 0: accepted as it came, 1° at 0.5 °/s
    flags.push(step(w, { rateDps: 1, errDeg: 1 })); //   1
    for (let i = 0; i < 3; i++) flags.push(step(w, { rateDps: 0, kind: FEEDBACK_NONE })); // 2-4
    flags.push(step(w, { rateDps: 12, kind: FEEDBACK_NONE })); // 5: 12 °/s, 50 ms after sample 0
    for (let i = 0; i < 4; i++) flags.push(step(w, { rateDps: 12, kind: FEEDBACK_NONE }));
    expect(applied(flags)).toEqual([]);
    // The same without the turn: both applied.
    const v = spineWindow();
    const flags2 = [step(v, { rateDps: 0.5 }), step(v, { rateDps: 1 })];
    for (let i = 0; i < 8; i++) flags2.push(step(v, { rateDps: 1, kind: FEEDBACK_NONE }));
    expect(applied(flags2)).toEqual([5, 6]);
  });

  it("drops a sample within windowS after a turn at the rate term's zero (the end of a movement), keeps the later ones", () => {
    const w = spineWindow();
    const flags: boolean[] = [];
    for (let i = 0; i < 5; i++) flags.push(step(w, { rateDps: 15, kind: FEEDBACK_NONE })); // 0-4, last at t = 50 ms
    for (let i = 0; i < 15; i++) flags.push(step(w, { rateDps: 0.5, errDeg: 1 })); // 5-19 at t = 60-200 ms
    // Samples 5-8 (10-40 ms after the turn's last sample) see 15 °/s within 50 ms before them;
    // 10 onward do not. Each is applied 5 steps later. (Sample 9, exactly 50 ms after, is on the
    // window's edge, where the sums of the time steps decide: left out.)
    expect(applied(flags).filter((i) => i !== 14)).toEqual([15, 16, 17, 18, 19]);
  });

  it("the rate term scales what passes: 1° passes at 3 °/s around it, not at 4 °/s", () => {
    for (const [rateDps, passes] of [[3, true], [4, false]] as const) {
      const w = spineWindow();
      const flags = [step(w, { rateDps: 0, errDeg: 1 })];
      for (let i = 0; i < 5; i++) flags.push(step(w, { rateDps, kind: FEEDBACK_NONE }));
      expect(applied(flags)).toEqual(passes ? [5] : []);
    }
  });

  it("a sample the caller called still passes beyond the threshold only if the sensor is still when it is due", () => {
    const still = spineWindow();
    const a = [step(still, { kind: FEEDBACK_STILL, errDeg: 5 })];
    for (let i = 0; i < 5; i++) a.push(step(still, { kind: FEEDBACK_STILL, errDeg: 0 }));
    expect(applied(a)).toEqual([5]);
    const moved = spineWindow();
    const b = [step(moved, { kind: FEEDBACK_STILL, errDeg: 5 })];
    b.push(step(moved, { kind: FEEDBACK_NONE })); // stillness ended 10 ms later
    for (let i = 0; i < 4; i++) b.push(step(moved, { kind: FEEDBACK_STILL, errDeg: 0 }));
    // Then judged like any sample: 5° is beyond the 1.5° threshold.
    expect(applied(b)).toEqual([]);
  });

  it("recovering samples pass whatever the rate; rejected ones never do; clear() drops what is pending", () => {
    const w = spineWindow();
    const flags = [step(w, { kind: FEEDBACK_RECOVERING, errDeg: 20, rateDps: 100 }), step(w, { kind: FEEDBACK_NONE, rateDps: 0 })];
    for (let i = 0; i < 4; i++) flags.push(step(w, { kind: FEEDBACK_NONE, rateDps: 100 }));
    expect(applied(flags)).toEqual([5]);
    const c = spineWindow();
    const cf = [step(c, { errDeg: 1 }), step(c, { errDeg: 1 })];
    c.clear();
    for (let i = 0; i < 8; i++) cf.push(step(c, { kind: FEEDBACK_NONE }));
    expect(applied(cf)).toEqual([]);
  });
});

describe("OrientationFilter with the feedback window (SPINE_FILTER_SETTINGS.accelerationWindowS)", () => {
  it("samples in agreement just before a turn at 12 °/s about vertical leave the tilt alone; judged one by one they tilt it", () => {
    const tiltAfter = (windowS: number): number => {
      const f = new OrientationFilter({ ...SPINE_FILTER_SETTINGS, accelerationWindowS: windowS });
      for (let i = 0; i < 400; i++) f.updateImu([0, 0, 0], stillAcc(0), DT_S); // level, past start-up
      for (let i = 0; i < 3; i++) f.updateImu([0, 0, 0], stillAcc(1), DT_S); // 1° off, not turning yet
      for (let i = 0; i < 20; i++) f.updateImu([0, 0, 12], stillAcc(0), DT_S); // then turning
      const up = quatRotate(f.quatWxyz, [0, 0, 1]);
      return (Math.acos(Math.min(1, up[2])) * 180) / Math.PI;
    };
    // Per sample: 3 × gain 0.5/s × 10 ms × 1° ≈ 0.015°. Windowed: nothing (tolerance 1e-6°).
    expect(tiltAfter(0)).toBeGreaterThan(0.012);
    expect(tiltAfter(0.05)).toBeLessThan(1e-6);
  });

  it("a still sensor 1° off converges as without the window (within 0.01° after 10 s), the delay costing no stability", () => {
    for (const windowS of [0, 0.05]) {
      const f = new OrientationFilter({ ...SPINE_FILTER_SETTINGS, accelerationWindowS: windowS });
      for (let i = 0; i < 400; i++) f.updateImu([0, 0, 0], stillAcc(0), DT_S);
      f.setStill(true);
      const target = quatFromAxisAngle([1, 0, 0], Math.PI / 180);
      for (let i = 0; i < 1000; i++) f.updateImu([0, 0, 0], stillAcc(1), DT_S);
      expect(quatAngleBetweenDeg(f.quatWxyz, target)).toBeLessThan(0.01);
    }
  });

  it("setQuat drops the feedback still pending (it was measured against the old orientation)", () => {
    const f = new OrientationFilter(SPINE_FILTER_SETTINGS);
    for (let i = 0; i < 400; i++) f.updateImu([0, 0, 0], stillAcc(0), DT_S);
    for (let i = 0; i < 4; i++) f.updateImu([0, 0, 0], stillAcc(1), DT_S); // pending, none due yet
    const q: QuatWxyz = [...f.quatWxyz] as QuatWxyz;
    f.setQuat(q);
    for (let i = 0; i < 4; i++) f.updateImu([0, 0, 0], stillAcc(0), DT_S); // level again: no feedback
    expect(quatAngleBetweenDeg(f.quatWxyz, q)).toBeLessThan(1e-9);
  });
});

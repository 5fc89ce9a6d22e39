import { describe, expect, it } from "vitest";
import { quatAngleBetweenDeg, quatFromAxisAngle, quatMultiply, quatRotateInverse } from "@spinewatch/kinematics";
import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";
import { OrientationStage } from "./orientation-stage.js";
import type { TimedSample } from "./sensor-clock.js";
import type { OrientedSample } from "./types.js";
import { pivotSwingAt, tiltErrorDeg } from "./testing/pivot-swing.js";

/** The swing at `swingS` into its motion, stamped `tMs` on the stage's timeline. */
function swingSample(tMs: number, swingS: number): { sample: TimedSample; truth: QuatWxyz } {
  const s = pivotSwingAt(swingS);
  return { sample: { sensorId: "x", hostTimeMs: tMs, tMs, indexInPacket: 0, countInPacket: 1, accMps2: s.accMps2, gyrDps: s.gyrDps }, truth: s.quatWxyz };
}

const G = 9.80665;
const RAD = Math.PI / 180;

function still(tMs: number, q: QuatWxyz): TimedSample {
  // A still sensor measures the gravity reaction (world +z) in its own axes.
  const acc = quatRotateInverse(q, [0, 0, G]) as Vec3;
  return { sensorId: "x", hostTimeMs: tMs, tMs, indexInPacket: 0, countInPacket: 1, accMps2: acc, gyrDps: [0, 0, 0] };
}

describe("OrientationStage", () => {
  it("applyGyroScale: the rate about the axis is divided by the measured scale, corrections compose, reset clears them", () => {
    const stage = new OrientationStage("x", { rateHz: 100 });
    const level: QuatWxyz = [1, 0, 0, 0];
    let t = 0;
    for (let i = 0; i < 100; i++, t += 10) stage.next(still(t, level)); // bias learned: 0
    const turning = (): OrientedSample => stage.next({ ...still((t += 10), level), gyrDps: [10, 20, 0] })!;
    const close = (o: OrientedSample, v: Vec3) => v.forEach((x, i) => expect(o.gyrDps[i]).toBeCloseTo(x, 9));
    close(turning(), [10, 20, 0]);
    stage.applyGyroScale([0, 2, 0], 1.02); // any length of axis
    close(turning(), [10, 20 / 1.02, 0]);
    stage.applyGyroScale([0, -1, 0], 0.98); // measured on the corrected rate: composes
    close(turning(), [10, 20 / 1.02 / 0.98, 0]);
    stage.reset();
    close(turning(), [10, 20, 0]);
  });

  it("turnHeading turns our filter about world vertical (tilt kept, tolerance 1e-6); a device's quaternion is not touched", () => {
    const stage = new OrientationStage("x", { rateHz: 100 });
    const q = quatFromAxisAngle([0, 1, 0], 20 * RAD);
    let t = 0;
    for (let i = 0; i < 300; i++, t += 10) stage.next(still(t, q));
    const before = stage.next(still((t += 10), q))!.quatWxyz;
    stage.turnHeading(30 * RAD);
    const after = stage.next(still((t += 10), q))!.quatWxyz;
    // after ≈ q_z(30°) ⊗ before: the same "up" in sensor axes, 30° about world z.
    const upB = quatRotateInverse(before, [0, 0, 1]), upA = quatRotateInverse(after, [0, 0, 1]);
    for (let k = 0; k < 3; k++) expect(upA[k]).toBeCloseTo(upB[k], 6);
    const turned = quatMultiply(quatFromAxisAngle([0, 0, 1], 30 * RAD), before);
    expect(Math.abs(turned[0] * after[0] + turned[1] * after[1] + turned[2] * after[2] + turned[3] * after[3])).toBeCloseTo(1, 6);
    const device = new OrientationStage("d", { rateHz: 60 });
    const dq = quatFromAxisAngle([1, 0, 0], 10 * RAD);
    device.next({ sensorId: "d", hostTimeMs: 0, tMs: 0, indexInPacket: 0, countInPacket: 1, quatWxyz: dq });
    device.turnHeading(30 * RAD);
    expect(device.next({ sensorId: "d", hostTimeMs: 17, tMs: 17, indexInPacket: 0, countInPacket: 1, quatWxyz: dq })!.quatWxyz).toEqual(dq);
  });

  it("passes a device quaternion through and derives acc from it when absent", () => {
    const stage = new OrientationStage("x", { rateHz: 60 });
    const q = quatFromAxisAngle([1, 0, 0], 30 * RAD);
    const o = stage.next({ sensorId: "x", hostTimeMs: 0, tMs: 0, indexInPacket: 0, countInPacket: 1, quatWxyz: q })!;
    expect(o.quatWxyz).toEqual(q);
    expect(o.fresh).toBe(true);
    const expected = quatRotateInverse(q, [0, 0, G]);
    for (let i = 0; i < 3; i++) expect(o.accMps2[i]).toBeCloseTo(expected[i], 9);
  });

  it("runs the filter on acc + gyro and converges to the tilt (tolerance 0.5°)", () => {
    const stage = new OrientationStage("x", { rateHz: 100 });
    const q = quatFromAxisAngle([0, 1, 0], 20 * RAD);
    let o: OrientedSample | null = null;
    for (let i = 0; i < 500; i++) o = stage.next(still(i * 10, q));
    // Compare tilt only (a 6-axis filter's heading is arbitrary): angle between "up" vectors.
    const up = quatRotateInverse(o!.quatWxyz, [0, 0, 1]);
    const upTrue = quatRotateInverse(q, [0, 0, 1]);
    const angle = Math.acos(Math.min(1, up[0] * upTrue[0] + up[1] * upTrue[1] + up[2] * upTrue[2])) / RAD;
    expect(angle).toBeLessThan(0.5);
    expect(o!.fresh).toBe(true);
  });

  it("a continuous swing (no still moment) for 60 s: the tilt stays within 0.5° (the accelerometer's rate term)", () => {
    // The pivot swing never stops: at its ends the rate is low but the tangential acceleration
    // largest. Measured: worst tilt error per 5 s 0.30-0.44° with the rate term; 0.51-0.68° and
    // growing when every sample within 1.5° was fed back; 1.14° when held-back samples counted
    // towards recovery, which then trusted every sample.
    const stage = new OrientationStage("x", { rateHz: 100 });
    let worst = 0;
    for (let k = 0; k < 6000; k++) {
      const { sample, truth } = swingSample(k * 10, k / 100);
      const o = stage.next(sample);
      if (o !== null && k >= 500) worst = Math.max(worst, tiltErrorDeg(o.quatWxyz, truth));
    }
    expect(worst).toBeLessThan(0.5);
  });

  it("re-seeds tilt after a long gap, keeps the heading, and is stale until re-converged", () => {
    const stage = new OrientationStage("x", { rateHz: 100, reseedGapMs: 500, reconvergeMs: 300 });
    const q1 = quatFromAxisAngle([0, 1, 0], 10 * RAD);
    let o: OrientedSample | null = null;
    for (let i = 0; i < 400; i++) o = stage.next(still(i * 10, q1));
    const before = o!.quatWxyz;
    // 2 s away; it comes back tilted by another 25° about its own x axis.
    const q2 = quatMultiply(q1, quatFromAxisAngle([1, 0, 0], 25 * RAD));
    const back = 4000 + 2000;
    o = stage.next(still(back, q2));
    expect(o!.fresh).toBe(false);
    expect(stage.counters.reseeds).toBe(1);
    // The re-seeded orientation is the old one turned by the tilt change only (tolerance 1°).
    expect(Math.abs(quatAngleBetweenDeg(before, o!.quatWxyz) - 25)).toBeLessThan(1);
    for (let i = 1; i <= 29; i++) o = stage.next(still(back + i * 10, q2));
    expect(o!.fresh).toBe(false);
    o = stage.next(still(back + 300, q2));
    expect(o!.fresh).toBe(true);
  });

  it("counts samples it cannot orient (Euler only)", () => {
    const stage = new OrientationStage("x", { rateHz: 100 });
    expect(stage.next({ sensorId: "x", hostTimeMs: 0, tMs: 0, indexInPacket: 0, countInPacket: 1, eulerDeg: [1, 2, 3] })).toBeNull();
    expect(stage.counters.noOrientation).toBe(1);
  });

  // Issue 4: a sensor back mid-swing. The swing (testing/pivot-swing.ts) is never still for the
  // 100 ms a quasi-static fix needs, and its accelerometer is off gravity by up to ~20°: the old
  // one-sample re-seed went fresh after the 900 ms wait with that error (simulator: 52°).
  it("a sensor back mid-swing resumes within 1 s with its tilt within 1.5° of the truth in every fresh sample", () => {
    for (const phaseS of [0.2, 0.375, 0.55, 0.9, 1.2]) {
      const stage = new OrientationStage("x", { rateHz: 100 });
      for (let t = 0; t < 4000; t += 10) stage.next(still(t, pivotSwingAt(0).quatWxyz));
      // 3 s lost, back at 7 s into the swing's phase `phaseS`.
      const backMs = 7000;
      let firstFreshMs = Number.NaN, worstDeg = 0;
      for (let t = backMs; t < backMs + 3000; t += 10) {
        const { sample, truth } = swingSample(t, phaseS + (t - backMs) / 1000);
        const o = stage.next(sample)!;
        if (!o.fresh) continue;
        if (Number.isNaN(firstFreshMs)) firstFreshMs = t;
        worstDeg = Math.max(worstDeg, tiltErrorDeg(o.quatWxyz, truth));
      }
      expect(stage.counters.reseeds).toBe(1);
      expect(firstFreshMs - backMs).toBeLessThan(1000);
      expect(worstDeg).toBeLessThan(1.5);
      expect(stage.lastRecovery?.by).toBe("pivot");
    }
  });

  it("after the pivot fit confirmed a re-seed, a brief stop reading 1° off (leftover deceleration) is not taken as the error a blind gap leaves", () => {
    const stage = new OrientationStage("x", { rateHz: 100 });
    for (let t = 0; t < 4000; t += 10) stage.next(still(t, pivotSwingAt(0).quatWxyz));
    let truth: QuatWxyz = pivotSwingAt(0).quatWxyz;
    for (let t = 7000; t < 9000; t += 10) {
      const s = swingSample(t, 0.375 + (t - 7000) / 1000);
      stage.next(s.sample);
      truth = s.truth;
    }
    expect(stage.lastRecovery?.by).toBe("pivot");
    const fixesBefore = stage.counters.staticFixes;
    // 150 ms stopped where the swing was, the accelerometer 1° off gravity about the swing's
    // axis (with the filter's own 0.3° there, 1.3° of disagreement): above the 1° a first stop
    // after a blind gap corrects, below the filter's 1.5° that a first stop after a fit corrects
    // (orientation-stage.ts AFTER_PIVOT_FIX_MIN_CORRECTION_DEG; 1.3° off read 1.6° and is).
    const off = quatMultiply(truth, quatFromAxisAngle([0, 1, 0], 1.0 * RAD));
    let last: OrientedSample | null = null;
    for (let t = 9000; t < 9150; t += 10) last = stage.next(still(t, off));
    expect(stage.counters.staticFixes).toBe(fixesBefore);
    // Tolerance 1.5°, the fresh-sample bound of the test above: the stop moved nothing.
    expect(tiltErrorDeg(last!.quatWxyz, truth)).toBeLessThan(1.5);
  });

  it("does not trust 300 ms of swing integrated blind, and stays fresh across a 100 ms gap", () => {
    const stage = new OrientationStage("x", { rateHz: 100 });
    let last: OrientedSample | null = null;
    const run = (from: number, to: number) => {
      for (let t = from; t < to; t += 10) {
        const { sample, truth } = swingSample(t, t / 1000);
        last = stage.next(sample);
        if (last!.fresh) expect(tiltErrorDeg(last!.quatWxyz, truth)).toBeLessThan(4); // the filter alone in a never-still swing reaches 3.0°: tolerance 4°
      }
    };
    // A swing from a calibrated stance: still first, then swinging (the stage tracks it by gyro).
    for (let t = 0; t < 2000; t += 10) stage.next(still(t - 2000, pivotSwingAt(0).quatWxyz));
    run(0, 3000);
    run(3100, 5000); // 100 ms lost: bridged and trusted
    expect(stage.counters.bridgedGaps).toBe(0);
    run(5300, 5310); // 300 ms lost mid-swing: bridged, not trusted until confirmed
    expect(last!.fresh).toBe(false);
    expect(stage.counters.bridgedGaps).toBe(1);
    run(5310, 8000);
    expect(last!.fresh).toBe(true);
  });

  it("a bridged gap slow at both ends (a pause) waits for a still moment's first check only (100 ms), not fixWaitMs (900 ms)", () => {
    const freshAfter = (slowBridgeDps: number) => {
      const stage = new OrientationStage("x", { rateHz: 100, slowBridgeDps });
      const q = pivotSwingAt(0.3).quatWxyz; // tilted, still
      for (let t = 0; t < 3000; t += 10) stage.next(still(t, q));
      // 300 ms lost while still; the first fresh sample after it:
      for (let t = 3300; t < 5000; t += 10) {
        const out = stage.next(still(t, q))!;
        if (out.fresh) return { lateMs: t - 3300, stage };
      }
      return { lateMs: Infinity, stage };
    };
    const slow = freshAfter(10);
    expect(slow.lateMs).toBe(100); // the static check's 100 ms of stillness
    expect(slow.stage.counters).toMatchObject({ bridgedGaps: 1, slowBridges: 1 });
    expect(slow.stage.lastRecovery).toMatchObject({ gap: "bridged", by: "static" });
    // (Still, the check confirms as soon with the rule off.) A slow turn (5 °/s about the sensor's z) through the gap and after it: never still, so
    // only the wait ends it, 100 ms when slow at both ends, else fixWaitMs.
    const turning = (slowBridgeDps: number) => {
      const stage = new OrientationStage("x", { rateHz: 100, slowBridgeDps });
      const sample = (t: number): TimedSample => ({ ...still(t, [1, 0, 0, 0]), gyrDps: [0, 0, 5] });
      for (let t = 0; t < 3000; t += 10) stage.next(sample(t));
      for (let t = 3300; t < 5000; t += 10) if (stage.next(sample(t))!.fresh) return t - 3300;
      return Infinity;
    };
    expect(turning(10)).toBe(100);
    expect(turning(0)).toBe(900);
    expect(turning(4)).toBe(900); // 5 °/s is not slower than 4
  });

  it("after a bridged gap, a pivot fit that disagrees with the bridge by over 3° is refused; the next still moment decides (tolerance 0.5°)", () => {
    const stage = new OrientationStage("x", { rateHz: 100 });
    for (let t = 0; t < 2000; t += 10) stage.next(still(t - 2000, pivotSwingAt(0).quatWxyz));
    for (let t = 0; t < 3000; t += 10) stage.next(swingSample(t, t / 1000).sample);
    // 200 ms lost on the stage's clock while the swing went on for 300 ms: the bridge is ~20°
    // off (the motion it integrates is not the one that happened); the pivot fit on the samples
    // after it is right, and disagrees.
    let last: OrientedSample | null = null;
    for (let t = 3200; t < 4000; t += 10) last = stage.next(swingSample(t, (t + 100) / 1000).sample);
    expect(stage.counters.bridgedGaps).toBe(1);
    expect(stage.counters.pivotDisagreements).toBe(1);
    expect(stage.counters.pivotFixes).toBe(0);
    expect(last!.fresh).toBe(false);
    // At rest at the top of the swing (pitch 0): confirmed there, the error corrected.
    const top = pivotSwingAt(0).quatWxyz;
    for (let t = 4000; t < 4300; t += 10) last = stage.next(still(t, top));
    expect(stage.lastRecovery?.by).toBe("static");
    expect(last!.fresh).toBe(true);
    expect(tiltErrorDeg(last!.quatWxyz, top)).toBeLessThan(0.5);
  });

  it("a stop that begins just before the wait ends is checked at once: no fresh sample carries the bridge's error (tolerance 1.5°)", () => {
    // As above, but the swing goes on until 20 ms before the 900 ms wait after the bridged gap
    // ends (3200 + 900 ms). Before the early check the sensor went fresh at the deadline with the
    // bridge's error until the stop had lasted 100 ms (simulator, kettlebell swing, WitMotion
    // seed 1 at 22.35 s: 80 ms of flexion 7.4° off).
    const stage = new OrientationStage("x", { rateHz: 100 });
    for (let t = 0; t < 2000; t += 10) stage.next(still(t - 2000, pivotSwingAt(0).quatWxyz));
    for (let t = 0; t < 3000; t += 10) stage.next(swingSample(t, t / 1000).sample);
    for (let t = 3200; t < 4080; t += 10) expect(stage.next(swingSample(t, (t + 100) / 1000).sample)!.fresh).toBe(false);
    expect(stage.counters.pivotFixes).toBe(0);
    const top = pivotSwingAt(0).quatWxyz;
    let firstFreshMs = Number.NaN, worstDeg = 0;
    for (let t = 4080; t < 4400; t += 10) {
      const o = stage.next(still(t, top))!;
      if (!o.fresh) continue;
      if (Number.isNaN(firstFreshMs)) firstFreshMs = t;
      worstDeg = Math.max(worstDeg, tiltErrorDeg(o.quatWxyz, top));
    }
    expect(firstFreshMs).toBe(4100); // the deadline: the stop did not delay it
    expect(stage.lastRecovery?.by).toBe("static");
    expect(worstDeg).toBeLessThan(1.5);
  });

  it("samples after a bridged gap are held until confirmed: the confirmation hands them its fix (world frame), which puts them within 1° of the truth; a wait that times out lets them expire", () => {
    // 300 ms lost mid-swing while the swing went on for 700 (the bridge integrates a motion that
    // did not happen: degrees off), then swinging on to the top of the swing, where it stops.
    const stage = new OrientationStage("x", { rateHz: 100 });
    for (let t = 0; t < 2000; t += 10) stage.next(still(t - 2000, pivotSwingAt(0).quatWxyz));
    for (let t = 0; t < 3000; t += 10) expect(stage.next(swingSample(t, t / 1000).sample)!.held).toBeUndefined();
    const held: { out: OrientedSample; truth: QuatWxyz }[] = [];
    let resolving: OrientedSample | null = null;
    let rawWorstDeg = 0;
    const top = pivotSwingAt(4.5).quatWxyz; // the swing's top: rate 0 (period 1.5 s)
    for (let t = 3300; t < 4500 && resolving === null; t += 10) {
      const { sample, truth } = t < 4100 ? swingSample(t, (t + 400) / 1000) : { sample: still(t, top), truth: top };
      const out = stage.next(sample)!;
      // Each sample hands the fixes applied since the previous one to those held before it.
      if (out.heldFix) for (const h of held) h.out.quatWxyz = quatMultiply(out.heldFix, h.out.quatWxyz);
      if (out.heldResolved) resolving = out;
      else {
        expect(out).toMatchObject({ held: true, fresh: false });
        held.push({ out: { ...out, quatWxyz: [...out.quatWxyz] as QuatWxyz }, truth });
        rawWorstDeg = Math.max(rawWorstDeg, tiltErrorDeg(out.quatWxyz, truth));
      }
    }
    expect(resolving).toMatchObject({ heldResolved: "confirmed", fresh: true });
    expect(resolving!.held).toBeUndefined();
    expect(held.length).toBeGreaterThan(50);
    expect(stage.lastRecovery).toMatchObject({ by: "static", atMs: 4200 });
    // As emitted they carried the bridge's error (54° here); with the fix, within 1° (0.01° here).
    expect(rawWorstDeg).toBeGreaterThan(20);
    expect(Math.max(...held.map((h) => tiltErrorDeg(h.out.quatWxyz, h.truth)))).toBeLessThan(1);

    // Turning slowly, never still (the wait runs out at 900 ms): the held samples expire.
    const slow = new OrientationStage("x", { rateHz: 100, slowBridgeDps: 0 });
    const turning = (t: number): TimedSample => ({ ...still(t, [1, 0, 0, 0]), gyrDps: [0, 0, 5] });
    for (let t = 0; t < 3000; t += 10) slow.next(turning(t));
    const outs: OrientedSample[] = [];
    for (let t = 3300; t < 4400; t += 10) outs.push(slow.next(turning(t))!);
    const end = outs.findIndex((o) => o.heldResolved !== undefined);
    expect(outs[end]).toMatchObject({ tMs: 4200, heldResolved: "expired", fresh: true });
    expect(outs.slice(0, end).every((o) => o.held === true && !o.fresh)).toBe(true);
    expect(outs.slice(end).every((o) => o.held === undefined)).toBe(true);
  });

  it("a heading turn of a held sample reaches it once, with the other held samples, not also in place (tolerance 1e-9)", () => {
    const stage = new OrientationStage("x", { rateHz: 100, slowBridgeDps: 0 });
    const turning = (t: number): TimedSample => ({ ...still(t, [1, 0, 0, 0]), gyrDps: [0, 0, 5] });
    for (let t = 0; t < 3000; t += 10) stage.next(turning(t));
    const first = stage.next(turning(3300))!; // after a bridged 300 ms gap: held
    expect(first.held).toBe(true);
    const asEmitted = [...first.quatWxyz] as QuatWxyz;
    stage.turnHeading(30 * RAD, first);
    expect(first.quatWxyz).toEqual(asEmitted);
    const second = stage.next(turning(3310))!;
    expect(second.heldFix).toBeDefined();
    // The fix is the turn about world vertical: applied once to the held sample, it turns it by 30°.
    const fixed = quatMultiply(second.heldFix!, asEmitted);
    expect(quatAngleBetweenDeg(fixed, asEmitted)).toBeCloseTo(30, 9);
    expect(quatAngleBetweenDeg(fixed, quatMultiply(quatFromAxisAngle([0, 0, 1], 30 * RAD), asEmitted))).toBeCloseTo(0, 9);
  });
});

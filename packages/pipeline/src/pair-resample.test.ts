import { describe, expect, it } from "vitest";
import { quatAngleBetweenDeg, quatConjugate, quatFromAxisAngle, quatMultiply } from "@spinewatch/kinematics";
import { PairResampler, copyPairFrame, type StaleChange } from "./pair-resample.js";
import type { OrientedSample, PairFrame } from "./types.js";

const RAD = Math.PI / 180;
/** Both sensors turn about z at 90 °/s: the exact orientation at any time is known. */
function truthQuat(tMs: number) {
  return quatFromAxisAngle([0, 0, 1], 90 * RAD * (tMs / 1000));
}
function sample(id: string, tMs: number, fresh = true): OrientedSample {
  return { sensorId: id, tMs, quatWxyz: truthQuat(tMs), accMps2: [0, 0, 9.8], gyrDps: [0, 0, 90], fresh };
}

function run(samples: OrientedSample[], maxGapMs = 100) {
  const p = new PairResampler({ sacrumId: "s", thoracicId: "t", frameRateHz: 100, maxGapMs });
  const frames: PairFrame[] = [];
  const states: StaleChange[] = [];
  for (const s of samples) p.next(s, (f) => frames.push(copyPairFrame(f)), (c) => states.push(c));
  return { frames, states, p };
}

/** Interleaved streams: sacrum at 60 Hz from 3 ms, thoracic at 60 Hz from 11 ms (unaligned clocks). */
function streams(durationMs: number, skipThoracic: (tMs: number) => boolean = () => false): OrientedSample[] {
  const out: OrientedSample[] = [];
  for (let t = 3; t < durationMs; t += 1000 / 60) out.push(sample("s", t));
  for (let t = 11; t < durationMs; t += 1000 / 60) if (!skipThoracic(t)) out.push(sample("t", t));
  return out.sort((a, b) => a.tMs - b.tMs);
}

describe("PairResampler", () => {
  it("emits frames on the 100 Hz grid with slerped orientations", () => {
    const { frames } = run(streams(5000));
    expect(frames.length).toBeGreaterThan(490);
    frames.forEach((f, i) => {
      expect(f.tMs % 10).toBeCloseTo(0, 6);
      if (i > 0) expect(f.tMs - frames[i - 1].tMs).toBeCloseTo(10, 6);
      // Slerp of a constant-rate rotation is exact (tolerance 1e-4 degrees: acos rounding).
      expect(quatAngleBetweenDeg(f.sacrum.quatWxyz, truthQuat(f.tMs))).toBeLessThan(1e-4);
      expect(quatAngleBetweenDeg(f.thoracic.quatWxyz, truthQuat(f.tMs))).toBeLessThan(1e-4);
    });
  });

  it("skips frames while a sensor is away, reports it stale, and resumes within 1 s of its return", () => {
    const { frames, states } = run(streams(8000, (t) => t > 3000 && t < 5000));
    const inGap = frames.filter((f) => f.tMs > 3000 && f.tMs < 5000);
    expect(inGap).toEqual([]);
    const stale = states.find((c) => c.sensorId === "t" && c.state === "stale");
    expect(stale).toBeDefined();
    // Reported in sample time once the other sensor is maxGapMs ahead (tolerance one sample).
    expect(stale!.tMs).toBeLessThan(3000 + 100 + 17);
    const fresh = states.filter((c) => c.sensorId === "t" && c.state === "fresh");
    expect(fresh.at(-1)!.tMs).toBeGreaterThanOrEqual(5000);
    const firstAfter = frames.find((f) => f.tMs >= 5000)!;
    expect(firstAfter.tMs - 5000).toBeLessThan(1000);
    // Nothing interpolated across the gap: every frame's bracket was at most maxGapMs wide.
    for (const f of frames) expect(quatAngleBetweenDeg(f.thoracic.quatWxyz, truthQuat(f.tMs))).toBeLessThan(1e-4);
  });

  it("never makes a frame from a sample that is not fresh", () => {
    const samples = streams(3000).map((s) => (s.sensorId === "t" && s.tMs > 1000 && s.tMs < 1500 ? { ...s, fresh: false } : s));
    const { frames, states } = run(samples);
    expect(frames.filter((f) => f.tMs > 995 && f.tMs < 1500)).toEqual([]);
    expect(states.some((c) => c.state === "stale" && c.detail === "orientation re-converging")).toBe(true);
    expect(frames.some((f) => f.tMs > 1500 && f.tMs < 1550)).toBe(true);
  });

  it("waits for held samples: emits their frames late with the fix their confirmation hands them, or skips them if they expire", () => {
    // The thoracic sensor's samples in (1000, 1500) ms are held (after a bridged gap), 5° off in
    // the world frame; the first one after them resolves them.
    const errorQ = quatFromAxisAngle([1, 0, 0], 5 * RAD);
    const heldRun = (resolved: "confirmed" | "expired") => {
      const p = new PairResampler({ sacrumId: "s", thoracicId: "t", frameRateHz: 100, maxGapMs: 100 });
      const frames: PairFrame[] = [];
      let framesBeforeVerdict = -1;
      for (const s of streams(3000)) {
        if (s.sensorId === "t" && s.tMs > 1000 && s.tMs < 1500) Object.assign(s, { quatWxyz: quatMultiply(errorQ, s.quatWxyz), fresh: false, held: true });
        if (s.sensorId === "t" && s.tMs >= 1500 && framesBeforeVerdict < 0) {
          framesBeforeVerdict = frames.length;
          Object.assign(s, { heldFix: quatConjugate(errorQ), heldResolved: resolved });
        }
        p.next(s, (f) => frames.push(copyPairFrame(f)), () => {});
      }
      return { frames, framesBeforeVerdict };
    };
    const confirmed = heldRun("confirmed");
    // Nothing after the last fresh bracket before the verdict (tolerance: one sample each side).
    expect(confirmed.frames[confirmed.framesBeforeVerdict - 1].tMs).toBeLessThan(1000);
    const late = confirmed.frames.filter((f) => f.tMs > 1000 && f.tMs < 1500);
    expect(late.length).toBeGreaterThanOrEqual(48);
    for (const f of confirmed.frames) expect(quatAngleBetweenDeg(f.thoracic.quatWxyz, truthQuat(f.tMs))).toBeLessThan(1e-4);
    expect(confirmed.frames.length).toBeGreaterThan(295); // every frame of the 3 s
    const expired = heldRun("expired");
    expect(expired.frames.filter((f) => f.tMs > 1010 && f.tMs < 1500)).toEqual([]);
    expect(expired.frames.some((f) => f.tMs >= 1500 && f.tMs < 1530)).toBe(true);
  });

  it("tolerates 5% random loss without stalling", () => {
    let seed = 5;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const samples = streams(20_000).filter(() => rand() > 0.05);
    const { frames } = run(samples);
    // Single losses leave 33 ms brackets (< maxGapMs): nearly every frame is made.
    expect(frames.length).toBeGreaterThan(1990);
  });

  it("reports a lost link at once", () => {
    const p = new PairResampler({ sacrumId: "s", thoracicId: "t", frameRateHz: 100, maxGapMs: 100 });
    const states: StaleChange[] = [];
    p.next(sample("s", 0), () => {}, (c) => states.push(c));
    p.next(sample("t", 1), () => {}, (c) => states.push(c));
    p.linkLost("t", 5, (c) => states.push(c));
    expect(states.at(-1)).toMatchObject({ sensorId: "t", state: "stale", detail: "link lost" });
  });

  it("across lost samples at a turning point, follows both ends' rates (Hermite), where slerp cuts the peak off", () => {
    // θ(t) = 30° − ½·α·(t − 1.0 s)², α = 2000 °/s² (a swing's turnaround), about y; the thoracic
    // sensor loses the samples between 960 and 1040 ms (an 80 ms hole around the peak).
    const alpha = 2000;
    const theta = (tMs: number) => 30 - 0.5 * alpha * ((tMs - 1000) / 1000) ** 2;
    const turning = (id: string, tMs: number): OrientedSample => ({
      sensorId: id, tMs, quatWxyz: quatFromAxisAngle([0, 1, 0], theta(tMs) * RAD), accMps2: [0, 0, 9.8], gyrDps: [0, -alpha * ((tMs - 1000) / 1000), 0], fresh: true,
    });
    const out: OrientedSample[] = [];
    for (let t = 500; t <= 1500; t += 10) {
      out.push(turning("s", t));
      if (t <= 960 || t >= 1040) out.push(turning("t", t + 0.5));
    }
    const { frames } = run(out);
    const at1000 = frames.find((f) => f.tMs === 1000)!;
    // Within 0.01° of the peak (slerp at a constant rate between the ends gives 28.4°, 1.6° short).
    expect(quatAngleBetweenDeg(at1000.thoracic.quatWxyz, quatFromAxisAngle([0, 1, 0], theta(1000) * RAD))).toBeLessThan(0.01);
    for (const f of frames.filter((f) => f.tMs > 960 && f.tMs < 1040)) {
      expect(quatAngleBetweenDeg(f.thoracic.quatWxyz, quatFromAxisAngle([0, 1, 0], theta(f.tMs) * RAD))).toBeLessThan(0.01);
    }
  });
});

import type { AngleFrame, MovementEvent } from "@spinewatch/protocol";
import { describe, expect, it } from "vitest";
import { MovementAnalyzer } from "./movement-analyzer.js";
import { buildSessionSummary } from "./session-summary.js";
import { makeAngleFrame, mulberry32 } from "@spinewatch/protocol/testing";
import { addSwings, generateFrames, Motion, runAll } from "./testing/frame-generator.js";

/** Swings where reps 3, 6 and 7 round the lumbar spine to 30° (limit 20°). */
function roundingSession() {
  const rand = mulberry32(21);
  const m = new Motion().hold(2000);
  const truth = [];
  for (let i = 1; i <= 8; i++) {
    const rounding = i === 3 || i === 6 || i === 7;
    truth.push(...addSwings(m, 1, 1400, rand, { flexionDeg: rounding ? [30, 30] : [5, 8] }));
  }
  m.hold(2000);
  return { m, truth, frames: generateFrames(m, { endMs: m.tMs, noiseDeg: 0.3, seed: 21 }) };
}

describe("MovementAnalyzer", () => {
  it("counts swings and ties flexion warnings to their reps", () => {
    const { m, truth, frames } = roundingSession();
    const an = new MovementAnalyzer({ exercise: "kettlebell-swing" });
    const events = [...runAll(an, frames), ...an.finish()];
    const res = an.results();
    expect(res.reps).toHaveLength(8);
    expect(res.warnings.map((w) => [w.axis, w.rep])).toEqual([
      ["flexion", 3],
      ["flexion", 6],
      ["flexion", 7],
    ]);
    expect(res.reps.map((r) => r.warnings)).toEqual([0, 0, 1, 0, 0, 1, 1, 0]);
    for (const w of res.warnings) {
      // Truth crossings of the 20° limit, by dense sampling of the generated trajectory.
      const rep = truth[w.rep! - 1];
      let startMs = NaN;
      let endMs = NaN;
      for (let t = rep.startMs; t <= rep.endMs; t += 0.1) {
        const v = m.at("flexionDeg", t);
        if (Number.isNaN(startMs) && v > 20) startMs = t;
        if (!Number.isNaN(startMs) && Number.isNaN(endMs) && v <= 20 && t > startMs) endMs = t;
      }
      // Noise SD 0.3° on a flexion slope of ~100 °/s near the limit: ±20 ms.
      expect(Math.abs(w.startMs - startMs)).toBeLessThan(20);
      expect(Math.abs(w.endMs - endMs)).toBeLessThan(20);
      expect(Math.abs(w.peakDeg - 30)).toBeLessThan(1.5);
      // Latency: dwell + one frame after the measured crossing; against the truth crossing
      // the noise can move the measured one a frame later (+10 ms).
      const ev = events.find((e) => e.kind === "range" && e.level === "warning" && e.rep === w.rep)!;
      expect(ev.tMs - w.startMs).toBeLessThanOrEqual(110);
      expect(ev.tMs - startMs).toBeLessThanOrEqual(120);
    }
    expect(res.tempo.repsPerMin).toBeGreaterThan(60_000 / 1400 - 2);
    expect(res.tempo.repsPerMin).toBeLessThan(60_000 / 1400 + 2);
  });

  it("applies setLimits and setExercise from the next frame", () => {
    const rand = mulberry32(5);
    const m = new Motion().hold(1000);
    addSwings(m, 3, 1400, rand, { flexionDeg: [8, 8] });
    const switchMs = m.tMs + 500;
    m.hold(1000);
    // Then a hinge with a 3 s mid-range hold.
    m.move(900, { pelvisTiltDeg: 35, flexionDeg: 6 }).hold(3000).move(900, { pelvisTiltDeg: 0, flexionDeg: 0 }).hold(1000);
    const frames = generateFrames(m, { endMs: m.tMs, noiseDeg: 0.2, seed: 5 });
    const an = new MovementAnalyzer({ exercise: "kettlebell-swing", limits: { flexionDeg: 25 } });
    expect(an.limits.flexionDeg).toBe(25);
    const events: MovementEvent[] = [];
    for (const f of frames) {
      if (f.tMs === 1000) an.setLimits({ flexionDeg: 5 });
      if (f.tMs === switchMs) an.setExercise("hip-hinge-holds");
      events.push(...an.next(f));
    }
    const limits = events.filter((e): e is Extract<MovementEvent, { kind: "limits" }> => e.kind === "limits");
    expect(limits.map((e) => e.tMs)).toEqual([1000, switchMs]);
    // Overrides survive the exercise change; the rest comes from the new profile.
    expect(limits[1].limits.flexionDeg).toBe(5);
    expect(an.exercise).toBe("hip-hinge-holds");
    const res = an.results();
    expect(res.reps).toHaveLength(4); // numbering continues across the switch
    expect(res.reps.map((r) => r.index)).toEqual([1, 2, 3, 4]);
    expect(res.warnings.filter((w) => w.axis === "flexion").length).toBeGreaterThanOrEqual(4);
    expect(res.holds).toHaveLength(1);
    expect(res.holds[0].targetMs).toBe(2000);
    expect(res.holds[0].targetMet).toBe(true);
  });

  it("bird dog: counts each reach and its hold from the pelvis roll, measured from the all-fours neutral", () => {
    // On all fours the reading carries a 0.8° posture offset (accelerometer cross-axis error);
    // reaches roll the pelvis 1.0-2.5° to alternating sides and hold 3-4.5 s. The lumbar
    // angles barely move (0.5° of twist), as in the simulator's bird dog.
    const reaches = [1.2, -1.0, 2.5, -1.8];
    const holdMs = [3000, 4500, 3500, 4000];
    const m = new Motion().hold(2000).move(3000, { pelvisTiltDeg: 85, pelvisObliquityDeg: 0.8 }).hold(1500);
    const planned: Array<[number, number]> = [];
    reaches.forEach((r, i) => {
      m.move(1500, { pelvisObliquityDeg: 0.8 + r, axialRotationDeg: Math.sign(r) * 0.5 });
      planned.push([m.tMs, m.tMs + holdMs[i]]);
      m.hold(holdMs[i]).move(1500, { pelvisObliquityDeg: 0.8, axialRotationDeg: 0 }).hold(1500);
    });
    m.move(3000, { pelvisTiltDeg: 0, pelvisObliquityDeg: 0 }).hold(2000);
    // A 0.03° wobble at 3 Hz on the roll: the stillness thresholds must not be at the noise floor.
    const frames = generateFrames(m, { endMs: m.tMs, noiseDeg: 0.3, seed: 9, extra: (ch, t) => (ch === "pelvisObliquityDeg" ? 0.03 * Math.sin(t / 53) : 0) });
    const an = new MovementAnalyzer({ exercise: "bird-dog" });
    runAll(an, frames);
    an.finish();
    const res = an.results();
    expect(res.reps).toHaveLength(4);
    expect(res.holds).toHaveLength(4);
    res.holds.forEach((h, i) => {
      // The hold as an observer sees it: from where the reach is within 5 % of its end to where
      // the return has left it by as much (bench/lib/event-eval.ts), 285 ms outside the planned
      // pause for a 1.5 s minimum-jerk move. Within 300 ms of that at each end.
      expect(Math.abs(h.startMs - (planned[i][0] - 285))).toBeLessThan(300);
      expect(Math.abs(h.endMs - (planned[i][1] + 285))).toBeLessThan(300);
      expect(res.reps[i].startMs).toBeLessThan(h.startMs);
      expect(res.reps[i].endMs).toBeGreaterThan(h.endMs);
    });
    // The hinge's settings (15° to start a rep) would see nothing here.
    const hinge = new MovementAnalyzer({ exercise: "bird-dog", rep: { restBandDeg: 1, turnDeg: 1.5, upDropMinDeg: 3 } });
    expect(hinge.profile.reps?.settings?.restBandDeg).toBe(0.25);
    runAll(hinge, frames);
    hinge.finish();
    expect(hinge.results().reps.length).toBeLessThan(4);
  });

  it("bird dog: the range warnings count the rotation from the all-fours rest, not from the standing calibration", () => {
    // On all fours the rotation reads a posture offset of +0.6°. A twist to 5.4° as read (4.8°
    // from the rest) is within the 5° limit; one to 6.0° as read (5.4° from the rest) is beyond.
    // Counted from the standing calibration both would be beyond.
    const m = new Motion().hold(1500).move(3000, { pelvisTiltDeg: 85, axialRotationDeg: 0.6 }).hold(1500);
    const twists: Array<[number, number]> = [];
    for (const readDeg of [5.4, 6.0]) {
      m.move(1500, { axialRotationDeg: readDeg });
      const from = m.tMs;
      m.hold(2000);
      twists.push([from, m.tMs]);
      m.move(1500, { axialRotationDeg: 0.6 }).hold(1500);
    }
    const frames = generateFrames(m, { endMs: m.tMs });
    const an = new MovementAnalyzer({ exercise: "bird-dog" });
    const events = [...runAll(an, frames), ...an.finish()];
    const warnings = events.filter((e) => e.kind === "range" && e.level === "warning" && (e.axis === "rotationRight" || e.axis === "rotationLeft"));
    expect(warnings.map((w) => w.tMs >= twists[1][0] - 1500 && w.tMs <= twists[1][1])).toEqual([true]);
    const standing = new MovementAnalyzer({ exercise: "kettlebell-swing", limits: { axialRotationDeg: 5 } });
    const raw = [...runAll(standing, frames), ...standing.finish()].filter((e) => e.kind === "range" && e.level === "warning" && e.axis === "rotationRight");
    expect(raw).toHaveLength(2);
  });

  it("switching exercise switches the detectors' settings to the new profile's", () => {
    const an = new MovementAnalyzer({ exercise: "kettlebell-swing" });
    const m = new Motion().hold(1000);
    m.move(3000, { pelvisTiltDeg: 85, pelvisObliquityDeg: 0.5 }).hold(1500);
    const planned: number[] = [];
    for (const r of [1.5, -1.5]) {
      m.move(1500, { pelvisObliquityDeg: 0.5 + r });
      planned.push(m.tMs);
      m.hold(3000).move(1500, { pelvisObliquityDeg: 0.5 }).hold(1500);
    }
    const frames = generateFrames(m, { endMs: m.tMs });
    for (const f of frames) {
      if (f.tMs === 500) an.setExercise("bird-dog");
      an.next(f);
    }
    an.finish();
    expect(an.results().reps).toHaveLength(2);
    // Within 300 ms of where the reach is within 5 % of its end (as in the test above).
    expect(an.results().holds.map((h) => Math.abs(h.startMs - (planned.shift()! - 285)) < 300)).toEqual([true, true]);
  });

  it("rejects and counts frames that go back in time or carry non-finite angles", () => {
    const an = new MovementAnalyzer({ exercise: "deadlift" });
    const f = (tMs: number, flexionDeg = 0): AngleFrame => makeAngleFrame({ tMs, flexionDeg });
    an.next(f(0));
    an.next(f(10));
    an.next(f(10));
    an.next(f(5));
    an.next(f(20, Number.NaN));
    an.next(f(30));
    expect(an.rejectedFrames).toBe(3);
  });

  it("refuses an unknown exercise and bad limits with one-line errors", () => {
    expect(() => new MovementAnalyzer({ exercise: "yoga" })).toThrow(/unknown exercise "yoga"; valid exercises: kettlebell-swing/);
    const an = new MovementAnalyzer({ exercise: "side-bend" });
    expect(() => an.setExercise("nope")).toThrow(/valid exercises/);
    expect(() => an.setLimits({ flexionDeg: 0 })).toThrow("setLimits: flexionDeg must be a positive number of degrees, got 0");
    // Unknown fields (a newer recording's) are skipped, known ones still apply.
    an.setLimits({ flexionDeg: 30, pelvisTiltDeg: 50 } as never);
    expect(an.limits.flexionDeg).toBe(30);
    expect("pelvisTiltDeg" in an.limits).toBe(false);
  });

  it("builds the session summary with problems folded by sensor and code", () => {
    const { frames } = roundingSession();
    const an = new MovementAnalyzer({ exercise: "kettlebell-swing" });
    runAll(an, frames);
    an.finish();
    const summary = buildSessionSummary({
      durationMs: frames[frames.length - 1].tMs,
      exercise: "kettlebell-swing",
      results: an.results(),
      calibration: { source: "event", tMs: 0 },
      sensors: [{ id: "sacrum", samples: 1000, lostPackets: 2, gaps: 1, meanRateHz: 100 }],
      problems: [
        { tMs: 50, sensor: "sacrum", code: "bad-packet", message: "checksum" },
        { tMs: 20, sensor: "sacrum", code: "bad-packet", message: "short" },
        { tMs: 30, code: "not-calibrated", message: "x" },
      ],
      frames: frames.length,
    });
    expect(summary.reps).toHaveLength(8);
    expect(summary.warnings).toHaveLength(3);
    expect(summary.problems).toEqual([
      { tMs: 20, sensor: "sacrum", code: "bad-packet", message: "short", count: 2 },
      { tMs: 30, code: "not-calibrated", message: "x", count: 1 },
    ]);
    expect(summary).toMatchObject({ exercise: "kettlebell-swing", frames: frames.length, calibration: { source: "event" } });
    expect(JSON.parse(JSON.stringify(summary)).reps[0].index).toBe(1);
  });
});

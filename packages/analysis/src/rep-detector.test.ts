import type { MovementEvent, RepSummary } from "@spinewatch/protocol";
import { describe, expect, it } from "vitest";
import { getExerciseProfile } from "./profiles.js";
import { RepDetector } from "./rep-detector.js";
import { summarizeTempo } from "./tempo.js";
import { mulberry32 } from "@spinewatch/protocol/testing";
import { addSwings, generateFrames, Motion, runAll, type TruthRep } from "./testing/frame-generator.js";

const swingProfile = getExerciseProfile("kettlebell-swing").reps!;

/** Two sets of swings with a standing rest between them (small wobbles, noise). */
function swingSession(periodMs: number, seed: number) {
  const rand = mulberry32(seed);
  const m = new Motion({}, 0).hold(2000);
  const truth: TruthRep[] = [...addSwings(m, 10, periodMs, rand)];
  m.hold(6000);
  truth.push(...addSwings(m, 8, periodMs, rand));
  m.hold(2000);
  // ±3° sway while standing, fading out to a still stance 300 ms before and after a rep (a
  // sway rising straight into the backswing would make the rep's onset ambiguous).
  const restWobble = (ch: string, t: number) => {
    if (ch !== "pelvisTiltDeg") return 0;
    let distMs = Infinity;
    for (const r of truth) distMs = Math.min(distMs, Math.max(r.startMs - t, t - r.endMs, 0));
    return 3 * Math.sin((2 * Math.PI * t) / 900) * Math.min(1, Math.max(0, (distMs - 300) / 500));
  };
  const frames = generateFrames(m, { endMs: m.tMs, noiseDeg: 0.3, seed, extra: restWobble });
  return { frames, truth };
}

function checkAgainstTruth(reps: readonly RepSummary[], truth: readonly TruthRep[], periodMs: number) {
  expect(reps.length).toBe(truth.length);
  reps.forEach((r, i) => {
    // Per-rep peak flexion within 1.5° of the generated peak (noise SD 0.3°).
    expect(Math.abs(r.peakFlexionDeg - truth[i].peakFlexionDeg)).toBeLessThan(1.5);
    expect(Math.abs(r.peakPelvisTiltDeg - truth[i].peakPelvisTiltDeg)).toBeLessThan(1.5);
    // Boundaries near the generated lockouts: a threshold (1° from rest) dates a minimum-jerk
    // movement's onset ~12% of its duration late (10τ³ = 1/70), plus the smoother's ~27 ms:
    // tolerance 15% of the half period + 30 ms (124 ms at 1.25 s, 173 ms at 1.9 s per rep).
    const tolMs = 0.15 * (periodMs / 2) + 30;
    expect(Math.abs(r.startMs - truth[i].startMs)).toBeLessThan(tolMs);
    expect(Math.abs(r.endMs - truth[i].endMs)).toBeLessThan(tolMs);
    expect(r.index).toBe(i + 1);
  });
}

describe("RepDetector on kettlebell swings", () => {
  for (const periodMs of [1250, 1900]) {
    for (const seed of [1, 2, 3]) {
      it(`counts every swing at ${periodMs} ms per rep (seed ${seed})`, () => {
        const { frames, truth } = swingSession(periodMs, seed);
        const det = new RepDetector(swingProfile);
        const events = runAll(det, frames);
        checkAgainstTruth(det.reps, truth, periodMs);
        expect(events.filter((e) => e.kind === "rep")).toHaveLength(truth.length);
        // Tempo: the set cadence (60000 / period) within 5%; rep durations consistent.
        const tempo = summarizeTempo(det.reps);
        expect(Math.abs(tempo.repsPerMin - 60_000 / periodMs) / (60_000 / periodMs)).toBeLessThan(0.05);
        expect(tempo.repDurationCv).toBeLessThan(0.1);
      });
    }
  }

  it("emits phases standing -> down -> bottom -> up -> standing for each rep", () => {
    const { frames, truth } = swingSession(1250, 7);
    const det = new RepDetector(swingProfile);
    const events = runAll(det, frames).filter((e) => e.kind === "phase" || e.kind === "rep");
    const seq = events.map((e) => (e.kind === "phase" ? e.phase : "rep"));
    const expected: string[] = [];
    for (let i = 0; i < truth.length; i++) expected.push("down", "bottom", "up", "standing", "rep");
    // A rep's event comes at its lockout, after the standing phase and possibly after the
    // next rep's "down" when swings run on without a pause.
    expect(seq.filter((s) => s !== "rep")).toEqual(expected.filter((s) => s !== "rep"));
    expect(seq.filter((s) => s === "rep")).toHaveLength(truth.length);
  });

  it("reports extension at lockout", () => {
    const rand = mulberry32(4);
    const m = new Motion().hold(1000);
    addSwings(m, 4, 1500, rand, { lockoutExtensionDeg: 8 });
    m.hold(2000);
    const det = new RepDetector(swingProfile);
    runAll(det, generateFrames(m, { endMs: m.tMs, noiseDeg: 0.2, seed: 4 }));
    expect(det.reps).toHaveLength(4);
    for (const r of det.reps) expect(Math.abs(r.lockoutExtensionDeg - 8)).toBeLessThan(1.5);
  });

  it("counts nothing from standing wobbles of ±6°", () => {
    const m = new Motion().hold(30_000);
    const frames = generateFrames(m, {
      endMs: m.tMs,
      noiseDeg: 0.5,
      extra: (ch, t) => (ch === "pelvisTiltDeg" ? 6 * Math.sin(t / 300) : 0),
    });
    const det = new RepDetector(swingProfile);
    const events = runAll(det, frames);
    expect(events).toEqual([]);
  });
});

describe("RepDetector on other exercises", () => {
  it("counts hinges with a mid-range hold, with down/up durations", () => {
    const m = new Motion().hold(1500);
    const truth: { start: number; end: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const start = m.tMs;
      m.move(1000, { pelvisTiltDeg: 40, flexionDeg: 8 }).hold(2500).move(1000, { pelvisTiltDeg: 0, flexionDeg: 0 });
      truth.push({ start, end: m.tMs });
      m.hold(1500);
    }
    const det = new RepDetector(getExerciseProfile("hip-hinge-holds").reps!);
    runAll(det, generateFrames(m, { endMs: m.tMs, noiseDeg: 0.3, seed: 11 }));
    expect(det.reps).toHaveLength(5);
    det.reps.forEach((r, i) => {
      // A threshold onset of a 1 s minimum-jerk movement trails its mathematical start by
      // ~12% of the movement (10τ³ = 1° / 40°): boundaries within 200 ms.
      expect(Math.abs(r.startMs - truth[i].start)).toBeLessThan(200);
      expect(Math.abs(r.endMs - truth[i].end)).toBeLessThan(200);
      // Down and up take 1 s each; the hold at the bottom belongs to neither. Both ends of each
      // are threshold-dated (1° from rest, ~1° from the peak), which trims a minimum-jerk
      // movement by ~10-15% at each end: 650-1000 ms, and down ≈ up (±80 ms).
      expect(r.downMs).toBeGreaterThan(650);
      expect(r.downMs).toBeLessThan(1000);
      expect(Math.abs(r.downMs - r.upMs)).toBeLessThan(80);
      // Lumbopelvic ratio = peak flexion / peak pelvis tilt = 8 / 40 (±0.05).
      expect(Math.abs(r.lumbopelvicRatio - 0.2)).toBeLessThan(0.05);
    });
  });

  it("counts side bends to both sides, one rep per side", () => {
    const m = new Motion().hold(1000);
    for (let i = 0; i < 4; i++) {
      m.move(1500, { lateralBendDeg: 22 }).hold(500).move(1500, { lateralBendDeg: 0 }).hold(800);
      m.move(1500, { lateralBendDeg: -18 }).hold(500).move(1500, { lateralBendDeg: 0 }).hold(800);
    }
    const det = new RepDetector(getExerciseProfile("side-bend").reps!);
    runAll(det, generateFrames(m, { endMs: m.tMs, noiseDeg: 0.3, seed: 5 }));
    expect(det.reps).toHaveLength(8);
    det.reps.forEach((r, i) => {
      expect(r.side).toBe(i % 2 === 0 ? "right" : "left");
      expect(Math.abs(r.peakLateralBendDeg - (i % 2 === 0 ? 22 : -18))).toBeLessThan(1.5);
      expect(Number.isNaN(r.lumbopelvicRatio)).toBe(true); // the pelvis did not move
    });
  });

  it("counts cat-camel cycles (neutral -> cat -> camel -> neutral) as one rep each", () => {
    // On all fours the pelvis sits ~85° from the standing neutral; each cycle rounds to a cat
    // of 20-28° (1 s pause), arches to a camel of 10-15° extension (1 s pause) and returns to
    // neutral for 0.5 s, as the simulator's cat-camel scenario does.
    const rand = mulberry32(6);
    const m = new Motion({ pelvisTiltDeg: 85 }).hold(1500);
    const truth: { startMs: number; endMs: number; cat: number; camel: number }[] = [];
    for (let i = 0; i < 6; i++) {
      const cat = 20 + 8 * rand();
      const camel = 10 + 5 * rand();
      const startMs = m.tMs;
      m.move(2500, { flexionDeg: cat }).hold(1000).move(3000, { flexionDeg: -camel }).hold(1000).move(2000, { flexionDeg: 0 });
      truth.push({ startMs, endMs: m.tMs, cat, camel });
      m.hold(500);
    }
    m.move(3000, { pelvisTiltDeg: 0 }).hold(2000);
    const det = new RepDetector(getExerciseProfile("cat-camel").reps!);
    runAll(det, generateFrames(m, { endMs: m.tMs, noiseDeg: 0.3, seed: 6 }));
    expect(det.reps).toHaveLength(6);
    det.reps.forEach((r, i) => {
      expect(Math.abs(r.peakFlexionDeg - truth[i].cat)).toBeLessThan(1.5);
      // Extension of the camel: the rep's peak extension (±1.5°)...
      expect(Math.abs(r.peakExtensionDeg! - truth[i].camel)).toBeLessThan(1.5);
      // ...while its lockout extension is the extension where it ends, back at neutral (0°):
      // the end is dated where the smoothed signal is back within 1° of the start level, which
      // lies ~0.4° under neutral (noise floor of the rest minimum), plus frame noise (SD 0.3°,
      // 3 SD 0.9°): under 2.5° (0.5-1.6° here).
      expect(r.lockoutExtensionDeg).toBeLessThan(2.5);
      // Slow moves dated by a 1° band (above the noise floor of the rest level, ~0.4° lower
      // than neutral): the 2.5 s rounding to ~24° leaves it at 10τ³ ≈ 1/24, τ ≈ 0.16 ->
      // ~400 ms late; the 2 s return from a 10-15° camel is back within ~1.4° of neutral at
      // 10(1-τ)³ ≈ 1.4/10, 1-τ ≈ 0.24 -> ~500 ms early. Tolerances 450 / 600 ms.
      expect(Math.abs(r.startMs - truth[i].startMs)).toBeLessThan(450);
      expect(Math.abs(r.endMs - truth[i].endMs)).toBeLessThan(600);
    });
    expect(det.phase).toBe("standing");
  });
});

describe("RepDetector rest memory", () => {
  it("does not forget the resting minimum in the middle of a rise (a side bend starting as the 3 s memory runs out)", () => {
    // Still at 0° from t = 0, then a 10° side bend over 2.5 s from 1.5 s: the memory of the rest
    // (restMemoryMs, 3 s) runs out at 3 s, 60 % into the rise (6.8°). Forgotten there, the
    // minimum became 6.8° and the rep needed 14.8°, never reached (simulator, side-bends,
    // WitMotion seed 8 at 88 s: a 14.7° rep missed); the minimum is now the rise's onset.
    const m = new Motion().hold(1500).move(2500, { lateralBendDeg: 10 }).hold(1000).move(2500, { lateralBendDeg: 0 }).hold(2000);
    const det = new RepDetector(getExerciseProfile("side-bend").reps!);
    runAll(det, generateFrames(m, { endMs: m.tMs }));
    expect(det.reps).toHaveLength(1);
    expect(det.reps[0].peakLateralBendDeg).toBeCloseTo(10, 1);
  });
});

describe("RepDetector across gaps", () => {
  it("abandons a rep interrupted by a gap instead of interpolating it", () => {
    const rand = mulberry32(9);
    const m = new Motion().hold(1000);
    const truth = addSwings(m, 6, 1500, rand);
    m.hold(1500);
    // 800 ms without frames in the middle of rep 3's backswing (longer than gapMs).
    const gapStart = truth[2].startMs + 500;
    const frames = generateFrames(m, { endMs: m.tMs, noiseDeg: 0.3, seed: 9, gaps: [[gapStart, gapStart + 800]] });
    const det = new RepDetector(swingProfile);
    const events: MovementEvent[] = runAll(det, frames);
    expect(det.reps).toHaveLength(5);
    // The abandoned rep is followed by a standing phase dated at the last frame before the gap.
    const standing = events.find((e) => e.kind === "phase" && e.phase === "standing" && e.tMs < gapStart + 800 && e.tMs > gapStart - 20);
    expect(standing).toBeDefined();
    // The reps that were whole are all there, with their own peaks.
    const kept = [0, 1, 3, 4, 5].map((i) => truth[i]);
    det.reps.forEach((r, i) => expect(Math.abs(r.peakFlexionDeg - kept[i].peakFlexionDeg)).toBeLessThan(1.5));
  });

  /** Deadlift-paced hinges: down 1.5 s, 0.8 s at the bottom, up 1.5 s, 2 s standing (rep ~3.8 s). */
  function slowHinges(n: number) {
    const m = new Motion().hold(2000);
    const reps: { startMs: number; bottomMs: number; upMs: number; endMs: number }[] = [];
    for (let i = 0; i < n; i++) {
      const startMs = m.tMs;
      m.move(1500, { pelvisTiltDeg: 65, flexionDeg: 15 + i });
      const bottomMs = m.tMs;
      m.hold(800);
      const upMs = m.tMs;
      m.move(1500, { pelvisTiltDeg: 0, flexionDeg: 0 });
      reps.push({ startMs, bottomMs, upMs, endMs: m.tMs });
      m.hold(2000);
    }
    return { m, reps };
  }
  const deadliftProfile = getExerciseProfile("deadlift").reps!;

  it("bridges a gap shorter than half the recent reps inside a slow rep: counted, with its gapMs", () => {
    const { m, reps } = slowHinges(5);
    // 1 s without frames in rep 3 from halfway down (30° of pelvis tilt: the rep has started)
    // into the pause at the bottom, where its peak is seen.
    const gapStart = reps[2].startMs + 700;
    const frames = generateFrames(m, { endMs: m.tMs, noiseDeg: 0.3, seed: 11, gaps: [[gapStart, gapStart + 1000]] });
    const det = new RepDetector(deadliftProfile);
    runAll(det, frames);
    expect(det.reps).toHaveLength(5);
    const bridged = det.reps[2];
    // The frames' spacing (10 ms): the hole between the frames either side is 1,010 ms.
    expect(bridged.bridgedGapMs).toBeCloseTo(1010, 0);
    expect(Math.abs(bridged.peakFlexionDeg - 17)).toBeLessThan(1.5); // noise SD 0.3°
    expect(Math.abs(bridged.startMs - reps[2].startMs)).toBeLessThan(300);
    expect(det.reps.filter((r) => r.bridgedGapMs !== undefined)).toHaveLength(1);
  });

  it("does not bridge in the first rep (no pace known yet), nor coming up when the signal is higher after the gap", () => {
    const first = slowHinges(3);
    const g1 = first.reps[0].startMs + 700;
    const d1 = new RepDetector(deadliftProfile);
    runAll(d1, generateFrames(first.m, { endMs: first.m.tMs, noiseDeg: 0.3, seed: 12, gaps: [[g1, g1 + 1000]] }));
    expect(d1.reps).toHaveLength(2);

    // Coming up in rep 3, then 1.5 s without frames during which the person stood up and went
    // down again, faster than the reps before: higher after the gap than before it.
    const m = new Motion().hold(2000);
    for (let i = 0; i < 2; i++) m.move(1500, { pelvisTiltDeg: 65, flexionDeg: 15 }).hold(800).move(1500, { pelvisTiltDeg: 0, flexionDeg: 0 }).hold(2000);
    m.move(1500, { pelvisTiltDeg: 65, flexionDeg: 15 }).hold(800).move(1500, { pelvisTiltDeg: 30, flexionDeg: 7 });
    const gapStart = m.tMs;
    m.move(400, { pelvisTiltDeg: 0, flexionDeg: 0 }).move(700, { pelvisTiltDeg: 60, flexionDeg: 14 });
    const gapEnd = m.tMs;
    m.hold(800).move(1500, { pelvisTiltDeg: 0, flexionDeg: 0 }).hold(2000);
    const d2 = new RepDetector(deadliftProfile);
    const events = runAll(d2, generateFrames(m, { endMs: m.tMs, noiseDeg: 0.3, seed: 13, gaps: [[gapStart, gapEnd]] }));
    // Rep 3 abandoned at the gap (a standing phase there), not merged with the one after it.
    expect(events.some((e) => e.kind === "phase" && e.phase === "standing" && Math.abs(e.tMs - gapStart) < 20)).toBe(true);
    expect(d2.reps.every((r) => r.bridgedGapMs === undefined)).toBe(true);
  });

  it("is not disturbed by a gap during a rest", () => {
    const rand = mulberry32(10);
    const m = new Motion().hold(1000);
    addSwings(m, 3, 1500, rand);
    const restStart = m.tMs;
    m.hold(3000);
    addSwings(m, 3, 1500, rand);
    m.hold(1000);
    const frames = generateFrames(m, { endMs: m.tMs, noiseDeg: 0.3, seed: 10, gaps: [[restStart + 1000, restStart + 2000]] });
    const det = new RepDetector(swingProfile);
    runAll(det, frames);
    expect(det.reps).toHaveLength(6);
  });
});

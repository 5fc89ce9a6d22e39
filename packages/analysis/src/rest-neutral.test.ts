import { describe, expect, it } from "vitest";
import { REST_NEUTRAL_DEFAULTS, RestNeutral, type RestChannel, type RestNeutralSettings } from "./rest-neutral.js";
import { generateFrames, Motion } from "./testing/frame-generator.js";

/** Stand, get down on all fours (the reading gains a 0.8° posture offset), settle, reach right, rest, reach left. */
function birdDogMotion(): Motion {
  return new Motion()
    .hold(2000)
    .move(3000, { pelvisTiltDeg: 85, pelvisObliquityDeg: 0.8 })
    .hold(1500)
    .move(1500, { pelvisObliquityDeg: 2.3 })
    .hold(4000)
    .move(1500, { pelvisObliquityDeg: 0.8 })
    .hold(1500)
    .move(1500, { pelvisObliquityDeg: -1.2 })
    .hold(4000)
    .move(1500, { pelvisObliquityDeg: 0.8 })
    .hold(1500);
}

/** The neutral of `channel` at each of the times `tMs` (ascending). */
function neutralAt(n: RestNeutral, m: Motion, tMs: number[], channel: RestChannel = "pelvisObliquityDeg"): number[] {
  const out: number[] = [];
  const frames = generateFrames(m, { endMs: m.tMs, rateHz: 100 });
  let k = 0;
  for (const f of frames) {
    n.next(f);
    while (k < tMs.length && f.tMs >= tMs[k]) {
      out.push(n.neutralDeg(channel));
      k++;
    }
  }
  return out;
}

/**
 * Down on all fours and at once a right reach held at 2.6° (until 11 s); rest at 0° (until 14 s),
 * left reach held at −1.7° (until 19.5 s), rest at 0° (until 22.5 s). The axial rotation reading
 * creeps 0.6 °/s until the hold (a filter settling after the 85° turn), and `holdCreepDps` on
 * through it. The obliquity neutral at 10.9, 19.4 and 22.4 s, and at 10.9 s (key 10_901) the
 * obliquity as the detectors see it (less the neutral).
 */
function reachAtOnce(holdCreepDps: number, settings: Partial<RestNeutralSettings> = {}): Record<number, number> {
  const m = new Motion()
    .hold(2000)
    .move(3000, { pelvisTiltDeg: 85 })
    .hold(500)
    .move(1500, { pelvisObliquityDeg: 2.6 })
    .hold(4000)
    .move(1500, { pelvisObliquityDeg: 0 })
    .hold(1500)
    .move(1500, { pelvisObliquityDeg: -1.7 })
    .hold(4000)
    .move(1500, { pelvisObliquityDeg: 0 })
    .hold(1500);
  const ramp = (t: number, fromMs: number, toMs: number) => (Math.min(Math.max(t, fromMs), toMs) - fromMs) / 1000;
  const creep = (ch: string, t: number) => (ch === "axialRotationDeg" ? 0.6 * ramp(t, 3000, 7000) + holdCreepDps * ramp(t, 7000, 11_000) : 0);
  const n = new RestNeutral(settings);
  const at: Record<number, number> = {};
  for (const f of generateFrames(m, { endMs: m.tMs, rateHz: 100, extra: creep })) {
    n.next(f);
    if (f.tMs === 10_900 || f.tMs === 19_400 || f.tMs === 22_400) at[f.tMs] = n.neutralDeg("pelvisObliquityDeg");
    if (f.tMs === 10_900) at[10_901] = n.lessNeutral(f).pelvisObliquityDeg;
  }
  return at;
}

describe("RestNeutral", () => {
  it("settles on the all-fours offset, ignores the reaches' holds, follows the reading until settled (tolerance 0.05°: the plateau takes in the end of the descent)", () => {
    const m = birdDogMotion();
    const n = new RestNeutral();
    // On the way down (3.5 s): unsettled, the neutral follows the reading, less than departDeg
    // behind (the 0.8° offset gathers at up to 0.5 °/s).
    // 6.2 s: settled on the all-fours plateau (0.8). 9.5 s: holding the right reach (2.3): kept.
    // 13.5 s: the rest between reaches: still 0.8. 17 s: holding the left reach (−1.2): kept.
    const [down, settled, rightHold, rest, leftHold] = neutralAt(n, m, [3500, 6200, 9500, 13_500, 17_000]);
    expect(Math.abs(down - m.at("pelvisObliquityDeg", 3500))).toBeLessThan(REST_NEUTRAL_DEFAULTS.departDeg);
    for (const v of [settled, rightHold, rest, leftHold]) expect(Math.abs(v - 0.8)).toBeLessThan(0.05);
  });

  it("a rest close to the neutral refines it; a new posture starts over", () => {
    const m = new Motion()
      .move(3000, { pelvisTiltDeg: 85, pelvisObliquityDeg: 0.8 })
      .hold(1500)
      .move(1000, { pelvisObliquityDeg: 1.1 }) // drifted by 0.3° (< acceptDeg 0.5): refines
      .hold(1500)
      .move(3000, { pelvisTiltDeg: 0, pelvisObliquityDeg: 0 }) // stands up
      .hold(1500);
    const n = new RestNeutral();
    const [first, refined, standing] = neutralAt(n, m, [4400, 7400, 10_400]);
    // Tolerance 0.05°, as above.
    expect(Math.abs(first - 0.8)).toBeLessThan(0.05);
    expect(Math.abs(refined - 1.1)).toBeLessThan(0.05);
    expect(Math.abs(standing)).toBeLessThan(0.05);
  });

  it("a plateau while the pelvis tilt is still moving is not a settled posture", () => {
    // A slow descent whose obliquity creeps within the band for over a second: never settles
    // until the tilt stops, so the neutral follows the reading and the detectors see 0.
    const m = new Motion().hold(1000).move(6000, { pelvisTiltDeg: 85, pelvisObliquityDeg: 0.4 }, "linear").hold(1000);
    const n = new RestNeutral();
    const frames = generateFrames(m, { endMs: m.tMs, rateHz: 100 });
    let maxDeviation = 0;
    const settledAt: boolean[] = [];
    for (const f of frames) {
      n.next(f);
      maxDeviation = Math.max(maxDeviation, Math.abs(f.pelvisObliquityDeg - n.neutralDeg("pelvisObliquityDeg")));
      if (f.tMs === 900 || f.tMs === 4000 || f.tMs === 7900) settledAt.push(n.settled);
    }
    expect(maxDeviation).toBeLessThan(0.26);
    // Standing at first (settled after 700 ms), not while getting down, settled 700 ms after the tilt stops.
    expect(settledAt).toEqual([true, false, true]);
  });

  it("the rest after a reach is the neutral even when the reading drifted meanwhile (tolerance 0.05°)", () => {
    // Settled at 0; the right reach is held at +1.2; the return lands at −0.7 (0.7° of drift
    // while the reach was held: more than acceptDeg); then a left reach held at −2.2.
    const m = new Motion({ pelvisTiltDeg: 85 })
      .hold(1500)
      .move(1500, { pelvisObliquityDeg: 1.2 })
      .hold(3000)
      .move(1500, { pelvisObliquityDeg: -0.7 })
      .hold(1500)
      .move(1500, { pelvisObliquityDeg: -2.2 })
      .hold(3000);
    const n = new RestNeutral();
    const [first, rest, leftHold] = neutralAt(n, m, [1400, 9400, 13_000]);
    expect(Math.abs(first)).toBeLessThan(0.05);
    expect(Math.abs(rest + 0.7)).toBeLessThan(0.05);
    expect(Math.abs(leftHold + 0.7)).toBeLessThan(0.05);
  });

  it("the person reaches at once: the reach counts from the level before it, its hold is not taken for the rest (tolerance 0.15°)", () => {
    // Down on all fours and at once a right reach held at 2.6° while the axial rotation creeps
    // (nothing still before it): the obliquity's neutral stopped following when the reach left
    // it (simulator, bird dog, seed 6, both devices: this rep was lost to the hold taken as
    // the neutral). Tolerance 0.15°: the follower moved 0.12° with the reach before it stopped.
    const at = reachAtOnce(0);
    expect(Math.abs(at[10_900])).toBeLessThan(0.15);
    expect(Math.abs(at[10_901] - 2.6)).toBeLessThan(0.15);
    expect(Math.abs(at[19_400])).toBeLessThan(0.05); // the rest after it, settled on
    expect(Math.abs(at[22_400])).toBeLessThan(0.05);
  });

  it("without the follower's stop, a reach's hold taken as the neutral (the person reached at once) gives way to the rest between a left and a right reach (tolerance 0.05°)", () => {
    // Down on all fours and at once a right reach held at 2.6°; the axial rotation reading
    // creeps 0.6 °/s until the hold (a filter settling after the 85° turn), so nothing is still
    // before it and the hold is the first plateau. Rest at 0°, left reach held at −1.7°, rest
    // at 0° (as in the simulator's bird dog, Movella DOT seed 6): the rest after the left reach
    // comes back less than halfway toward 2.6°, so it is no "return" either.
    const at = reachAtOnce(0, { departDeg: Infinity });
    expect(Math.abs(at[10_900] - 2.6)).toBeLessThan(0.05); // the hold, taken as the neutral
    expect(Math.abs(at[19_400] - 2.6)).toBeLessThan(0.05); // reaches on one side of it only, so far
    expect(Math.abs(at[22_400])).toBeLessThan(0.05); // between a left and a right reach: the rest
  });

  it("without the follower's stop, a drifting hold taken as the neutral is one visit, not one per plateau: it gives way at the second rest all the same (tolerance 0.05°)", () => {
    // As above, but the reading creeps on through the reach's 4 s hold (0.15 °/s of axial
    // rotation: the filter still settling), so the hold restarts its plateau and settles twice.
    // Counted per plateau, the hold had as many "visits" as the two rests and kept the neutral
    // (simulator, bird dog, WitMotion seed 6: two more reps lost to it).
    const at = reachAtOnce(0.15, { departDeg: Infinity });
    expect(Math.abs(at[10_900] - 2.6)).toBeLessThan(0.05); // the hold, taken as the neutral
    expect(Math.abs(at[22_400])).toBeLessThan(0.05); // between a left and a right reach: the rest
  });

  it("a first plateau of an estimate still settling, visited once, gives way to the rest visited three times though both lie between the reaches (tolerance 0.05°)", () => {
    // Still for 0.9 s at obliquity −0.4° and axial rotation 0.7° (the filters shedding the
    // error of getting down), then 1 s to the rest at 0.2° / −0.6°; left reach −1.7°, rest,
    // right reach 1.6°, rest (simulator, bird dog, Movella DOT seed 6 at 191.5 s). After the
    // left reach the rest has reaches on one side only; after the right one, both have both.
    const m = new Motion({ pelvisTiltDeg: 85, pelvisObliquityDeg: -0.4, axialRotationDeg: 0.7 })
      .hold(900)
      .move(1000, { pelvisObliquityDeg: 0.2, axialRotationDeg: -0.6 })
      .hold(1500);
    for (const reach of [-1.7, 1.6]) m.move(1500, { pelvisObliquityDeg: reach }).hold(3000).move(1500, { pelvisObliquityDeg: 0.2 }).hold(1500);
    const n = new RestNeutral();
    const [first, secondRest, thirdRest] = neutralAt(n, m, [850, 10_850, m.tMs - 100]);
    expect(Math.abs(first + 0.4)).toBeLessThan(0.05);
    expect(Math.abs(secondRest + 0.4)).toBeLessThan(0.05); // two visits: not yet
    expect(Math.abs(thirdRest - 0.2)).toBeLessThan(0.05);
  });

  it("reaches to one side only, of two sizes: the smaller one's hold is no rest, though it lies between the neutral and the larger (tolerance 0.05°)", () => {
    const m = new Motion({ pelvisTiltDeg: 85 }).hold(1500);
    for (const reach of [2.6, 1.2, 2.6, 1.2]) m.move(1500, { pelvisObliquityDeg: reach }).hold(3000).move(1500, { pelvisObliquityDeg: 0 }).hold(1500);
    const n = new RestNeutral();
    const [first, last] = neutralAt(n, m, [1400, m.tMs - 100]);
    expect(Math.abs(first)).toBeLessThan(0.05);
    expect(Math.abs(last)).toBeLessThan(0.05);
  });

  it("every angle settles on its own posture offset (until then the obliquity follows the reading, the lumbar angles count from 0); a reach that twists the spine without rolling the pelvis is not a rest (tolerance 0.05°)", () => {
    // On all fours the readings gain offsets: flexion −0.9°, lateral bend 0.6°, rotation −0.5°,
    // obliquity 0.8°. Reach 1: pelvis rolled and spine twisted, held. Rest. Reach 2: the
    // pelvis stays level (obliquity within acceptDeg) but the spine twists by 3° and is held:
    // the rotation alone must keep that hold from being taken for the rest.
    const offsets = { flexionDeg: -0.9, lateralBendDeg: 0.6, axialRotationDeg: -0.5, pelvisObliquityDeg: 0.8 };
    const m = new Motion()
      .hold(1000)
      .move(3000, { pelvisTiltDeg: 85, ...offsets })
      .hold(1500)
      .move(1500, { pelvisObliquityDeg: 2.8, axialRotationDeg: 2, lateralBendDeg: 1.6 })
      .hold(4000)
      .move(1500, offsets)
      .hold(1500)
      .move(1500, { axialRotationDeg: -3.5 })
      .hold(4000);
    const n = new RestNeutral();
    const times = [5800, 9500, 13_800, 18_500];
    const channels = ["flexionDeg", "lateralBendDeg", "axialRotationDeg", "pelvisObliquityDeg"] as const;
    for (const c of channels) {
      // On the way down (2.5 s) the obliquity's neutral follows the reading, the lumbar angles count from 0.
      const [down, ...rest] = neutralAt(n, m, [2500, ...times], c);
      if (c === "pelvisObliquityDeg") expect(Math.abs(down - m.at(c, 2500))).toBeLessThan(REST_NEUTRAL_DEFAULTS.departDeg);
      else expect(down, c).toBe(0);
      for (const v of rest) expect(Math.abs(v - offsets[c]), c).toBeLessThan(0.05);
      n.reset();
    }
    expect(n.values.every((v) => v === 0)).toBe(true); // reset
  });

  it("standing (no posture change) the neutral is the standing plateau, not a later hinge hold (tolerance 0.05°)", () => {
    // A hinge down to 40° of pelvis tilt is a posture change: its hold is a new posture's first
    // plateau. Back up, the first standing plateau is the neutral again.
    const m = new Motion().hold(1500).move(1500, { pelvisTiltDeg: 40, flexionDeg: 12 }).hold(2000).move(1500, { pelvisTiltDeg: 0, flexionDeg: 0 }).hold(1500);
    const n = new RestNeutral();
    const [standing, hold, back] = neutralAt(n, m, [1400, 4900, 7900], "flexionDeg");
    expect(Math.abs(standing)).toBeLessThan(0.05);
    expect(Math.abs(hold - 12)).toBeLessThan(0.05);
    expect(Math.abs(back)).toBeLessThan(0.05);
  });
});

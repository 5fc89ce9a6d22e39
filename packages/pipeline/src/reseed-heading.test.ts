import { describe, expect, it } from "vitest";
import { quatAboutWorldVertical, quatFromAxisAngle, quatMultiply } from "@spinewatch/kinematics";
import type { QuatWxyz } from "@spinewatch/protocol";
import { ReseedHeading, twistAboutWorldVerticalRad } from "./reseed-heading.js";
import type { OrientedSample } from "./types.js";

const RAD = Math.PI / 180;
/** A sensor tilted 20° forward (about y), then turned `headingDeg` about world vertical. */
const pose = (headingDeg: number): QuatWxyz => quatMultiply(quatAboutWorldVertical(headingDeg * RAD), quatFromAxisAngle([0, 1, 0], 20 * RAD));
const sample = (sensorId: string, tMs: number, q: QuatWxyz): OrientedSample => ({ sensorId, tMs, quatWxyz: q, accMps2: [0, 0, 9.81], gyrDps: [0, 0, 0], fresh: true });

describe("ReseedHeading", () => {
  it("twistAboutWorldVerticalRad: the turn about world z between two orientations, whatever their tilt (tolerance 1e-9)", () => {
    const a = pose(10), b = quatMultiply(quatAboutWorldVertical(35 * RAD), a);
    expect(twistAboutWorldVerticalRad(b, a) / RAD).toBeCloseTo(35, 9);
    expect(twistAboutWorldVerticalRad(a, b) / RAD).toBeCloseTo(-35, 9);
    // A tilt change alone (about a horizontal world axis) is no turn.
    const tilted = quatMultiply(quatFromAxisAngle([1, 0, 0], 30 * RAD), a);
    expect(twistAboutWorldVerticalRad(tilted, a)).toBeCloseTo(0, 9);
    expect(twistAboutWorldVerticalRad(quatMultiply(quatAboutWorldVertical(-170 * RAD), a), a) / RAD).toBeCloseTo(-170, 9);
  });

  it("a sensor re-seeded after 800 ms away gets the turn the other sensor made meanwhile (tolerance 1e-9)", () => {
    const r = new ReseedHeading("sacrum", "thoracic");
    // Both at 100 Hz, the person turning at 5 °/s; the thoracic sensor lost from 1000 to 1800 ms.
    let turnRad = Number.NaN;
    for (let t = 0; t <= 2000; t += 10) {
      expect(r.next(sample("sacrum", t, pose(0.005 * t)), false, true)).toBe(0);
      if (t > 1000 && t < 1800) continue;
      // The re-seeded thoracic sensor kept its heading from before the gap (5°).
      const q = t < 1800 ? pose(0.005 * t) : pose(5 + 0.005 * (t - 1800));
      const turn = r.next(sample("thoracic", t, q), t === 1800, true);
      if (t === 1800) turnRad = turn;
      else expect(turn).toBe(0);
    }
    // The sacrum turned 4° between the thoracic sensor's last sample (1000 ms) and its re-seed.
    expect(turnRad / RAD).toBeCloseTo(4, 9);
  });

  it("carries nothing when the other sensor was away too, re-seeded or tilted over 10° over the span, when the trunk is not upright, or after reset", () => {
    const away = new ReseedHeading("a", "b");
    away.next(sample("a", 0, pose(0)), false, true);
    away.next(sample("b", 0, pose(0)), false, true);
    away.next(sample("a", 300, pose(10)), false, true); // b's last sample is 300 ms before a's re-seed... then a goes
    expect(away.next(sample("b", 900, pose(0)), true, true)).toBe(0); // a's latest is 600 ms old: not known

    const both = new ReseedHeading("a", "b");
    both.next(sample("a", 0, pose(0)), false, true);
    both.next(sample("b", 0, pose(0)), false, true);
    both.next(sample("a", 700, pose(10)), true, true); // a re-seeded after 700 ms: b had nothing since 0
    expect(both.next(sample("b", 710, pose(0)), true, true)).toBe(0); // b's span 0-710 covers a's re-seed

    // The other sensor pitched 30° over the span (mid-swing): its turn about vertical is no heading change.
    const pitched = new ReseedHeading("a", "b");
    pitched.next(sample("a", 0, pose(0)), false, true);
    pitched.next(sample("b", 0, pose(0)), false, true);
    pitched.next(sample("a", 700, quatMultiply(quatFromAxisAngle([0.1, 1, 0], 30 * RAD), pose(4))), false, true);
    expect(pitched.next(sample("b", 700, pose(0)), true, true)).toBe(0);

    // On all fours (not upright) the heading difference is lateral bend, which the person changes without turning.
    const down = new ReseedHeading("a", "b");
    down.next(sample("a", 0, pose(0)), false, false);
    down.next(sample("b", 0, pose(0)), false, false);
    down.next(sample("a", 700, pose(4)), false, false);
    expect(down.next(sample("b", 700, pose(0)), true, false)).toBe(0);

    const r = new ReseedHeading("a", "b");
    r.next(sample("a", 0, pose(0)), false, true);
    r.next(sample("b", 0, pose(0)), false, true);
    r.reset();
    r.next(sample("a", 700, pose(10)), false, true);
    expect(r.next(sample("b", 700, pose(0)), true, true)).toBe(0); // no sample of b before: nothing to carry
  });
});

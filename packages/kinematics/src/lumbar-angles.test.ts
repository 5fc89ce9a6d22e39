import type { QuatWxyz } from "@spinewatch/protocol";
import { describe, expect, it } from "vitest";
import type { SegmentCalibration } from "./calibration-types.js";
import { composeLumbarQuat, decomposeLumbarQuat, LumbarAngles } from "./lumbar-angles.js";
import { quatFromAxes, quatFromAxisAngle, quatMultiply, quatRotate } from "./quat.js";
import { forwardInclinationDeg, lateralInclinationDeg, quatAboutWorldVertical } from "./segment-inclination.js";
import { RAD_PER_DEG } from "./vec3.js";

/** Rotation angle between two unit quaternions (deg), accurate near 0 (atan2 of the relative quaternion). */
function rotationDiffDeg(a: Readonly<QuatWxyz>, b: Readonly<QuatWxyz>): number {
  const r = quatMultiply([a[0], -a[1], -a[2], -a[3]], b);
  return (2 * Math.atan2(Math.hypot(r[1], r[2], r[3]), Math.abs(r[0]))) / RAD_PER_DEG;
}

/** Upright segment in NWU: X north (anterior), Y up (superior), Z = X × Y = east = −y (right). */
const UPRIGHT: QuatWxyz = quatFromAxes([1, 0, 0], [0, 0, 1], [0, -1, 0]);
/** Segment orientation after a forward tilt (hip hinge) of `deg`: a negative rotation about segment Z. */
const tilted = (deg: number, heading = 0): QuatWxyz =>
  quatMultiply(quatAboutWorldVertical(heading * RAD_PER_DEG), quatMultiply(UPRIGHT, quatFromAxisAngle([0, 0, 1], -deg * RAD_PER_DEG)));

function identityCalibration(pelvisNeutralWorld: QuatWxyz = UPRIGHT): SegmentCalibration {
  return {
    sacrum: { sensorToSegment: [1, 0, 0, 0] },
    thoracic: { sensorToSegment: [1, 0, 0, 0] },
    thoracicWorldAlign: [1, 0, 0, 0],
    pelvisNeutralWorld,
    quality: { stillnessDps: 0 },
  };
}

describe("composeLumbarQuat / decomposeLumbarQuat", () => {
  it("recovers the angles within 1e-9° over a grid including extremes", () => {
    const flex = [-90, -60, -30, -1e-7, 0, 1e-7, 15, 45, 90, 119.999, 120];
    const lat = [-89.9, -60, -20, 0, 20, 45, 89.9];
    const axial = [-90, -45, -7, 0, 5, 45, 90];
    let worst = 0;
    for (const f of flex) for (const l of lat) for (const a of axial) {
      const d = decomposeLumbarQuat(composeLumbarQuat(f, l, a));
      worst = Math.max(worst, Math.abs(d.flexionDeg - f), Math.abs(d.lateralBendDeg - l), Math.abs(d.axialRotationDeg - a));
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it("is insensitive to the quaternion's sign (q and −q are the same rotation)", () => {
    const q = composeLumbarQuat(30, -12, 6);
    const d = decomposeLumbarQuat([-q[0], -q[1], -q[2], -q[3]]);
    expect(d.flexionDeg).toBeCloseTo(30, 9);
    expect(d.lateralBendDeg).toBeCloseTo(-12, 9);
    expect(d.axialRotationDeg).toBeCloseTo(6, 9);
  });

  it("forward flexion moves the thorax's superior axis anteriorly (+X)", () => {
    const y = quatRotate(composeLumbarQuat(30, 0, 0), [0, 1, 0]);
    expect(y[0]).toBeCloseTo(Math.sin(30 * RAD_PER_DEG), 12);
    expect(y[2]).toBeCloseTo(0, 12);
    expect(quatRotate(composeLumbarQuat(-20, 0, 0), [0, 1, 0])[0]).toBeLessThan(0); // extension: posterior
  });

  it("right lateral bend moves the thorax's superior axis to the right (+Z)", () => {
    const y = quatRotate(composeLumbarQuat(0, 20, 0), [0, 1, 0]);
    expect(y[2]).toBeCloseTo(Math.sin(20 * RAD_PER_DEG), 12);
    expect(y[0]).toBeCloseTo(0, 12);
  });

  it("right axial rotation turns the thorax's anterior axis to the right (+Z)", () => {
    const x = quatRotate(composeLumbarQuat(0, 0, 10), [1, 0, 0]);
    expect(x[2]).toBeCloseTo(Math.sin(10 * RAD_PER_DEG), 12);
    expect(x[1]).toBeCloseTo(0, 12);
  });

  it("gimbal lock (lateral bend ±90°): finite angles, axial 0, recompose to the same rotation within 1e-9°", () => {
    for (const l of [90, -90]) for (const f of [-40, 0, 25, 100]) for (const a of [-30, 0, 12]) {
      const q = composeLumbarQuat(f, l, a);
      const d = decomposeLumbarQuat(q);
      expect(Number.isFinite(d.flexionDeg) && Number.isFinite(d.axialRotationDeg)).toBe(true);
      expect(d.lateralBendDeg).toBeCloseTo(l, 9);
      expect(d.axialRotationDeg).toBe(0);
      // All of the ambiguous rotation goes into flexion: f + a at +90°, f − a at −90°.
      expect(d.flexionDeg).toBeCloseTo(l > 0 ? f + a : f - a, 9);
      expect(rotationDiffDeg(q, composeLumbarQuat(d.flexionDeg, d.lateralBendDeg, d.axialRotationDeg))).toBeLessThan(1e-9);
    }
  });

  it("near gimbal lock (within 1e-6..1e-12 rad of ±90°) returns finite angles that recompose within 1e-9°", () => {
    for (const eps of [1e-6, 1e-8, 1e-10, 1e-11, 1e-12]) for (const sign of [1, -1]) {
      const l = sign * (90 - eps / RAD_PER_DEG);
      const q = composeLumbarQuat(33, l, -17);
      const d = decomposeLumbarQuat(q);
      expect(Number.isFinite(d.flexionDeg) && Number.isFinite(d.lateralBendDeg) && Number.isFinite(d.axialRotationDeg)).toBe(true);
      expect(rotationDiffDeg(q, composeLumbarQuat(d.flexionDeg, d.lateralBendDeg, d.axialRotationDeg))).toBeLessThan(1e-9);
    }
  });
});

describe("forwardInclinationDeg", () => {
  it("is the forward tilt of Y, independent of heading, negative leaning back", () => {
    for (const heading of [0, 73, -150]) {
      expect(forwardInclinationDeg(tilted(35, heading))).toBeCloseTo(35, 9);
      expect(forwardInclinationDeg(tilted(-12, heading))).toBeCloseTo(-12, 9);
      expect(forwardInclinationDeg(tilted(110, heading))).toBeCloseTo(110, 9);
    }
  });
});

describe("forwardInclinationDeg in the segment's sagittal plane", () => {
  it("ignores a pure lateral lean; after a lean, a tilt about the segment's own Z is the inclination", () => {
    // Heading 30°, lateral lean about X, then forward tilt about the (leaned) Z axis.
    const lean = (forwardDeg: number, lateralDeg: number): QuatWxyz =>
      quatMultiply(
        quatMultiply(tilted(0, 30), quatFromAxisAngle([1, 0, 0], lateralDeg * RAD_PER_DEG)),
        quatFromAxisAngle([0, 0, 1], -forwardDeg * RAD_PER_DEG),
      );
    expect(forwardInclinationDeg(lean(0, 25))).toBeCloseTo(0, 9);
    expect(forwardInclinationDeg(lean(40, 20))).toBeCloseTo(40, 9);
    expect(forwardInclinationDeg(lean(-15, -20))).toBeCloseTo(-15, 9);
  });
});

describe("lateralInclinationDeg", () => {
  // A roll about the segment's own Y (superior) axis, ISB sign: X toward +Z ("turned right") is
  // a negative right-hand rotation about Y, which lifts Z toward −X.
  const rolled = (tiltDeg: number, rollDeg: number, heading = 0): QuatWxyz =>
    quatMultiply(tilted(tiltDeg, heading), quatFromAxisAngle([0, 1, 0], -rollDeg * RAD_PER_DEG));

  it("is 0 through any sagittal movement and at any heading (tolerance 1e-9°)", () => {
    for (const heading of [0, 73, -150]) for (const tilt of [-20, 0, 45, 85, 110]) expect(lateralInclinationDeg(tilted(tilt, heading))).toBeCloseTo(0, 9);
  });

  it("standing: a frontal tilt about X raises or drops the right side by the tilt (1e-9°)", () => {
    // Positive rotation about X moves Y toward +Z (leaning right) and Z toward −Y: right side down.
    const lean = (deg: number) => quatMultiply(UPRIGHT, quatFromAxisAngle([1, 0, 0], deg * RAD_PER_DEG));
    expect(lateralInclinationDeg(lean(7))).toBeCloseTo(-7, 9);
    expect(lateralInclinationDeg(lean(-3))).toBeCloseTo(3, 9);
  });

  it("on all fours (superior axis horizontal) a roll about the long axis is the inclination (1e-9°)", () => {
    // Tilted 90°: X points down, so a roll lifting Z toward −X lifts the right side by the roll.
    expect(lateralInclinationDeg(rolled(90, 2.5))).toBeCloseTo(2.5, 9);
    expect(lateralInclinationDeg(rolled(90, -1, 40))).toBeCloseTo(-1, 9);
    // Standing, the same roll is a turn about vertical: no inclination.
    expect(lateralInclinationDeg(rolled(0, 10))).toBeCloseTo(0, 9);
    // In between, sin(inclination) = sin(roll)·sin(tilt).
    expect(lateralInclinationDeg(rolled(30, 10))).toBeCloseTo(Math.asin(Math.sin(10 * RAD_PER_DEG) * 0.5) / RAD_PER_DEG, 9);
  });
});

describe("LumbarAngles", () => {
  it("a pure hip hinge gives pelvis tilt > 0 with zero lumbar flexion", () => {
    const p = new LumbarAngles(identityCalibration());
    const f = p.next(10, tilted(40), tilted(40));
    expect(f.pelvisTiltDeg).toBeCloseTo(40, 9);
    expect(f.flexionDeg).toBeCloseTo(0, 9);
    expect(f.lateralBendDeg).toBeCloseTo(0, 9);
    expect(f.axialRotationDeg).toBeCloseTo(0, 9);
    expect(f.thoraxInclinationDeg).toBeCloseTo(40, 9);
    expect(f.tMs).toBe(10);
  });

  it("thorax inclination = pelvis tilt + lumbar flexion in a sagittal movement, at any heading", () => {
    const p = new LumbarAngles(identityCalibration(), { headingTracking: false });
    for (const [tilt, flex, heading] of [[30, 20, 0], [55, -10, 120], [-5, 35, -60], [70, 45, 10]]) {
      const pelvis = tilted(tilt, heading);
      const thorax = quatMultiply(pelvis, composeLumbarQuat(flex, 0, 0));
      const f = p.next(0, pelvis, thorax);
      expect(f.pelvisTiltDeg).toBeCloseTo(tilt, 9);
      expect(f.flexionDeg).toBeCloseTo(flex, 9);
      expect(f.thoraxInclinationDeg).toBeCloseTo(tilt + flex, 9);
    }
  });

  it("applies sensorToSegment, thoracicWorldAlign and the neutral pelvis tilt; fills relQuatWxyz", () => {
    const s2sSacrum = quatFromAxisAngle([0.6, 0, 0.8], 0.7);
    const s2sThoracic = quatFromAxisAngle([0, 1, 0], -1.1);
    const align = quatAboutWorldVertical(0.9);
    const cal: SegmentCalibration = {
      sacrum: { sensorToSegment: s2sSacrum },
      thoracic: { sensorToSegment: s2sThoracic },
      thoracicWorldAlign: align,
      pelvisNeutralWorld: tilted(5),
      quality: { stillnessDps: 0.2 },
    };
    const pelvisSeg = tilted(25, 40);
    const rel = composeLumbarQuat(18, -7, 4);
    const thoraxSeg = quatMultiply(pelvisSeg, rel);
    // Sensor orientations that these segments imply: q_sensor = q_seg ⊗ s2s⁻¹ (thoracic in its own world).
    const sacrumSensor = quatMultiply(pelvisSeg, [s2sSacrum[0], -s2sSacrum[1], -s2sSacrum[2], -s2sSacrum[3]]);
    const thoracicSensor = quatMultiply(quatMultiply([align[0], 0, 0, -align[3]], thoraxSeg), [s2sThoracic[0], -s2sThoracic[1], -s2sThoracic[2], -s2sThoracic[3]]);
    const f = new LumbarAngles(cal, { headingTracking: false }).next(0, sacrumSensor, thoracicSensor);
    expect(f.flexionDeg).toBeCloseTo(18, 9);
    expect(f.lateralBendDeg).toBeCloseTo(-7, 9);
    expect(f.axialRotationDeg).toBeCloseTo(4, 9);
    expect(f.pelvisTiltDeg).toBeCloseTo(20, 9); // 25° hinge from a 5° neutral
    expect(rotationDiffDeg(f.relQuatWxyz, rel)).toBeLessThan(1e-9);
  });

  it("next returns a fresh frame each call; nextInto reuses the caller's", () => {
    const p = new LumbarAngles(identityCalibration());
    const a = p.next(0, tilted(10), tilted(10));
    const b = p.next(10, tilted(20), tilted(20));
    expect(a).not.toBe(b);
    expect(a.pelvisTiltDeg).toBeCloseTo(10, 9);
    const out = p.next(20, UPRIGHT, UPRIGHT);
    const rel = out.relQuatWxyz;
    expect(p.nextInto(30, tilted(5), tilted(5), out)).toBe(out);
    expect(out.relQuatWxyz).toBe(rel);
  });

  it("bounds a 0.3 °/s thoracic heading drift by default (axial error < 1° after 60 s of swings); off, it grows past 20°", () => {
    const run = (headingTracking: boolean): number => {
      const p = new LumbarAngles(identityCalibration(), { headingTracking });
      let worst = 0;
      for (let i = 0; i < 120 * 50; i++) {
        const tS = i / 50;
        const hinge = 0.5 - 0.5 * Math.cos(2 * Math.PI * 0.6 * tS);
        const axial = 5 * Math.sin(2 * Math.PI * 0.25 * tS);
        const pelvis = tilted(45 * hinge, 20 * Math.sin(tS / 10));
        const thorax = quatMultiply(pelvis, composeLumbarQuat(15 * hinge, 3 * Math.sin(tS), axial));
        const drifted = quatMultiply(quatAboutWorldVertical(0.3 * tS * RAD_PER_DEG), thorax);
        const f = p.next(tS * 1000, pelvis, drifted);
        if (tS > 60) worst = Math.max(worst, Math.abs(f.axialRotationDeg - axial));
      }
      return worst;
    };
    expect(run(true)).toBeLessThan(1);
    expect(run(false)).toBeGreaterThan(20);
  });

  it("rejects a calibration whose quaternions are not unit", () => {
    const cal = identityCalibration();
    cal.thoracicWorldAlign = [2, 0, 0, 0];
    expect(() => new LumbarAngles(cal)).toThrow(/thoracicWorldAlign is not a unit quaternion/);
  });
});


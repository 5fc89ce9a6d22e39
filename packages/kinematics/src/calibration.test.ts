import type { MountPreset } from "@spinewatch/protocol";
import { describe, expect, it } from "vitest";
import type { SegmentCalibration } from "./calibration-types.js";
import { refineWithBend } from "./functional-bend.js";
import { LumbarAngles } from "./lumbar-angles.js";
import { mountPresetToSensorToSegment } from "./mount-preset.js";
import { calibrateNeutral } from "./neutral-calibration.js";
import { quatFromAxisAngle, quatMultiply } from "./quat.js";
import { forwardInclinationDeg } from "./segment-inclination.js";
import {
  downAndUp,
  poseSegments,
  posesOver,
  randomRotation,
  rng,
  trunkWindows,
  type SyntheticSensor,
  type TrunkPose,
} from "./synthetic-trunk.test-support.js";
import { normalize, RAD_PER_DEG } from "./vec3.js";

const RATE_HZ = 100;
const MOUNTS: { sacrum: MountPreset; thoracic: MountPreset } = {
  sacrum: { up: "+x", out: "+z" }, // CONTRACTS.md §1 example (WitMotion flat on the skin)
  thoracic: { up: "-y", out: "-z" },
};

function sensorsWithMountingError(seed: number, errorDeg = 15): { sacrum: SyntheticSensor; thoracic: SyntheticSensor } {
  const r = rng(seed);
  const make = (mount: MountPreset, heading: number): SyntheticSensor => ({
    // Undeclared mounting error: the true segment axes are the preset's turned by errorDeg about a random axis.
    segInSensor: quatMultiply(randomRotation(errorDeg, r), mountPresetToSensorToSegment(mount)),
    filterHeadingDeg: heading,
    gyroBiasDps: [r.gauss() * 0.5, r.gauss() * 0.5, r.gauss() * 0.5],
    gyroNoiseDps: 0.1,
    accNoiseMps2: 0.02,
  });
  return { sacrum: make(MOUNTS.sacrum, 360 * r.uniform() - 180), thoracic: make(MOUNTS.thoracic, 360 * r.uniform() - 180) };
}

/** Standing tall with a little postural sway (±0.3°). */
const neutralPoses = (durationS = 3): TrunkPose[] =>
  posesOver(durationS, RATE_HZ, (t) => ({ pelvisTiltDeg: 0.3 * Math.sin(2 * Math.PI * 0.3 * t), flexionDeg: 0.2 * Math.sin(2 * Math.PI * 0.45 * t) }));

/** A slow forward bend and return: hips 45°, lumbar 40° at the bottom. */
const bendPoses = (scale = 1, extra: (u: number) => Partial<TrunkPose> = () => ({})): TrunkPose[] =>
  posesOver(8, RATE_HZ, (t) => ({ pelvisTiltDeg: 45 * scale * downAndUp(t / 8), flexionDeg: 40 * scale * downAndUp(t / 8), ...extra(t / 8) }));

/** The evaluation movement: hinge with lumbar flexion, lateral bend, rotation and turning. */
const evaluationPoses = (): TrunkPose[] =>
  posesOver(12, RATE_HZ, (t) => ({
    pelvisTiltDeg: 40 * downAndUp(t / 6),
    flexionDeg: 35 * downAndUp(t / 4) - 8 * downAndUp(t / 12),
    lateralBendDeg: 15 * Math.sin((2 * Math.PI * t) / 5),
    axialRotationDeg: 8 * Math.sin((2 * Math.PI * t) / 4),
    headingDeg: 30 * Math.sin((2 * Math.PI * t) / 12),
  }));

/** Largest |error| of each angle between LumbarAngles on the sensors' filter output and the truth. */
function worstErrors(cal: SegmentCalibration, sensors: { sacrum: SyntheticSensor; thoracic: SyntheticSensor }, seed: number): Record<string, number> {
  const poses = evaluationPoses();
  const w = trunkWindows(poses, sensors, RATE_HZ, rng(seed));
  const angles = new LumbarAngles(cal, { headingTracking: false });
  const worst: Record<string, number> = { flexionDeg: 0, lateralBendDeg: 0, axialRotationDeg: 0, pelvisTiltDeg: 0, thoraxInclinationDeg: 0 };
  poses.forEach((p, i) => {
    const f = angles.next(i * 10, w.sacrum.quatWxyz[i], w.thoracic.quatWxyz[i]);
    const truth = { ...p, thoraxInclinationDeg: forwardInclinationDeg(poseSegments(p).thorax) };
    for (const k of Object.keys(worst)) worst[k] = Math.max(worst[k], Math.abs((f as unknown as Record<string, number>)[k] - (truth as unknown as Record<string, number>)[k]));
  });
  return worst;
}

function calibrate(sensors: { sacrum: SyntheticSensor; thoracic: SyntheticSensor }, seed: number): { neutral: SegmentCalibration; refined: SegmentCalibration } {
  const r = rng(seed);
  const n = calibrateNeutral({ ...trunkWindows(neutralPoses(), sensors, RATE_HZ, r), mounts: MOUNTS });
  if (!n.ok) throw new Error(`neutral refused: ${n.reasons.join("; ")}`);
  const b = refineWithBend(n.calibration, trunkWindows(bendPoses(), sensors, RATE_HZ, r));
  if (!b.ok) throw new Error(`bend refused: ${b.reasons.join("; ")}`);
  return { neutral: n.calibration, refined: b.calibration };
}

describe("calibrateNeutral + refineWithBend on synthetic sensors", () => {
  it("recovers an undeclared 15° mounting error (random axes, 6 seeds): every angle within 0.5° through a bend with lateral bend and rotation", () => {
    for (let seed = 1; seed <= 6; seed++) {
      const sensors = sensorsWithMountingError(seed);
      const { refined } = calibrate(sensors, 100 + seed);
      const worst = worstErrors(refined, sensors, 200 + seed);
      for (const [k, v] of Object.entries(worst)) expect(v, `seed ${seed} ${k}`).toBeLessThan(0.5);
      expect(refined.quality.bendPlanarity).toBeGreaterThan(0.95);
      expect(refined.quality.stillnessDps).toBeLessThan(1);
    }
  });

  it("neutral alone cannot see a mounting error about the vertical axis; the bend removes it", () => {
    const r = rng(7);
    const about = (axis: [number, number, number], mount: MountPreset): SyntheticSensor => ({
      segInSensor: quatMultiply(quatFromAxisAngle(normalize(axis), 15 * RAD_PER_DEG), mountPresetToSensorToSegment(mount)),
      filterHeadingDeg: 360 * r.uniform(),
      gyroBiasDps: [0.3, -0.2, 0.1],
      gyroNoiseDps: 0.1,
      accNoiseMps2: 0.02,
    });
    // Mostly a yaw error about each sensor's own up axis (sacrum +x, thoracic −y), opposite senses.
    const sensors = { sacrum: about([1, 0.2, 0.1], MOUNTS.sacrum), thoracic: about([0.1, 1, -0.2], MOUNTS.thoracic) };
    const { neutral, refined } = calibrate(sensors, 8);
    const before = worstErrors(neutral, sensors, 9);
    const after = worstErrors(refined, sensors, 9);
    expect(Math.max(before.lateralBendDeg, before.axialRotationDeg)).toBeGreaterThan(3);
    for (const [k, v] of Object.entries(after)) expect(v, k).toBeLessThan(0.5);
    expect(refined.quality.mountCorrectionDeg?.sacrum).toBeGreaterThan(10);
    expect(refined.quality.mountCorrectionDeg?.thoracic).toBeGreaterThan(10);
  });

  it("refuses a neutral calibration taken while moving, with the reason", () => {
    const sensors = sensorsWithMountingError(11);
    const moving = posesOver(3, RATE_HZ, (t) => ({ flexionDeg: 20 * Math.sin(2 * Math.PI * 0.7 * t), pelvisTiltDeg: 10 * Math.sin(2 * Math.PI * 0.7 * t) }));
    const out = calibrateNeutral({ ...trunkWindows(moving, sensors, RATE_HZ, rng(12)), mounts: MOUNTS });
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.reasons.join("\n")).toMatch(/^thoracic moved during neutral: gyro RMS \d+\.\d °\/s > 3 °\/s$/m);
      expect(out.reasons.join("\n")).toMatch(/^sacrum moved during neutral/m);
    }
  });

  it("refuses slow leaning during neutral even when the gyro looks quiet", () => {
    const sensors = sensorsWithMountingError(13);
    const leaning = posesOver(3, RATE_HZ, (t) => ({ pelvisTiltDeg: 2.5 * t })); // 2.5 °/s
    const out = calibrateNeutral({ ...trunkWindows(leaning, sensors, RATE_HZ, rng(14)), mounts: MOUNTS });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.reasons.join("\n")).toMatch(/sacrum moved during neutral: gravity direction wandered/);
  });

  it("refuses bad windows and presets with one-line reasons", () => {
    const sensors = sensorsWithMountingError(15);
    const w = trunkWindows(neutralPoses(), sensors, RATE_HZ, rng(16));
    const bad = calibrateNeutral({ sacrum: { ...w.sacrum, gyrDps: w.sacrum.gyrDps.slice(1) }, thoracic: w.thoracic, mounts: { sacrum: MOUNTS.sacrum, thoracic: { up: "+z", out: "-z" } } });
    expect(bad).toEqual({
      ok: false,
      reasons: [
        "sacrum: window arrays differ in length (accMps2 300, gyrDps 299, quatWxyz 300)",
        "thoracic: mount preset {up: +z, out: -z}: up and out are parallel; they must be two different sensor axes",
      ],
    });
    const wrongPreset = calibrateNeutral({ ...w, mounts: { sacrum: { up: "-x", out: "+z" }, thoracic: MOUNTS.thoracic } });
    expect(wrongPreset.ok).toBe(false);
    if (!wrongPreset.ok) expect(wrongPreset.reasons[0]).toMatch(/^sacrum: gravity is 1\d\d° from the mount preset's up axis/);
    const inG = calibrateNeutral({ ...w, sacrum: { ...w.sacrum, accMps2: w.sacrum.accMps2.map((a) => [a[0] / 9.80665, a[1] / 9.80665, a[2] / 9.80665]) }, mounts: MOUNTS });
    expect(inG.ok).toBe(false);
    if (!inG.ok) expect(inG.reasons[0]).toMatch(/^sacrum: mean accelerometer reads 1\.00 m\/s²/);
    const short = calibrateNeutral({ ...trunkWindows(neutralPoses(0.5), sensors, RATE_HZ, rng(17)), mounts: MOUNTS });
    expect(short.ok).toBe(false);
    if (!short.ok) expect(short.reasons).toContain("sacrum: window has 50 samples, at least 100 needed");
  });

  it("refuses a bend that was not a bend, not planar, backward, or where the sensors disagree", () => {
    const sensors = sensorsWithMountingError(21);
    const r = rng(22);
    const n = calibrateNeutral({ ...trunkWindows(neutralPoses(), sensors, RATE_HZ, r), mounts: MOUNTS });
    expect(n.ok).toBe(true);
    if (!n.ok) return;
    const cal = n.calibration;
    const reasons2 = (s: typeof sensors, poses = bendPoses()): string => {
      const out = refineWithBend(cal, trunkWindows(poses, s, RATE_HZ, r));
      return out.ok ? "accepted" : out.reasons.join("\n");
    };
    const reasons = (poses: TrunkPose[]): string => reasons2(sensors, poses);
    expect(reasons(bendPoses(0.2))).toMatch(/^sacrum: the bend was not a bend: \d+\.\d° about its main axis < 20°$/m);
    // A bend with as much lateral sway as flexion is not planar.
    expect(reasons(bendPoses(1, (u) => ({ lateralBendDeg: 35 * Math.sin(4 * Math.PI * u), axialRotationDeg: 20 * Math.sin(6 * Math.PI * u) }))))
      .toMatch(/^thoracic: the bend was not planar/m);
    // Backward bend (extension with the hips going back) gives the opposite forward axis.
    expect(reasons(bendPoses(-0.8))).toMatch(/functional forward axis is 1\d\d° from the neutral calibration's/);
    expect(reasons(bendPoses())).toBe("accepted");
    // The thoracic sensor slipped 38° about the spine between neutral and bend (its filter follows it).
    const slipped = { ...sensors, thoracic: { ...sensors.thoracic, segInSensor: quatMultiply(sensors.thoracic.segInSensor, quatFromAxisAngle([0, 1, 0], -38 * RAD_PER_DEG)) } };
    expect(reasons2(slipped)).toMatch(/^bend: the relative heading of the sensors changed by 3[78]° between neutral and bend \(> 20°\)/);
    // The relative heading drifted 30° between neutral and the bend.
    const drifted = { ...sensors, thoracic: { ...sensors.thoracic, filterHeadingDeg: sensors.thoracic.filterHeadingDeg + 30 } };
    expect(reasons2(drifted)).toMatch(/^bend: the relative heading of the sensors changed by (29|30|31)°/);
    // Mount yaw errors 45° apart (thoracic 40° one way, sacrum 8° the other), present from neutral on.
    const yaw = (s: SyntheticSensor, deg: number): SyntheticSensor => ({ ...s, segInSensor: quatMultiply(s.segInSensor, quatFromAxisAngle([0, 1, 0], deg * RAD_PER_DEG)) });
    const apart = { sacrum: yaw(sensors.sacrum, 8), thoracic: yaw(sensors.thoracic, -40) };
    const nApart = calibrateNeutral({ ...trunkWindows(neutralPoses(), apart, RATE_HZ, r), mounts: MOUNTS });
    expect(nApart.ok).toBe(true);
    if (!nApart.ok) return;
    const outApart = refineWithBend(nApart.calibration, trunkWindows(bendPoses(), apart, RATE_HZ, r));
    expect(outApart.ok ? "accepted" : outApart.reasons.join("\n")).toMatch(/^bend: the sacrum and thoracic sensors disagree: their forward axes need corrections 4\d° apart \(> 35°\)/);
  });

  it("keeps the neutral quality figures and reports the bend's", () => {
    const sensors = sensorsWithMountingError(31);
    const { neutral, refined } = calibrate(sensors, 32);
    expect(refined.quality.stillnessDps).toBe(neutral.quality.stillnessDps);
    expect(neutral.quality.residualDeg).toBeLessThan(0.5);
    expect(Object.keys(refined.quality.mountCorrectionDeg ?? {})).toEqual(["sacrum", "thoracic"]);
    expect(refined.quality.residualDeg).toBeLessThan(2);
  });
});


import type { QuatWxyz, SampleLine, TruthLine, Vec3 } from "@spinewatch/protocol";
import {
  composeLumbarQuat,
  decomposeLumbarQuat,
  mountPresetToSensorToSegment,
  quatAngleBetweenDeg,
  quatConjugate,
  quatFromRotationVector,
  quatMultiply,
  quatNormalize,
  quatRelative,
  RAD_PER_DEG,
} from "@spinewatch/kinematics";
import { describe, expect, it } from "vitest";
import { DEFAULT_BODY_GEOMETRY } from "./body-geometry.js";
import { MotionPlan } from "./motion-plan.js";
import { getScenario, type ScenarioName } from "./scenarios/index.js";
import { SeededRandom } from "./seeded-random.js";
import { simulateSession } from "./simulate-session.js";
import { STANDARD_GRAVITY_MPS2 } from "@spinewatch/protocol";
import { SEGMENT_NEUTRAL_IN_WORLD, TrunkModel } from "./trunk-model.js";

const MOUNT = { up: "+x", out: "+z" } as const;

function perfectSession(scenario: ScenarioName, durationS: number) {
  const samples: Record<string, SampleLine[]> = { sacrum: [], thoracic: [] };
  const truth: TruthLine[] = [];
  for (const line of simulateSession({ scenario, durationS, device: "generic", errorModel: "none", seed: 7 })) {
    if (line.type === "sample") samples[line.sensor].push(line);
    else if (line.type === "truth") truth.push(line);
  }
  return { samples, truth };
}

/** Integrates body rates with the trapezoidal rate over each step: q ⊗ exp(ω̄ dt). */
function integrateGyro(lines: SampleLine[], q0: QuatWxyz): QuatWxyz[] {
  const out: QuatWxyz[] = [q0];
  let q = q0;
  for (let k = 1; k < lines.length; k++) {
    const dtS = (lines[k].tMs - lines[k - 1].tMs) / 1000;
    const w = lines[k].gyrDps.map((g, i) => 0.5 * (g + lines[k - 1].gyrDps[i]) * RAD_PER_DEG * dtS) as Vec3;
    q = quatNormalize(quatMultiply(q, quatFromRotationVector(w)));
    out.push(q);
  }
  return out;
}

describe("trunk model ground truth (errorModel 'none')", () => {
  const { samples, truth } = perfectSession("kettlebell-swing", 30);
  const S = mountPresetToSensorToSegment(MOUNT);
  // At t = 0 the person stands in neutral facing north: q_sensorWorld = q_segNeutral ⊗ S*.
  const q0 = quatMultiply(SEGMENT_NEUTRAL_IN_WORLD, quatConjugate(S));

  it("samples and truth share the 10 ms grid when the sensor is perfect", () => {
    expect(samples.sacrum.length).toBe(3000);
    expect(samples.thoracic.length).toBe(3000);
    expect(truth.length).toBe(3000);
    expect(samples.thoracic[1234].tMs).toBe(12340);
    expect(truth[1234].tMs).toBe(12340);
  });

  it("the gyroscope integrates to the simulated orientation: lumbar angles within 0.05° over 30 s of swings", () => {
    const pel = integrateGyro(samples.sacrum, q0);
    const tho = integrateGyro(samples.thoracic, q0);
    let worst = 0;
    for (let k = 0; k < truth.length; k++) {
      const rel = quatRelative(quatMultiply(pel[k], S), quatMultiply(tho[k], S));
      const a = decomposeLumbarQuat(rel);
      const t = truth[k];
      worst = Math.max(worst, Math.abs(a.flexionDeg - t.flexionDeg), Math.abs(a.lateralBendDeg - t.lateralBendDeg), Math.abs(a.axialRotationDeg - t.axialRotationDeg));
    }
    // Tolerance 0.05° (measured 0.002°): trapezoidal integration of 100 Hz samples at up to
    // ~250 °/s leaves a small coning error; a gyro inconsistent with the orientation would be off by degrees.
    expect(worst).toBeLessThan(0.05);
    expect(worst).toBeGreaterThan(0); // (the comparison really ran on moving data)
  });

  it("a still sensor's accelerometer reads gravity along the spine's up axis (±0.001 m/s²)", () => {
    for (const id of ["sacrum", "thoracic"]) {
      for (const s of samples[id].filter((l) => l.tMs >= 500 && l.tMs < 3500)) {
        expect(Math.abs(s.accMps2[0] - STANDARD_GRAVITY_MPS2)).toBeLessThan(1e-3);
        expect(Math.abs(s.accMps2[1])).toBeLessThan(1e-3);
        expect(Math.abs(s.accMps2[2])).toBeLessThan(1e-3);
        expect(Math.hypot(...s.gyrDps)).toBeLessThan(1e-3);
      }
    }
  });

  it("the accelerometers see real linear acceleration during swings (the thoracic sensor most)", () => {
    const dev = (id: string) => Math.max(...samples[id].map((s) => Math.abs(Math.hypot(...s.accMps2) - STANDARD_GRAVITY_MPS2)));
    expect(dev("thoracic")).toBeGreaterThan(3); // DESIGN.md: 3-5 m/s² and more on top of gravity
    expect(dev("thoracic")).toBeGreaterThan(dev("sacrum"));
    const peakGyr = Math.max(...samples.thoracic.map((s) => Math.hypot(...s.gyrDps)));
    expect(peakGyr).toBeGreaterThan(150);
    expect(peakGyr).toBeLessThan(400); // DESIGN.md: "up to ~250 °/s"
  });
});

describe("trunk model geometry", () => {
  const scenario = getScenario("side-bends");
  const model = new TrunkModel(new MotionPlan(scenario.script, new SeededRandom(3), 60_000), DEFAULT_BODY_GEOMETRY);

  it("composing the truth angles reproduces the relative segment orientation (within 1e-9°)", () => {
    for (let t = 0; t < 60_000; t += 137) {
      const p = model.plan.poseAt(t);
      const s = model.stateAt(t);
      const rel = quatRelative(s.pelvis, s.thorax);
      expect(quatAngleBetweenDeg(rel, composeLumbarQuat(p.flexionDeg, p.lateralBendDeg, p.axialRotationDeg))).toBeLessThan(1e-6);
    }
  });

  it("standing neutral puts the T12 sensor 0.47 m above the hip and 14 cm behind it", () => {
    const s = model.stateAt(0);
    expect(s.thoracicSensorM[2] - s.hipM[2]).toBeCloseTo(0.47, 6);
    expect(s.thoracicSensorM[0]).toBeCloseTo(-0.14, 6);
  });
});

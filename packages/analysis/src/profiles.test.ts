import { EXERCISE_NAMES } from "@spinewatch/protocol";
import { describe, expect, it } from "vitest";
import { EXERCISE_PROFILES, getExerciseProfile } from "./profiles.js";
import { toAxisLimits, validateLimits } from "./range-limits.js";

describe("exercise profiles", () => {
  it("has a consistent profile for every exercise name", () => {
    for (const name of EXERCISE_NAMES) {
      const p = getExerciseProfile(name);
      expect(p.name).toBe(name);
      expect(p.reps !== null || p.holds !== null).toBe(true);
      for (const v of Object.values(toAxisLimits(p.limits))) expect(v).toBeGreaterThan(0);
      if (p.holds) expect(p.holds.targetMs).toBeGreaterThanOrEqual(p.holds.minMs);
      if (p.reps) expect(p.reps.exitFraction).toBeLessThan(1);
    }
    expect(Object.keys(EXERCISE_PROFILES).sort()).toEqual([...EXERCISE_NAMES].sort());
  });

  it("keeps the swing's lumbar flexion limit at the unassessed 20-25° default", () => {
    const swing = getExerciseProfile("kettlebell-swing");
    expect(swing.limits.flexionDeg).toBeGreaterThanOrEqual(20);
    expect(swing.limits.flexionDeg).toBeLessThanOrEqual(25);
    expect(swing.reps?.signal).toBe("pelvisTilt");
    expect(getExerciseProfile("bird-dog").holds?.targetMs).toBe(10_000);
  });

  it("rejects an unknown exercise with the list of valid names", () => {
    expect(() => getExerciseProfile("burpee")).toThrow(
      `unknown exercise "burpee"; valid exercises: ${EXERCISE_NAMES.join(", ")}`,
    );
  });

  it("validates limits field by field", () => {
    expect(validateLimits({ flexionDeg: 30, rotationLeftDeg: 4 })).toEqual({ flexionDeg: 30, rotationLeftDeg: 4 });
    expect(() => validateLimits({ flexionDeg: -3 }, "header limits")).toThrow(
      "header limits: flexionDeg must be a positive number of degrees, got -3",
    );
    expect(() => validateLimits({ flexion: 20 })).toThrow('limits: unknown field "flexion"');
    expect(() => validateLimits("20")).toThrow("limits: expected an object");
  });

  it("expands side-specific limits over the shared ones", () => {
    expect(
      toAxisLimits({ flexionDeg: 20, extensionDeg: 10, lateralBendDeg: 15, axialRotationDeg: 6, lateralBendRightDeg: 12 }),
    ).toEqual({ flexion: 20, extension: 10, lateralBendLeft: 15, lateralBendRight: 12, rotationLeft: 6, rotationRight: 6 });
  });
});

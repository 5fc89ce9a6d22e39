/**
 * Tolerated range of lumbar motion, in degrees, each a positive magnitude (CONTRACTS.md §1).
 * `lateralBendDeg` and `axialRotationDeg` apply to both sides unless the side-specific field
 * is given.
 */
export interface RangeLimits {
  flexionDeg: number;
  extensionDeg: number;
  lateralBendDeg: number;
  axialRotationDeg: number;
  lateralBendLeftDeg?: number;
  lateralBendRightDeg?: number;
  rotationLeftDeg?: number;
  rotationRightDeg?: number;
}

/** The six directions a tolerated-range warning can be about (CONTRACTS.md §2). */
export type RangeAxis =
  | "flexion"
  | "extension"
  | "lateralBendLeft"
  | "lateralBendRight"
  | "rotationLeft"
  | "rotationRight";

export const RANGE_AXES: readonly RangeAxis[] = [
  "flexion",
  "extension",
  "lateralBendLeft",
  "lateralBendRight",
  "rotationLeft",
  "rotationRight",
];

/** One limit per direction, degrees (positive magnitudes). */
export type AxisLimits = Record<RangeAxis, number>;

/** Expands RangeLimits to the six directions (side-specific fields win over the shared ones). */
export function toAxisLimits(limits: RangeLimits): AxisLimits {
  return {
    flexion: limits.flexionDeg,
    extension: limits.extensionDeg,
    lateralBendLeft: limits.lateralBendLeftDeg ?? limits.lateralBendDeg,
    lateralBendRight: limits.lateralBendRightDeg ?? limits.lateralBendDeg,
    rotationLeft: limits.rotationLeftDeg ?? limits.axialRotationDeg,
    rotationRight: limits.rotationRightDeg ?? limits.axialRotationDeg,
  };
}

/** Names of the exercise profiles (DESIGN.md, Detectors). */
export type ExerciseName =
  | "kettlebell-swing"
  | "hip-hinge-holds"
  | "deadlift"
  | "side-bend"
  | "cat-camel"
  | "bird-dog"
  | "childs-pose-clock"
  | "jefferson-curl";

export const EXERCISE_NAMES: readonly ExerciseName[] = [
  "kettlebell-swing",
  "hip-hinge-holds",
  "deadlift",
  "side-bend",
  "cat-camel",
  "bird-dog",
  "childs-pose-clock",
  "jefferson-curl",
];

/** Every field a RangeLimits may carry, for validating limits from files and commands. */
export const RANGE_LIMIT_FIELDS = [
  "flexionDeg",
  "extensionDeg",
  "lateralBendDeg",
  "axialRotationDeg",
  "lateralBendLeftDeg",
  "lateralBendRightDeg",
  "rotationLeftDeg",
  "rotationRightDeg",
] as const satisfies readonly (keyof RangeLimits)[];

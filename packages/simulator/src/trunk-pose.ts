/**
 * The degrees of freedom of the simulated trunk. Lumbar angles follow DESIGN.md's conventions
 * exactly (they are the ground truth); the pelvis angles use the same Z-X-Y Cardan sequence and
 * signs, applied to the pelvis relative to its standing neutral, so that `pelvisTiltDeg` is the
 * hip hinge (forward positive), `pelvisLateralTiltDeg` drops the left side for positive values
 * (superior axis toward the right) and `pelvisRotationDeg` turns the pelvis to the right.
 */
export interface TrunkPose {
  /** Hip hinge: pelvis rotation about its Z axis, forward (anterior) positive. */
  pelvisTiltDeg: number;
  /** Pelvis rotation about its X axis, superior axis toward the right positive. */
  pelvisLateralTiltDeg: number;
  /** Pelvis rotation about its Y axis, turned to the right positive. */
  pelvisRotationDeg: number;
  /** Heading of the whole body about world vertical, counter-clockwise from north (NWU). */
  bodyYawDeg: number;
  flexionDeg: number;
  lateralBendDeg: number;
  axialRotationDeg: number;
  /** Hip joint centre displacement along the body's heading (forward positive), m. */
  hipForwardM: number;
  /** Hip joint centre displacement upward from standing height, m. */
  hipUpM: number;
}

export type PoseChannel = keyof TrunkPose;

export const POSE_CHANNELS: readonly PoseChannel[] = [
  "pelvisTiltDeg",
  "pelvisLateralTiltDeg",
  "pelvisRotationDeg",
  "bodyYawDeg",
  "flexionDeg",
  "lateralBendDeg",
  "axialRotationDeg",
  "hipForwardM",
  "hipUpM",
];

/** Standing tall and still, facing north: every channel zero. */
export function neutralPose(): TrunkPose {
  return {
    pelvisTiltDeg: 0,
    pelvisLateralTiltDeg: 0,
    pelvisRotationDeg: 0,
    bodyYawDeg: 0,
    flexionDeg: 0,
    lateralBendDeg: 0,
    axialRotationDeg: 0,
    hipForwardM: 0,
    hipUpM: 0,
  };
}

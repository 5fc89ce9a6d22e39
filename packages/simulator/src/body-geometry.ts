import type { Vec3 } from "@spinewatch/protocol";

/**
 * Where the hip joint centre, the lumbar pivot and the two sensors sit, in metres. Segment
 * frames are ISB (X anterior, Y superior, Z right); the pelvis frame's origin is the hip joint
 * centre (midpoint of the two hip joints). Lumbar motion is lumped into one pivot, which is
 * enough to give each sensor a realistic lever arm (the accelerometers see tangential and
 * centripetal acceleration of the right size) without modelling each vertebra.
 *
 * Default values are ASSUMED typical adult dimensions (no single source): the sacral skin over
 * S1/S2 lies about 10 cm above and 12 cm behind the hip axis; the lumped pivot near L3 about
 * 20 cm above and 7 cm behind it; the skin over T12/L1 about 27 cm above the pivot.
 */
export interface BodyGeometry {
  /** Height of the hip joint centre above the floor when standing, m. */
  hipHeightM: number;
  /** Sacrum sensor in the pelvis frame, m. */
  sacrumSensorInPelvisM: Vec3;
  /** Lumbar pivot in the pelvis frame, m. */
  lumbarPivotInPelvisM: Vec3;
  /** T12/L1 sensor in the thorax frame, relative to the lumbar pivot, m. */
  thoracicSensorFromPivotM: Vec3;
}

export const DEFAULT_BODY_GEOMETRY: Readonly<BodyGeometry> = {
  hipHeightM: 0.92,
  sacrumSensorInPelvisM: [-0.12, 0.1, 0],
  lumbarPivotInPelvisM: [-0.07, 0.2, 0],
  thoracicSensorFromPivotM: [-0.07, 0.27, 0],
};

import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";
import { composeLumbarQuat, quatMultiply, quatRelative, quatRotate, quatToRotationVector, DEG_PER_RAD, RAD_PER_DEG } from "@spinewatch/kinematics";
import type { BodyGeometry } from "./body-geometry.js";
import type { MotionPlan } from "./motion-plan.js";
import { POSE_CHANNELS } from "./trunk-pose.js";

/** Standard gravity, m/s² (CGPM 1901, the value every decoder uses). */
import { STANDARD_GRAVITY_MPS2 } from "@spinewatch/protocol";

/**
 * Segment (ISB: X anterior, Y superior, Z right) to world (NWU: x north, y west, z up) when
 * standing facing north: X → +x, Y → +z, Z → −y (east, the person's right). A +90° rotation
 * about world x.
 */
export const SEGMENT_NEUTRAL_IN_WORLD: Readonly<QuatWxyz> = [Math.SQRT1_2, Math.SQRT1_2, 0, 0];

export type SegmentName = "pelvis" | "thorax";

/** Where a sensor sits: its segment and its orientation in that segment (q_sensorWorld = q_segWorld ⊗ this). */
export interface SensorPlacement {
  segment: SegmentName;
  sensorInSegment: QuatWxyz;
}

/** One instant of the trunk: segment orientations (segment-to-world) and key points (world, m). */
export interface TrunkState {
  pelvis: QuatWxyz;
  thorax: QuatWxyz;
  hipM: Vec3;
  pivotM: Vec3;
  sacrumSensorM: Vec3;
  thoracicSensorM: Vec3;
}

/** What a perfect IMU at a placement measures at one instant. */
export interface TrueImu {
  /** Specific force (a − g, g = [0, 0, −9.80665] in NWU) in sensor axes, m/s². */
  accMps2: Vec3;
  /** Angular velocity of the sensor in sensor axes, °/s. */
  gyrDps: Vec3;
  /** Sensor-to-world orientation. */
  quatWxyz: QuatWxyz;
}

/**
 * Half-step of the central differences, ms. The trajectory is analytic (minimum-jerk segments),
 * so differences over ±0.5 ms are exact to O(h²): truncation below 1e-3 m/s² and 1e-4 °/s for
 * the fastest swing, rounding below 1e-9 m/s² (double precision, positions ~1 m).
 */
const H_MS = 0.5;
const IDX = Object.fromEntries(POSE_CHANNELS.map((c, k) => [c, k])) as Record<(typeof POSE_CHANNELS)[number], number>;

/** Evaluates the plan's pose as segment orientations, positions and perfect IMU readings. */
export class TrunkModel {
  readonly #plan: MotionPlan;
  readonly #geometry: BodyGeometry;
  readonly #pose = new Float64Array(POSE_CHANNELS.length);

  constructor(plan: MotionPlan, geometry: BodyGeometry) {
    this.#plan = plan;
    this.#geometry = geometry;
  }

  get plan(): MotionPlan {
    return this.#plan;
  }

  stateAt(tMs: number): TrunkState {
    const p = this.#plan.poseArrayAt(tMs, this.#pose);
    const yawRad = p[IDX.bodyYawDeg] * RAD_PER_DEG;
    const heading: QuatWxyz = [Math.cos(yawRad / 2), 0, 0, Math.sin(yawRad / 2)];
    const pelvisNeutral = quatMultiply(heading, SEGMENT_NEUTRAL_IN_WORLD);
    const pelvis = quatMultiply(
      pelvisNeutral,
      composeLumbarQuat(p[IDX.pelvisTiltDeg], p[IDX.pelvisLateralTiltDeg], p[IDX.pelvisRotationDeg]),
    );
    const thorax = quatMultiply(pelvis, composeLumbarQuat(p[IDX.flexionDeg], p[IDX.lateralBendDeg], p[IDX.axialRotationDeg]));
    const g = this.#geometry;
    const fwd = p[IDX.hipForwardM];
    const hipM: Vec3 = [fwd * Math.cos(yawRad), fwd * Math.sin(yawRad), g.hipHeightM + p[IDX.hipUpM]];
    const pivotM = addTo(hipM, quatRotate(pelvis, g.lumbarPivotInPelvisM));
    return {
      pelvis,
      thorax,
      hipM,
      pivotM,
      sacrumSensorM: addTo(hipM, quatRotate(pelvis, g.sacrumSensorInPelvisM)),
      thoracicSensorM: addTo(pivotM, quatRotate(thorax, g.thoracicSensorFromPivotM)),
    };
  }

  /** Sensor-to-world orientation and position of a placement at `tMs`. */
  sensorPoseAt(tMs: number, placement: SensorPlacement): { quatWxyz: QuatWxyz; positionM: Vec3 } {
    const s = this.stateAt(tMs);
    const seg = placement.segment === "pelvis" ? s.pelvis : s.thorax;
    return {
      quatWxyz: quatMultiply(seg, placement.sensorInSegment),
      positionM: placement.segment === "pelvis" ? s.sacrumSensorM : s.thoracicSensorM,
    };
  }

  /**
   * Perfect IMU at `tMs`: linear acceleration by the second central difference of the analytic
   * position, angular velocity by the central difference of the orientation
   * (ω_body = rotvec(q(t−h)* ⊗ q(t+h)) / 2h), both expressed in sensor axes.
   */
  trueImuAt(tMs: number, placement: SensorPlacement): TrueImu {
    const a = this.sensorPoseAt(tMs - H_MS, placement);
    const b = this.sensorPoseAt(tMs, placement);
    const c = this.sensorPoseAt(tMs + H_MS, placement);
    const hS = H_MS / 1000;
    const k = 1 / (hS * hS);
    const fWorld: Vec3 = [
      (a.positionM[0] - 2 * b.positionM[0] + c.positionM[0]) * k,
      (a.positionM[1] - 2 * b.positionM[1] + c.positionM[1]) * k,
      (a.positionM[2] - 2 * b.positionM[2] + c.positionM[2]) * k + STANDARD_GRAVITY_MPS2,
    ];
    const q = b.quatWxyz;
    const accMps2 = quatRotate([q[0], -q[1], -q[2], -q[3]], fWorld);
    const rv = quatToRotationVector(quatRelative(a.quatWxyz, c.quatWxyz));
    const s = DEG_PER_RAD / (2 * hS);
    return { accMps2, gyrDps: [rv[0] * s, rv[1] * s, rv[2] * s], quatWxyz: q };
  }
}

function addTo(a: Readonly<Vec3>, b: Vec3): Vec3 {
  b[0] += a[0];
  b[1] += a[1];
  b[2] += a[2];
  return b;
}

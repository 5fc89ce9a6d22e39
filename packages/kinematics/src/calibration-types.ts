import type { CalibrationQuality, MountPreset, QuatWxyz, Vec3 } from "@spinewatch/protocol";

/**
 * Calibration types (DESIGN.md, Calibration; the brief's "calibration" seam).
 *
 * Frames: world = the orientation filters' NWU (z up); segment = ISB (X anterior, Y superior,
 * Z right). A segment's world orientation is q_segWorld = q_sensorWorld ⊗ sensorToSegment
 * (sensorToSegment's columns are the segment axes written in sensor axes).
 */

/** One sensor's samples over a calibration window. Arrays have equal lengths, time-ordered. */
export interface SensorWindow {
  /** Accelerometer, m/s², sensor axes (reads +g upward at rest). */
  accMps2: Vec3[];
  /** Gyroscope, °/s, sensor axes (raw or bias-corrected: only deviations from the mean matter). */
  gyrDps: Vec3[];
  /** That sensor's orientation-filter output, sensor-to-world. */
  quatWxyz: QuatWxyz[];
  /** Sample rate of the window (Hz). */
  rateHz: number;
}

export interface SegmentCalibration {
  sacrum: { sensorToSegment: QuatWxyz };
  thoracic: { sensorToSegment: QuatWxyz };
  /**
   * Rotation about world vertical taking the thoracic filter's world frame onto the sacrum
   * filter's: q_thoraxSegWorld = thoracicWorldAlign ⊗ q_thoracicSensorWorld ⊗ thoracic.sensorToSegment.
   */
  thoracicWorldAlign: QuatWxyz;
  /** The pelvis segment's world orientation during the neutral stance (reference of pelvis tilt). */
  pelvisNeutralWorld: QuatWxyz;
  quality: CalibrationQuality;
}

export type CalibrationOutcome = { ok: true; calibration: SegmentCalibration } | { ok: false; reasons: string[] };

export interface NeutralCalibrationInput {
  sacrum: SensorWindow;
  thoracic: SensorWindow;
  mounts: { sacrum: MountPreset; thoracic: MountPreset };
}

export interface BendCalibrationInput {
  sacrum: SensorWindow;
  thoracic: SensorWindow;
}

/** The two sensors by the names used in calibration messages. */
export const CALIBRATION_SENSORS = ["sacrum", "thoracic"] as const;
export type CalibrationSensor = (typeof CALIBRATION_SENSORS)[number];

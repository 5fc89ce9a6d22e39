import type { QuatWxyz } from "./vectors.js";

/**
 * Lumbar angles at one instant (DESIGN.md, Angles). All zero in the calibrated neutral
 * standing posture. Cardan sequence Z-X-Y of R = R_pelvis^T R_thorax, ISB axes
 * (X anterior, Y superior, Z right).
 */
export interface AngleFrame {
  /** Time on the session timeline, ms since the session started (sample time, not wall time). */
  tMs: number;
  /** About Z: forward bend positive, extension negative. */
  flexionDeg: number;
  /** About the floating X axis: bend to the right positive. */
  lateralBendDeg: number;
  /** About the thorax Y axis: thorax turned to the right positive. */
  axialRotationDeg: number;
  /** Sacrum segment's forward inclination from its calibrated neutral (the hip hinge). */
  pelvisTiltDeg: number;
  /** T12 segment's forward inclination from vertical. */
  thoraxInclinationDeg: number;
  /**
   * Sacrum segment's lateral inclination from its calibrated neutral: the elevation of its right
   * axis above the horizontal, right side up positive. Standing, pelvic obliquity (a hip hike);
   * on all fours, the pelvis rolling about its long axis (a bird dog's hip drop).
   */
  pelvisObliquityDeg: number;
  /**
   * The rest posture this exercise counts the angles from, as the movement analysis knew it
   * before this frame (analysis rest-neutral.ts). Present only while it is not the calibrated
   * standing neutral: for the bird dog ("hold neutral"), the rest the person settles into on all
   * fours, where the angles read posture offsets of up to ~1° with a level, untwisted spine. The
   * detectors (reps, holds, range warnings) see each angle less its value here, and so should a
   * display that is to agree with them. Until the person has settled into the posture
   * (`settled`) the lumbar angles' entries are 0 and the obliquity's is the obliquity itself.
   */
  restNeutral?: RestNeutralAngles;
  /** Thorax relative to pelvis in calibrated segment frames, unit quaternion. */
  relQuatWxyz: QuatWxyz;
}

/** The angles of a rest posture, degrees (AngleFrame.restNeutral). */
export interface RestNeutralAngles {
  flexionDeg: number;
  lateralBendDeg: number;
  axialRotationDeg: number;
  pelvisObliquityDeg: number;
  /**
   * False until the person has been still in the current posture for a moment (getting down on
   * all fours, or reaching at once): the lumbar angles' entries are then 0 and the obliquity's is
   * the obliquity itself, and a display may ask the person to settle.
   */
  settled: boolean;
}

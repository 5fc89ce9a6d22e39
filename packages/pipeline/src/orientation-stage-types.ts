import type { BodyMotion } from "./body-motion.js";
import type { PartnerMotion } from "./partner-motion.js";
import type { PivotTiltSettings } from "./pivot-tilt-estimator.js";
import type { StaticTiltSettings } from "./static-tilt-correction.js";

/** The options, the counters and the re-seed record of OrientationStage (orientation-stage.ts). */

export interface OrientationStageOptions {
  /**
   * The pipeline's shared record of which sensors are moving (BodyMotion): while another sensor
   * turns, this one's gyro bias about the vertical is not learned. Absent: every still moment
   * is learned from in full (a lone sensor).
   */
  bodyMotion?: BodyMotion;
  /**
   * The pipeline's shared record of each sensor's recent motion (PartnerMotion): this stage
   * records its trusted samples there, and after a gap confirms its tilt from the other sensor's
   * (JointConfirmation) before the pivot fit. Absent: no joint fit (a lone sensor).
   */
  partnerMotion?: PartnerMotion;
  /** Nominal output rate, Hz: the time step of the very first sample. */
  rateHz: number;
  /** A gap longer than this re-seeds our filter from the accelerometer, ms. Default 500. */
  reseedGapMs?: number;
  /**
   * A gap longer than this (and up to reseedGapMs) is bridged by integrating the gyro across it
   * but the result is not trusted until confirmed, as after a re-seed, ms. Default 150.
   */
  bridgeTrustMs?: number;
  /**
   * A bridged gap whose both ends turn slower than this (the bias-corrected rate's norm just
   * before and just after it) waits for its confirmation only as long as a still moment's check
   * takes (StaticTiltSettings.minDurationMs), not fixWaitMs, and is integrated with the
   * trapezoid of its ends' rates, not the Hermite (GyroStepRate), °/s. Default 10; 0: off.
   */
  slowBridgeDps?: number;
  /** How long after a re-seed (or start-up) the orientation is not yet trusted, ms. Default 500. */
  reconvergeMs?: number;
  /**
   * After a re-seed the sensor stays stale until a quasi-static moment confirms (or fixes) the
   * tilt, at least reconvergeMs and at most this long, ms. Default 900 (issue 4: angles resume
   * within 1 s of a sensor's return).
   */
  fixWaitMs?: number;
  /** Quasi-static tilt fix settings (StaticTiltCorrection). */
  staticTilt?: Partial<StaticTiltSettings>;
  /** Moving-sensor tilt after a re-seed (PivotTiltEstimator); false: off. */
  pivotTilt?: Partial<PivotTiltSettings> | false;
  /** The pivot fit is tried from this long after the re-seed or bridged gap, ms. Default 200. */
  pivotFromMs?: number;
  /**
   * Integrate over the clock's sensor-time step (TimedSample.stepMs) rather than the difference
   * of mapped times. Default true; false only for comparisons (bench/diagnose-swing-peaks.ts).
   */
  useSensorStep?: boolean;
  /**
   * Integrate steps across lost samples through the rates' derivatives (GyroStepRate). Default
   * true; false (the rates' mean, as on a regular step) only for comparisons (bench/diagnose-swing-peaks.ts).
   */
  gapHermite?: boolean;
}

/** How the last re-seed (a sensor back after a long gap) was resolved: for diagnostics and tests. */
export interface ReseedRecovery {
  /** Time of the re-seed (the first sample after the gap), ms. */
  reseedMs: number;
  /** A long gap (tilt re-seeded from the accelerometer) or a shorter one integrated blind. */
  gap: "reseed" | "bridged";
  /** What confirmed the tilt: a still moment, the joint or the pivot fit, or nothing before the wait ended. */
  by: "static" | "joint" | "pivot" | "timeout" | "pending";
  /** When, ms. */
  atMs: number;
  /** Tilt change the confirmation applied, degrees. */
  correctionDeg: number;
  /** The joint or pivot fit's gravity magnitude and (pivot) misfit when it decided. */
  gravityMps2?: number;
  residualMps?: number;
}

export interface OrientationCounters {
  /** Samples that carried neither a quaternion nor acc + gyro. */
  noOrientation: number;
  reseeds: number;
  /** Gaps longer than bridgeTrustMs (and at most reseedGapMs) integrated blind, then confirmed like a re-seed. */
  bridgedGaps: number;
  /** Of bridgedGaps, those slow at both ends (slowBridgeDps): a short wait for their confirmation. */
  slowBridges: number;
  /** Tilt corrections after a re-seed by the two-sensor (joint) fit. */
  jointFixes: number;
  /** Large joint-fit corrections applied before a second window confirms them (JointConfirmation). */
  jointProvisionalFixes: number;
  /** Tilt corrections after a re-seed by the moving-sensor (pivot) fit. */
  pivotFixes: number;
  /** Pivot fits refused after a bridged gap: they disagreed with the bridge (PIVOT_BRIDGE_AGREE_DEG). */
  pivotDisagreements: number;
  /** Tilt corrections at quasi-static moments (StaticTiltCorrection). */
  staticFixes: number;
  /** Packets whose first step was re-integrated after the clock revised it (TimedSample.stepRevisionMs). */
  stepRevisions: number;
  /** Steps across lost samples revised to the Hermite once the rate after them was known (GyroStepRate). */
  gapRevisions: number;
}

import type { RangeAxis } from "./limits.js";
import type { SensorId } from "./sensors.js";

/** One hinge repetition (CONTRACTS.md §2 `reps`). Times in ms on the session timeline. */
export interface RepSummary {
  /** 1-based rep number within the session. */
  index: number;
  startMs: number;
  endMs: number;
  /** Lockout to the bottom of the hinge. */
  downMs: number;
  /** Bottom back to lockout. */
  upMs: number;
  peakPelvisTiltDeg: number;
  peakFlexionDeg: number;
  /**
   * Extension at lockout (a positive magnitude): hinge reps, the most negative flexion around
   * lockout; cycle reps (cat-camel), the extension where the rep ends, back at neutral.
   */
  lockoutExtensionDeg: number;
  /**
   * Deepest extension during the rep (a positive magnitude), where the rep passes through
   * extension on its way (cat-camel: the camel). Absent for hinge reps.
   */
  peakExtensionDeg?: number;
  /** Largest lateral bend magnitude during the rep (signed: right positive). */
  peakLateralBendDeg: number;
  /**
   * Lumbar share of the bend relative to the hip share: peak lumbar flexion divided by peak
   * pelvis tilt. 0 = all hip, 1 = equal parts.
   */
  lumbopelvicRatio: number;
  /**
   * Frames missing inside the rep, ms: a loss the rep detector bridged (absent: none). Its peaks
   * are those of the frames seen, which may have missed the true peak.
   */
  bridgedGapMs?: number;
  /** Range warnings that overlapped this rep. */
  warnings?: number;
  /** Side of a lateral rep (side bends: one rep per side). */
  side?: "left" | "right";
}

/** One mid-range hold (CONTRACTS.md §2 `holds`). */
export interface HoldSummary {
  startMs: number;
  endMs: number;
  durationMs: number;
  meanFlexionDeg: number;
  /** Change of lumbar flexion from the start of the hold to its end (sagging: positive). */
  driftDeg: number;
  /** Standard deviation of lumbar flexion about its trend (a least-squares cubic) during the hold. */
  swayDeg: number;
  /** Mean pelvis tilt during the hold: where in the hinge it was held. */
  meanPelvisTiltDeg?: number;
  /** The hold target of the exercise profile, ms. */
  targetMs?: number;
  /** Whether the hold lasted at least the target. */
  targetMet?: boolean;
}

/** One tolerated-range warning (CONTRACTS.md §2 `warnings`). */
export interface WarningSummary {
  axis: RangeAxis;
  startMs: number;
  endMs: number;
  /** Largest magnitude reached beyond neutral on that axis, degrees (positive). */
  peakDeg: number;
  limitDeg: number;
  /** Rep number during which it started; null outside a rep. */
  rep: number | null;
}

export interface TempoSummary {
  repsPerMin: number;
  /** Coefficient of variation of rep durations (SD / mean), unitless. */
  repDurationCv: number;
}

export interface SensorSummary {
  id: SensorId;
  samples: number;
  lostPackets: number;
  gaps: number;
  meanRateHz: number;
  /** Longest gap in ms. */
  longestGapMs?: number;
  /** Packets or bytes the decoder rejected. */
  badPackets?: number;
}

export interface CalibrationQuality {
  /** RMS gyro magnitude during the neutral stance, °/s. */
  stillnessDps: number;
  /** Fraction of the bend's angular motion about its dominant axis (1 = a perfect planar bend). */
  bendPlanarity?: number;
  /** Angle between the mount preset's forward axis and the functional one, per sensor, degrees. */
  mountCorrectionDeg?: Record<string, number>;
  /** Residual heading disagreement between the two sensors after alignment, degrees. */
  residualDeg?: number;
  /**
   * Per sensor, the gyroscope's scale about the bend axis measured between the still moments of
   * the bend and the stance before it (measured / true rate; 1.02 = reads 2 % fast), on the rates
   * as any earlier bend of the session corrected them; a sensor without a still moment at the
   * bottom of its bend is missing.
   */
  gyroScale?: Record<string, number>;
  /**
   * Whether those scales are corrected from then on, in our orientation filter (a device that
   * sends its own orientation quaternion is not affected): only the part of a scale's error
   * beyond 1 % is, the estimate being good to about that (1.025 is corrected as 1.015).
   */
  gyroScaleCorrected?: boolean;
  /**
   * Per sensor whose scale the bend could not measure, why (no still moment at the bottom of the
   * bend or before it, frames missing, ...): then its gyroscope is used as it is.
   */
  gyroScaleNotMeasured?: Record<string, string>;
}

export interface CalibrationSummary {
  source: "event" | "auto" | "command" | "none";
  tMs?: number;
  quality?: CalibrationQuality;
  /** Why a calibration was refused, when it was. */
  refused?: string[];
}

/** A problem reported in-band: a bad packet, a lost sensor, a refused calibration. */
export interface ProblemReport {
  tMs: number;
  sensor?: string;
  code: string;
  message: string;
  /** How many times this code was seen (problems are folded by code in summaries). */
  count?: number;
}

/** The session summary of CONTRACTS.md §2 (`analyze --json`). */
export interface SessionSummary {
  durationMs: number;
  exercise?: string;
  calibration: CalibrationSummary;
  reps: RepSummary[];
  tempo: TempoSummary;
  holds: HoldSummary[];
  warnings: WarningSummary[];
  sensors: SensorSummary[];
  problems: ProblemReport[];
  /** Number of angle frames produced. */
  frames?: number;
}

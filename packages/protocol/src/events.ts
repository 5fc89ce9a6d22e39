import type { RangeAxis, RangeLimits } from "./limits.js";
import type { CalibrationSummary, HoldSummary, RepSummary, WarningSummary } from "./summary.js";
import type { LinkState, SensorId } from "./sensors.js";

/** Phase of a hinge rep. */
export type RepPhase = "standing" | "down" | "bottom" | "up";

/**
 * What the detectors (and the pipeline) report about the movement, in sample time
 * (DESIGN.md, Detectors). A discriminated union on `kind`.
 */
export type MovementEvent =
  | { kind: "phase"; tMs: number; phase: RepPhase; rep: number }
  | { kind: "rep"; tMs: number; rep: RepSummary }
  | { kind: "hold-start"; tMs: number; targetMs: number; flexionDeg: number }
  | { kind: "hold-progress"; tMs: number; elapsedMs: number; targetMs: number; flexionDeg: number; driftDeg: number }
  | { kind: "hold-end"; tMs: number; hold: HoldSummary }
  | {
      /** Approaching a limit (caution) or beyond it after the dwell (warning). */
      kind: "range";
      tMs: number;
      level: "caution" | "warning";
      axis: RangeAxis;
      valueDeg: number;
      limitDeg: number;
      rep: number | null;
    }
  | { kind: "range-clear"; tMs: number; axis: RangeAxis; warning?: WarningSummary }
  | { kind: "calibration"; tMs: number; calibration: CalibrationSummary }
  | { kind: "limits"; tMs: number; limits: RangeLimits }
  | { kind: "sensor-gap"; tMs: number; sensor: SensorId; startMs: number; endMs: number; lostPackets: number }
  | { kind: "sensor-state"; tMs: number; sensor: SensorId; state: LinkState | "stale" | "fresh"; detail?: string };

export type MovementEventKind = MovementEvent["kind"];

import type {
  AngleFrame,
  DeviceSample,
  MovementEvent,
  ProblemReport,
  QuatWxyz,
  SensorId,
  SensorStatus,
  Vec3,
} from "@spinewatch/protocol";

/** What the pipeline emits (brief, pipeline seam). A discriminated union on `type`. */
export type PipelineOutput =
  | { type: "frame"; frame: AngleFrame }
  | { type: "event"; event: MovementEvent }
  | { type: "sensors"; sensors: SensorStatus[] }
  | { type: "problem"; problem: ProblemReport };

/** A plain processor (STYLE-MODELS.md §3, thi.ng IProc): no rxjs, state inside, `reset()` to start over. */
export interface Proc<A, B> {
  next(input: A): B;
  reset(): void;
}

/** Where a processor that can produce zero or more outputs per input puts them. */
export type Emit<T> = (value: T) => void;

/** One decoded measurement before the clock has placed it: what the decode stage hands the sensor clock. */
export interface PacketSample {
  sensorId: SensorId;
  /** Host receive time of the packet (or sample line) that carried it, ms since the session started. */
  hostTimeMs: number;
  /** Index of this sample within its packet, 0-based. */
  indexInPacket: number;
  /** Number of samples the packet carried. */
  countInPacket: number;
  /**
   * Every sample of the packet that carried this one, in order (absent for a single sample):
   * the clockless clock reads a late batch's own motion to place it (motion-verdict.ts).
   */
  packet?: readonly DeviceSample[];
  sensorTimeUs?: number;
  accMps2?: Vec3;
  gyrDps?: Vec3;
  magUt?: Vec3;
  quatWxyz?: QuatWxyz;
  eulerDeg?: Vec3;
}

/** A sample placed on the session timeline (SensorClock's output). */
export interface TimedSample extends PacketSample {
  /** Mapped sample time, ms; strictly increasing per sensor. */
  tMs: number;
  /**
   * Time since this sensor's previous placed sample on the sensor's own time base, ms: the
   * timestamp difference for devices with a clock, the nominal period × the samples counted
   * since the previous one for devices without (including the samples the clock judged lost).
   * Undefined for the first sample and after a clock reset. The orientation filter integrates
   * over this step, not over the difference of mapped times: a misjudged arrival then moves a
   * sample's timestamp but does not stretch or shrink the rotation integrated.
   */
  stepMs?: number;
  /**
   * Clockless devices, on the first sample of a packet: an earlier packet's first step was
   * longer than its stepMs said by this much, ms (an orientation filter should re-integrate it;
   * OrientationStage does). Positive: that packet was late and taken as delayed, and so were any
   * after it; this one, late by the same whole batches, shows samples were lost before the first
   * of them. Negative (1 packet back): the loss counted before it was too big (overcount-check.ts).
   */
  stepRevisionMs?: number;
  /** With stepRevisionMs: how many packets back that first step lies (1: the previous packet). */
  stepRevisionPackets?: number;
}

/** A sample on the session timeline with its sensor's orientation: what pairing consumes. */
export interface OrientedSample {
  sensorId: SensorId;
  /** Mapped sample time, ms on the session timeline. Never decreases per sensor. */
  tMs: number;
  /** Sensor-to-world orientation (device quaternion or our filter). */
  quatWxyz: QuatWxyz;
  /** Specific force in the sensor's axes, m/s² (derived from the orientation if the device sends none). */
  accMps2: Vec3;
  /** Angular rate in the sensor's axes, °/s, bias-corrected when our filter ran. */
  gyrDps: Vec3;
  /** False while the orientation is not trustworthy (re-converging after a gap). */
  fresh: boolean;
  /**
   * True on the first sample after a gap too long to integrate across, whose tilt our filter
   * re-seeded from the accelerometer, keeping the heading it had before the gap (ReseedHeading).
   */
  reseeded?: boolean;
  /**
   * Not fresh, but not lost either: emitted after a gap our filter bridged, while its tilt awaits
   * confirmation (HeldOrientation). Pairing holds such samples until a later sample of the
   * sensor resolves them (`heldResolved`).
   */
  held?: true;
  /** Owed by this sensor's earlier held samples: a tilt fix applied since, world frame (q ← heldFix ⊗ q). */
  heldFix?: QuatWxyz;
  /** The earlier held samples' fate, decided at this sample: fresh after all, or never. */
  heldResolved?: "confirmed" | "expired";
}

/** Both sensors at one instant of the common timeline (DESIGN.md data flow: PairFrame). */
export interface PairFrame {
  tMs: number;
  sacrum: OrientedSample;
  thoracic: OrientedSample;
}

export interface PipelineOptions {
  /** Rate of the common timeline, Hz. Default 100. */
  frameRateHz?: number;
  /** Longest span between a sensor's bracketing samples that may still be interpolated, ms. Default 100. */
  maxGapMs?: number;
  /** Gap after which our orientation filter is re-seeded from the accelerometer, ms. Default 500. */
  reseedGapMs?: number;
  /** How long a started or re-seeded filter is held stale while it converges, ms. Default 500. */
  reconvergeMs?: number;
  /** Exercise override (analyze --exercise); otherwise the session's, otherwise the profile default. */
  exercise?: string;
  /** Calibrate automatically on the first quiet upright stretch when no calibration event came. Default true. */
  autoCalibrate?: boolean;
  /** Length of the quiet upright stretch for automatic calibration, ms. Default 2000 (CONTRACTS.md §1). */
  autoCalibrationMs?: number;
  /** Interval of the periodic `sensors` outputs, ms of sample time. Default 1000. */
  sensorStatusIntervalMs?: number;
  /**
   * Of a gyro scale measured by a calibration bend, the part of its error beyond this margin is
   * corrected (CalibrationStage SCALE_ERROR_MARGIN). Default 0.01; Infinity: never (for comparisons).
   */
  correctGyroScaleFrom?: number;
}

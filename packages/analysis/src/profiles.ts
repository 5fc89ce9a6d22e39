import type { AngleFrame, ExerciseName, RangeLimits } from "@spinewatch/protocol";
import { EXERCISE_NAMES } from "@spinewatch/protocol";
import type { HoldDetectorSettings } from "./hold-detector.js";
import type { RepDetectorSettings } from "./rep-detector.js";

/**
 * Which angle a detector follows. `lateralBendAbs` is |lateral bend|, so that a bend to either
 * side moves the signal the same way (one rep per side for side bends); `pelvisObliquityAbs` is
 * |pelvis obliquity| for the same reason (a bird dog's reach rolls the pelvis to the side of the
 * lifted leg).
 */
export type SignalName = "pelvisTilt" | "thoraxInclination" | "flexion" | "lateralBendAbs" | "pelvisObliquityAbs";

/** Reads a signal from a frame, in degrees. */
export function readSignal(frame: AngleFrame, signal: SignalName): number {
  switch (signal) {
    case "pelvisTilt":
      return frame.pelvisTiltDeg;
    case "thoraxInclination":
      return frame.thoraxInclinationDeg;
    case "flexion":
      return frame.flexionDeg;
    case "lateralBendAbs":
      return Math.abs(frame.lateralBendDeg);
    case "pelvisObliquityAbs":
      return Math.abs(frame.pelvisObliquityDeg);
  }
}

/** Rep detection settings (rep-detector.ts explains the state machine they drive). */
export interface RepProfile {
  /** The signal whose excursions are the reps, oriented so that a rep moves it upward. */
  signal: SignalName;
  /** A rep starts when the smoothed signal rises this far above its resting minimum. */
  enterDeg: number;
  /** The rep is back at lockout when the signal falls below rest + this fraction of its excursion. */
  exitFraction: number;
  /**
   * A cycle through both directions (cat-camel: round, then arch, then back to neutral): the
   * rep ends only when the signal is back at its start level after dipping this far below it
   * (or when no dip comes). Undefined: the rep ends at the lockout.
   */
  cycleDipDeg?: number;
  /** Detector settings for this exercise's range of motion (over REP_DEFAULTS, under the caller's). */
  settings?: Partial<RepDetectorSettings>;
}

/** Mid-range hold settings (hold-detector.ts). */
export interface HoldProfile {
  /** Channels whose angular speed must stay low during a hold. */
  speedSignals: readonly SignalName[];
  /** Away from standing: `awaySignal` at least `awayMinDeg` (a pause at standing is not a hold). */
  awaySignal: SignalName;
  awayMinDeg: number;
  /** Minimum duration of stillness for a hold, ms. */
  minMs: number;
  /** The hold target the person aims for, ms. */
  targetMs: number;
  /** Detector settings for this exercise's range of motion (over HOLD_DEFAULTS, under the caller's). */
  settings?: Partial<HoldDetectorSettings>;
}

export interface ExerciseProfile {
  name: ExerciseName;
  description: string;
  /** null: reps are not counted for this exercise. */
  reps: RepProfile | null;
  /** null: holds are not detected for this exercise. */
  holds: HoldProfile | null;
  limits: RangeLimits;
  /**
   * The detectors see the angles (flexion, lateral bend, axial rotation, pelvis obliquity) from
   * the rest the person settles into in each posture (rest-neutral.ts) rather than from the
   * standing calibration: an exercise whose point is to hold a neutral it starts from.
   */
  countsFromRest?: boolean;
}

// Hinge exercises follow the pelvis: DESIGN.md's rep "runs from standing (lockout) down to the
// bottom of the hinge and back", and the hinge is the pelvis tilt. 15° is far above standing
// sway and far below the 60-80° of a swing's backswing, so wobbles at rest never start a rep.
const HINGE_REPS: RepProfile = { signal: "pelvisTilt", enterDeg: 15, exitFraction: 0.25 };


/**
 * Default tolerated ranges. Numbers from /work/shared/research/LUMBAR-FACTS.md:
 * - flexion: "warn on lumbar flexion beyond roughly half of the person's measured comfortable
 *   maximum, or about 20-25° without an assessment" (practitioner data, T12 + S1 sensors).
 * - extension: healthy extension is 15° (AMA table) falling to 6° with age (Troke et al.);
 *   a swing's lockout should show none (RKC standard: body in a straight line, no leaning back).
 * - lateral flexion 20° each side (AMA), 15° in the oldest group (Troke et al.).
 * - axial rotation "about 7" (Troke) or 5 (AMA): the lumbar spine barely rotates.
 */
const HINGE_LIMITS: RangeLimits = { flexionDeg: 20, extensionDeg: 10, lateralBendDeg: 15, axialRotationDeg: 6 };

/** The exercise profiles, keyed by name (DESIGN.md, Detectors; LUMBAR-FACTS.md for numbers). */
export const EXERCISE_PROFILES: Readonly<Record<ExerciseName, ExerciseProfile>> = {
  "kettlebell-swing": {
    name: "kettlebell-swing",
    description: "Hip hinge swing, 1.2-2 s per rep; the lumbar spine stays near neutral.",
    reps: HINGE_REPS,
    holds: null,
    // McGill & Marshall 2012: the swing is a hip hinge and spinal load peaks at the bottom, so
    // flexion is held to the unassessed 20° default; leaning back at lockout is the other fault.
    limits: HINGE_LIMITS,
  },
  "hip-hinge-holds": {
    name: "hip-hinge-holds",
    description: "Hip hinge with a brief mid-range hold (2-3 s) on each rep.",
    reps: HINGE_REPS,
    // LUMBAR-FACTS.md (mobility progressions): "brief holds (2-3 s, up to 10 s)"; a pause of
    // 1.5 s already counts as a hold, the target is the 2 s lower end.
    // Stillness of the hinge is the pelvis alone: the back "sags during a hold" (LUMBAR-FACTS.md),
    // which moves the thorax 4-7° while the hips hold; that is the hold's drift, measured, and
    // must neither delay nor break the hold (with the thorax among the speed channels, sagging
    // holds started ~250 ms late: hip-hinge-holds hold F1 0.90).
    holds: { speedSignals: ["pelvisTilt"], awaySignal: "pelvisTilt", awayMinDeg: 10, minMs: 1500, targetMs: 2000 },
    limits: HINGE_LIMITS,
  },
  deadlift: {
    name: "deadlift",
    description: "Loaded hip hinge from the floor; deadlifts use ~70% of maximum lumbar flexion.",
    reps: HINGE_REPS,
    holds: null,
    // Upper end of the unassessed 20-25° default: deadlifts use more flexion than swings
    // (about 70% of the standing maximum, LUMBAR-FACTS.md practitioner data).
    limits: { ...HINGE_LIMITS, flexionDeg: 25 },
  },
  "side-bend": {
    name: "side-bend",
    description: "Lateral flexion to each side; one rep per side (out to one side and back).",
    reps: { signal: "lateralBendAbs", enterDeg: 8, exitFraction: 0.25 },
    holds: null,
    // Lateral flexion 20° each side (AMA table, LUMBAR-FACTS.md): the movement itself.
    limits: { flexionDeg: 20, extensionDeg: 15, lateralBendDeg: 20, axialRotationDeg: 6 },
  },
  "cat-camel": {
    name: "cat-camel",
    description: "On all fours, round (cat), arch (camel), back to neutral; one rep per cycle.",
    reps: { signal: "flexion", enterDeg: 8, exitFraction: 0.25, cycleDipDeg: 5 },
    holds: null,
    // Deliberate end-range motion in both directions: flexion 40° (low end of Magee's 40-60°),
    // extension 20° (Magee 20-35°, Troke 29° falling to 6° with age).
    limits: { flexionDeg: 40, extensionDeg: 20, lateralBendDeg: 15, axialRotationDeg: 6 },
  },
  "bird-dog": {
    name: "bird-dog",
    description: "On all fours, reach opposite arm and leg while holding the back neutral.",
    // A reach is seen in the pelvis: lifting a leg rolls the pelvis toward that side (the "hip
    // drop" the exercise trains against), while the lumbar angles move only 0.5-3° and mostly
    // within their noise. The simulator's reach rolls the pelvis 1-3° (ASSUMED there, no
    // published figure found), so a rep starts 0.6° from the all-fours neutral; a reach with
    // less pelvis roll than that is not counted. The detector's degree settings are scaled to
    // that range (REP_DEFAULTS are for 35-80° hinges): rest band 0.25°, bottom when the roll
    // turns slower than 1 °/s, way back when it falls 0.3° (or 15 %) from its peak.
    reps: {
      signal: "pelvisObliquityAbs",
      enterDeg: 0.6,
      exitFraction: 0.3,
      settings: { restBandDeg: 0.25, wobbleDeg: 0.4, turnDeg: 0.3, upDropMinDeg: 0.3, redescendDeg: 0.6, bottomSpeedDps: 1, settleSpeedDps: 0.5 },
    },
    // "Hold neutral" (DESIGN.md): the hold is the reach held still, with the pelvis rolled at
    // least 0.6° from neutral; LUMBAR-FACTS.md: holds "2-3 s, up to 10 s". Stillness on the
    // pelvis roll alone: the fault (the lumbar spine twisting during the hold) is the hold's
    // drift and the rotation warning, not the end of the hold. A 1-3° reach in 1.5 s peaks at
    // 1.3-3.8 °/s: since reaches differ threefold in size, the speed thresholds are 0.4 of each
    // reach's own peak speed (relativeSpeed, floor 0.3 °/s; hold-detector.ts). Fixed at 0.8 °/s,
    // holds of reaches under 1.5° were dated 50 ms early / 100 ms late (medians; 11 of
    // 64 off by over 150 ms against the observed hold, within 5 % of the reach), of reaches over
    // 2.5° 80 ms late / 60 ms early; relative, 0 / +30 ms whatever the reach, holds F1 0.960 ->
    // 0.988 (simulator, bird dog, both devices, seeds 1-3, 600 s). On hip hinges it does worse
    // (at 0.3: F1 0.991 -> 0.966), so it stays off there.
    holds: {
      speedSignals: ["pelvisObliquityAbs"],
      awaySignal: "pelvisObliquityAbs",
      awayMinDeg: 0.6,
      minMs: 2000,
      targetMs: 10_000,
      settings: { windowMs: 300, bridgeToleranceDeg: 0.3, relativeSpeed: 0.4, relativeFloorDps: 0.3 },
    },
    countsFromRest: true,
    // Neutral is the exercise: small tolerances; rotation 5° (AMA), the usual fault when the
    // leg lifts.
    limits: { flexionDeg: 10, extensionDeg: 10, lateralBendDeg: 10, axialRotationDeg: 5 },
  },
  "childs-pose-clock": {
    name: "childs-pose-clock",
    description: "Child's pose, hands walked around a clock face with 3 s pauses.",
    reps: null,
    // LUMBAR-FACTS.md: "child's-pose clock with 3 s pauses". Walking the hands from one clock
    // position to the next side-bends the lumbar spine while the hinge stays put, so the
    // lateral bend is a speed channel too: without it the pauses of a whole set merged into one
    // hold (simulator, childs-pose-clock, both devices, seeds 1-3, 600 s: 57 holds found of
    // 484). The walks are slow and vary threefold (8-24° in 2-2.5 s: peaks of 6-22 °/s, against
    // the hinges' 40-100 °/s, and 80° to get down), so the thresholds are relative, as the bird
    // dog's: 0.3 of each approach's peak speed, at most 5 °/s (hold-detector.ts). A pause's end
    // is dated by the pose (leaveDeg 0.5°): the speed threshold comes from the move into the
    // pause, and a smaller move out of it (an 8° walk after a 24° one) was seen 200-270 ms late.
    // Measured (holds found of 484 / F1 with start and end within 150 ms of the observed pause):
    // absolute 8 / 12 °/s, 234 / 0.28; 4 / 6 °/s over 300 ms, 484 / 0.67; relative 0.4, 484 /
    // 0.85; and the end by the pose, 0.5°: 484 / 0.99 (0.4°: 0.98, 0.3°: 0.86). Once the pelvis's
    // slow roll no longer crept into the lateral bend (gyro-bias-estimator.ts, othersMoving),
    // 0.4 dated the starts 20 ms early (0.967), 0.35 0.983, 0.3 0.994 (docs/BENCHMARKS.md,
    // session 12).
    holds: {
      speedSignals: ["pelvisTilt", "thoraxInclination", "flexion", "lateralBendAbs"],
      awaySignal: "pelvisTilt",
      awayMinDeg: 30,
      minMs: 2000,
      targetMs: 3000,
      settings: { windowMs: 300, relativeSpeed: 0.3, relativeFloorDps: 0.3, endSpeedDps: 5, leaveDeg: 0.5 },
    },
    // Child's pose is deep flexion: 45°, under the AMA 50°; lateral 20° (AMA) for the side
    // clock positions.
    limits: { flexionDeg: 45, extensionDeg: 15, lateralBendDeg: 20, axialRotationDeg: 6 },
  },
  "jefferson-curl": {
    name: "jefferson-curl",
    description: "Slow segmental roll-down into full flexion and back up.",
    // The roll-down starts at the thorax and the pelvis follows late, so the rep follows the
    // thorax inclination (the whole bend) rather than the pelvis.
    reps: { signal: "thoraxInclination", enterDeg: 15, exitFraction: 0.25 },
    holds: null,
    // A loaded flexion exercise: warn at the AMA 50° norm of healthy lumbar flexion.
    limits: { flexionDeg: 50, extensionDeg: 15, lateralBendDeg: 15, axialRotationDeg: 6 },
  },
};

/** Whether `name` is one of the exercise profiles. */
export function isExerciseName(name: string): name is ExerciseName {
  return (EXERCISE_NAMES as readonly string[]).includes(name);
}

/** The profile of an exercise; throws a one-line error listing the valid names otherwise. */
export function getExerciseProfile(name: string): ExerciseProfile {
  if (!isExerciseName(name)) {
    throw new Error(`unknown exercise "${name}"; valid exercises: ${EXERCISE_NAMES.join(", ")}`);
  }
  return EXERCISE_PROFILES[name];
}

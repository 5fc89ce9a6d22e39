import type {
  AngleFrame,
  ExerciseName,
  HoldSummary,
  MovementEvent,
  RangeLimits,
  RepSummary,
  RestNeutralAngles,
  TempoSummary,
  WarningSummary,
} from "@spinewatch/protocol";
import { HoldDetector, type HoldDetectorSettings } from "./hold-detector.js";
import { getExerciseProfile, type ExerciseProfile } from "./profiles.js";
import { validateLimits } from "./range-limits.js";
import { RangeMonitor, type RangeMonitorSettings } from "./range-monitor.js";
import { RepDetector, type RepDetectorSettings } from "./rep-detector.js";
import { RestNeutral } from "./rest-neutral.js";
import { summarizeTempo, type TempoOptions } from "./tempo.js";

export interface MovementAnalyzerOptions {
  /** Exercise profile name (EXERCISE_PROFILES); an unknown name throws, listing the valid ones. */
  exercise: string;
  /** Limits that override the profile's defaults (header limits, the person's own). */
  limits?: Partial<RangeLimits>;
  rep?: Partial<RepDetectorSettings>;
  hold?: Partial<HoldDetectorSettings>;
  range?: Partial<RangeMonitorSettings>;
  tempo?: Partial<TempoOptions>;
}

export interface AnalyzerResults {
  reps: RepSummary[];
  holds: HoldSummary[];
  warnings: WarningSummary[];
  tempo: TempoSummary;
}

/** Every number the detectors read is finite. */
function validFrame(f: AngleFrame): boolean {
  return (
    Number.isFinite(f.tMs) &&
    Number.isFinite(f.flexionDeg) &&
    Number.isFinite(f.lateralBendDeg) &&
    Number.isFinite(f.axialRotationDeg) &&
    Number.isFinite(f.pelvisTiltDeg) &&
    Number.isFinite(f.thoraxInclinationDeg) &&
    Number.isFinite(f.pelvisObliquityDeg)
  );
}

/**
 * The detectors of one session over angle frames (DESIGN.md, Detectors): reps and tempo,
 * mid-range holds and the tolerated range, configured by the exercise profile. A plain
 * processor: next(frame) -> events, in sample time only.
 *
 * Limits: the profile's defaults, overridden by `options.limits` and by setLimits (the
 * overrides are kept when the exercise changes; setLimits merges). setExercise and setLimits
 * take effect at the next frame, which then starts with a `limits` event. A limit that is not
 * a positive number throws a one-line error; unknown fields are ignored (limits come from
 * recordings, whose readers skip unknown fields, CONTRACTS.md §1).
 * Frames that go back in time, repeat a time, or carry a non-finite angle are rejected and
 * counted (`rejectedFrames`), never fed to the detectors.
 */
export class MovementAnalyzer {
  readonly options: MovementAnalyzerOptions;
  #profile: ExerciseProfile;
  #overrides: Partial<RangeLimits>;
  #pendingProfile: ExerciseProfile | null = null;
  #reps: RepDetector | null = null;
  #holds: HoldDetector | null = null;
  #range: RangeMonitor;
  #lastMs = Number.NaN;
  #rejected = 0;
  #repWarnings = 0;
  readonly #restNeutral = new RestNeutral();

  constructor(options: MovementAnalyzerOptions) {
    this.options = options;
    this.#profile = getExerciseProfile(options.exercise);
    this.#overrides = options.limits ? validateLimits(options.limits, "analyzer limits", true) : {};
    this.#range = new RangeMonitor(this.#resolvedLimits(this.#profile), options.range);
    this.#applyDetectors(Number.NaN);
  }

  get exercise(): ExerciseName {
    return (this.#pendingProfile ?? this.#profile).name;
  }

  get profile(): ExerciseProfile {
    return this.#pendingProfile ?? this.#profile;
  }

  /** The limits in force from the next frame on. */
  get limits(): RangeLimits {
    return this.#range.limits;
  }

  /**
   * The rest the detectors count the angles from from the next frame on (RestNeutral), or null
   * while they count from the calibrated standing neutral (the exercise's `countsFromRest`).
   * A new object on every call.
   */
  restNeutral(): RestNeutralAngles | null {
    if (!this.profile.countsFromRest) return null;
    return this.#restNeutral.angles();
  }

  /** Frames refused: time not increasing, or a non-finite angle. */
  get rejectedFrames(): number {
    return this.#rejected;
  }

  /** Switches the exercise profile at the next frame (open holds end, a rep in progress is dropped). */
  setExercise(name: string): void {
    this.#pendingProfile = getExerciseProfile(name);
    this.#range.setLimits(this.#resolvedLimits(this.#pendingProfile));
  }

  /** Merges limits into the overrides; they apply from the next frame. Throws on a bad field. */
  setLimits(limits: Partial<RangeLimits>): void {
    this.#overrides = { ...this.#overrides, ...validateLimits(limits, "setLimits", true) };
    this.#range.setLimits(this.#resolvedLimits(this.#pendingProfile ?? this.#profile));
  }

  next(frame: AngleFrame): MovementEvent[] {
    if (!validFrame(frame) || frame.tMs <= this.#lastMs) {
      this.#rejected++;
      return [];
    }
    this.#lastMs = frame.tMs;
    const events: MovementEvent[] = [];
    if (this.#pendingProfile) {
      this.#profile = this.#pendingProfile;
      this.#pendingProfile = null;
      events.push(...this.#applyDetectors(frame.tMs));
    }

    // The rest is tracked whatever the exercise, so that it is known when one that needs it starts.
    this.#restNeutral.next(frame);
    const detFrame = this.#profile.countsFromRest ? this.#restNeutral.lessNeutral(frame) : frame;
    let rep: number | null = null;
    if (this.#reps && this.#profile.reps) {
      const inRepBefore = this.#reps.currentRep;
      const from = events.length;
      this.#reps.next(detFrame, events);
      for (let i = from; i < events.length; i++) {
        const e = events[i];
        if (e.kind === "phase" && e.phase === "down" && inRepBefore === null) this.#repWarnings = this.#range.activeWarnings;
        else if (e.kind === "rep") e.rep.warnings = this.#repWarnings;
      }
      rep = this.#reps.currentRep;
    }
    if (this.#holds && this.#profile.holds) this.#holds.next(detFrame, events);
    const from = events.length;
    this.#range.next(detFrame, rep, events);
    if (rep !== null) {
      for (let i = from; i < events.length; i++) {
        const e = events[i];
        if (e.kind === "range" && e.level === "warning") this.#repWarnings++;
      }
    }
    return events;
  }

  /** End of the stream: closes an open hold, a rep awaiting lockout and open warnings. */
  finish(): MovementEvent[] {
    const events: MovementEvent[] = [];
    if (this.#reps) {
      for (const e of this.#reps.finish()) {
        if (e.kind === "rep") e.rep.warnings = this.#repWarnings;
        events.push(e);
      }
    }
    if (this.#holds) events.push(...this.#holds.finish());
    events.push(...this.#range.finish());
    return events;
  }

  reset(): void {
    this.#reps?.reset();
    this.#holds?.reset();
    this.#range.reset();
    this.#restNeutral.reset();
    this.#lastMs = Number.NaN;
    this.#rejected = 0;
    this.#repWarnings = 0;
  }

  results(): AnalyzerResults {
    const reps = [...(this.#reps?.reps ?? [])];
    return {
      reps,
      holds: [...(this.#holds?.holds ?? [])],
      warnings: [...this.#range.warnings],
      tempo: summarizeTempo(reps, this.options.tempo),
    };
  }

  #resolvedLimits(profile: ExerciseProfile): RangeLimits {
    return { ...profile.limits, ...this.#overrides };
  }

  /** Points the detectors at the current profile; detectors are kept so numbering continues. */
  #applyDetectors(tMs: number): MovementEvent[] {
    const events: MovementEvent[] = [];
    const { reps, holds } = this.#profile;
    if (reps) {
      if (this.#reps) events.push(...this.#reps.setProfile(reps, tMs));
      else this.#reps = new RepDetector(reps, this.options.rep);
    } else if (this.#reps) {
      events.push(...this.#reps.finish(tMs));
    }
    if (holds) {
      if (this.#holds) events.push(...this.#holds.setProfile(holds, tMs));
      else this.#holds = new HoldDetector(holds, this.options.hold);
    } else if (this.#holds) {
      events.push(...this.#holds.finish(tMs));
    }
    return events;
  }
}

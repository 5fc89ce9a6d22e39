import type { AngleFrame, MovementEvent, RepPhase, RepSummary } from "@spinewatch/protocol";
import { ChannelPeaks } from "./channel-peaks.js";
import { CycleRepEnd } from "./cycle-rep-ends.js";
import { OnePoleSmoother } from "./one-pole-smoother.js";
import { readSignal, type RepProfile } from "./profiles.js";
import { REP_DEFAULTS, type RepDetectorSettings } from "./rep-detector-settings.js";
import { RepTrace } from "./rep-trace.js";
import { WindowSpeed } from "./window-speed.js";

export { REP_DEFAULTS, type RepDetectorSettings } from "./rep-detector-settings.js";

/** Completed reps whose median duration scales the longest gap bridged inside a rep. */
const RECENT_REPS = 5;

/** "lockout": past the exit threshold, awaiting the lockout; "return": through the other side (cycle). */
type State = "standing" | "down" | "bottom" | "up" | "lockout" | "return";

/**
 * Counts reps of one exercise from angle frames: standing -> down -> bottom -> up -> standing,
 * by hysteresis on the lightly smoothed rep signal of the profile (DESIGN.md, Detectors).
 *
 * - Standing: the signal's resting minimum is tracked. A rep starts when the signal rises
 *   `enterDeg` above it; its start time is when the rise began: the last time the signal was
 *   within restBandDeg of the valley it rose from (not when the threshold was crossed).
 * - Down -> bottom when the descent slows below bottomSpeedDps or turns; bottom -> up when the
 *   signal falls max(3°, 15% of the excursion) below its peak.
 * - Up -> standing ("phase standing" event at once) when the signal falls below
 *   rest + exitFraction × excursion. The rep is then final at lockout: when the signal has
 *   reached its minimum and risen `wobbleDeg` again (the next swing), after lockoutWindowMs,
 *   or at a gap. Its end is when the signal entered the rest band of that minimum.
 * - Cycle profiles (cat-camel, `cycleDipDeg`): past the exit threshold the rep goes on
 *   through the other side and ends when the signal is back at its start level (within
 *   restBandDeg) after dipping cycleDipDeg below it (cycle-rep-ends.ts). Its lockout extension
 *   is the extension where it ends; the deepest extension of the dip (the camel) is its
 *   peakExtensionDeg.
 * - A gap longer than gapMs abandons a rep in progress (no rep event; a standing phase event
 *   says the rep is off) instead of interpolating through it, unless the rep is slow enough for
 *   the gap to be bridged (bridgeFraction: under half the recent reps' median duration, and
 *   not contradicted by the signal after it); the rep then goes on and carries `bridgedGapMs`. Measured
 *   on the simulator (60 sessions): 14 more reps found (hip hinges, deadlifts, Jefferson curls,
 *   side bends), none extra, rep peaks unchanged (docs/BENCHMARKS.md, session 11).
 *
 * Per rep: downMs = start to arrival at the bottom (first time within ~1° of the peak),
 * upMs = departure from the bottom (last time within it) to the end, so a pause at the bottom
 * belongs to neither. Peaks come from the unsmoothed frames.
 */
export class RepDetector {
  #settings: RepDetectorSettings;
  /** The caller's settings: over the profile's own (RepProfile.settings), which are over REP_DEFAULTS. */
  readonly #overrides: Partial<RepDetectorSettings>;
  #profile: RepProfile;
  #smoother: OnePoleSmoother;
  #speed: WindowSpeed;
  #speedIn = [0];
  #reps: RepSummary[] = [];
  #state: State = "standing";
  #lastMs = Number.NaN;
  // Rest tracking (standing and lockout).
  #minDeg = Infinity;
  #minMs = 0;
  #riseStartDeg = Infinity;
  #riseMaxDeg = -Infinity;
  #lastLowMs = 0;
  #candidate = new ChannelPeaks();
  // The rep in progress.
  #rep = new ChannelPeaks();
  #startMs = 0;
  #startLevelDeg = 0;
  #peakDeg = -Infinity;
  #bottomEntryPeakDeg = 0;
  #exitMs = 0;
  #settling = false;
  #lockoutMinFlexionDeg = Infinity;
  /** Frames missing inside the rep in progress (bridged gaps), ms. */
  #repGapMs = 0;
  /** The rep signal of the last frame, unsmoothed. */
  #lastRaw = Number.NaN;
  /** Durations of the last completed reps, ms (bridging, settings.bridgeFraction). */
  readonly #recentDurMs: number[] = [];
  /** Cycle profiles: the end of the rep through the other side, and the last start level. */
  #cycle: CycleRepEnd | null;
  #trace = new RepTrace();

  constructor(profile: RepProfile, settings: Partial<RepDetectorSettings> = {}) {
    this.#overrides = settings;
    this.#settings = { ...REP_DEFAULTS, ...profile.settings, ...settings };
    this.#profile = profile;
    this.#smoother = new OnePoleSmoother(this.#settings.cutoffHz);
    this.#speed = new WindowSpeed(1, 150);
    this.#cycle = this.#cycleFor(profile);
  }

  /** The settings in force: REP_DEFAULTS, then the profile's, then the caller's. */
  get settings(): Readonly<RepDetectorSettings> {
    return this.#settings;
  }

  /** Completed reps so far. */
  get reps(): readonly RepSummary[] {
    return this.#reps;
  }

  /** The live phase. */
  get phase(): RepPhase {
    return this.#state === "lockout" ? "standing" : this.#state === "return" ? "up" : this.#state;
  }

  /** Number of the rep in progress (down, bottom, up, or awaiting lockout), else null. */
  get currentRep(): number | null {
    return this.#state === "standing" ? null : this.#reps.length + 1;
  }

  /** Switches to another exercise's rep signal: a rep in progress is abandoned, numbering continues. */
  setProfile(profile: RepProfile, tMs: number): MovementEvent[] {
    const events = this.finish(tMs);
    this.#profile = profile;
    this.#settings = { ...REP_DEFAULTS, ...profile.settings, ...this.#overrides };
    this.#smoother = new OnePoleSmoother(this.#settings.cutoffHz);
    this.#cycle = this.#cycleFor(profile);
    return events;
  }

  /** Feeds one frame; events are appended to `out` (a new array by default), which is returned. */
  next(frame: AngleFrame, out: MovementEvent[] = []): MovementEvent[] {
    const events = out;
    const t = frame.tMs;
    const raw = readSignal(frame, this.#profile.signal);
    const holeMs = t - this.#lastMs;
    if (holeMs > this.settings.gapMs) {
      if (this.#bridges(holeMs, raw)) {
        // The rep goes on from here; the smoothing and the speed start again (no speed across it).
        this.#repGapMs += holeMs;
        this.#smoother.reset();
        this.#speed.reset();
      } else this.#closeAtGap(events, this.#lastMs);
    }
    this.#lastMs = t;
    const s = this.#smoother.next(t, raw);
    this.#lastRaw = raw;
    this.#speedIn[0] = s;
    const speedDps = this.#speed.next(t, this.#speedIn);
    const cfg = this.settings;

    if (this.#state === "return") {
      // Cycle profiles (cat-camel): the rep goes on through the other side (cycle-rep-ends.ts).
      this.#trace.push(t, s, frame.flexionDeg);
      this.#rep.add(frame);
      const end = this.#cycle!.next(t, s, speedDps, frame.flexionDeg);
      if (end !== null) {
        const back = end === "back";
        this.#emitPhase(events, t, "standing");
        // The signal is still rising into its rest level: rest tracking restarts from the
        // rep's start level, not from this frame (which would lower every next start level).
        const levelDeg = this.#startLevelDeg;
        this.#finalize(events, t, back ? t : undefined);
        this.#restartRestAt(levelDeg, frame, back);
      }
    }
    switch (this.#state) {
      case "return":
        break;
      case "standing":
      case "lockout": {
        // Forgotten, the minimum goes no higher than the onset of the rise under way: forgotten
        // at the signal itself mid-rise, it raised the rep's threshold by the rise so far
        // (simulator, side-bends WitMotion seed 8 at 88 s: a 14.7° rep missed). A slow shift of
        // posture still moves the onset with it (below), and the minimum after it.
        if (this.#state === "standing" && t - this.#minMs > cfg.restMemoryMs) this.#setMin(Math.min(s, this.#riseStartDeg), t);
        if (s < this.#minDeg) this.#setMin(s, t);
        // Onset of the current rise: restarts whenever the signal falls back (by more than the
        // band) and follows it while it stays within the band of where the rise began, so a
        // rep starting from a wobble or a lockout starts at its own valley.
        // After a cycle the signal rises into its rest level: that rise is the end of the last
        // rep, not the onset of the next, until it has settled (slower than settleSpeedDps).
        if (this.#settling && (speedDps < cfg.settleSpeedDps || s > this.#startLevelDeg + this.#profile.enterDeg / 2)) {
          this.#settling = false;
        }
        // A rise older than restMemoryMs that has come to rest is no rep onset: a rest level
        // that settled more than restBandDeg above the lockout's overshoot would otherwise keep
        // the onset at that lockout and date the first rep of the next set 10-20 s early
        // (kettlebell-swing, WitMotion, seed 3). Younger rises keep their valley, so the slow
        // start of a minimum-jerk descent still dates the rep.
        const still =
          speedDps < cfg.settleSpeedDps && t - this.#lastLowMs > cfg.restMemoryMs && s < this.#riseStartDeg + this.#profile.enterDeg / 2;
        if (this.#settling || still || s <= this.#riseStartDeg || s < this.#riseMaxDeg - cfg.restBandDeg) {
          this.#riseStartDeg = s;
          this.#riseMaxDeg = s;
        }
        if (s > this.#riseMaxDeg) this.#riseMaxDeg = s;
        if (s <= this.#riseStartDeg + cfg.restBandDeg) {
          this.#lastLowMs = t;
          this.#candidate.restart(frame);
        } else {
          this.#candidate.add(frame);
        }
        if (this.#state === "lockout") {
          this.#trace.push(t, s, frame.flexionDeg);
          this.#rep.add(frame);
          if (frame.flexionDeg < this.#lockoutMinFlexionDeg) this.#lockoutMinFlexionDeg = frame.flexionDeg;
          if (s > this.#minDeg + cfg.wobbleDeg || t - this.#exitMs >= cfg.lockoutWindowMs) this.#finalize(events, t);
        }
        // Cycle profiles: the rise out of a camel whose rep a loss burst closed early is that
        // rep's return to neutral, not a rep; rest tracking restarts once back at the level.
        const cycle = this.#cycle;
        const inCamel = cycle !== null && cycle.inCamel(this.#minDeg);
        if (inCamel && cycle.atLevel(s)) {
          const levelDeg = cycle.levelDeg;
          this.#restartRestAt(levelDeg, frame, true);
        } else if (!inCamel && s > this.#minDeg + this.#profile.enterDeg) {
          if (this.#state === "lockout") this.#finalize(events, t);
          this.#startRep(frame, s);
          this.#emitPhase(events, t, "down");
        }
        break;
      }
      case "down":
      case "bottom":
      case "up": {
        this.#trace.push(t, s, frame.flexionDeg);
        this.#rep.add(frame);
        if (s > this.#peakDeg) this.#peakDeg = s;
        const excursionDeg = this.#peakDeg - this.#startLevelDeg;
        const upDropDeg = Math.max(cfg.upDropMinDeg, cfg.upDropFraction * excursionDeg);
        if (this.#state === "down") {
          const slow = speedDps < cfg.bottomSpeedDps;
          if (slow || s < this.#peakDeg - cfg.turnDeg) {
            this.#bottomEntryPeakDeg = this.#peakDeg;
            this.#state = "bottom";
            this.#emitPhase(events, t, "bottom");
          }
        } else if (this.#state === "bottom" && s >= this.#bottomEntryPeakDeg + cfg.redescendDeg) {
          this.#state = "down";
          this.#emitPhase(events, t, "down");
        }
        if (this.#state === "bottom" && s < this.#peakDeg - upDropDeg) {
          this.#state = "up";
          this.#emitPhase(events, t, "up");
        }
        if (this.#state === "up" && s < this.#startLevelDeg + this.#profile.exitFraction * excursionDeg && this.#cycle !== null) {
          this.#state = "return";
          this.#exitMs = t;
          this.#cycle.begin(t, this.#startLevelDeg, frame.flexionDeg);
        } else if (this.#state === "up" && s < this.#startLevelDeg + this.#profile.exitFraction * excursionDeg) {
          this.#state = "lockout";
          this.#exitMs = t;
          this.#setMin(s, t);
          this.#riseStartDeg = s;
          this.#riseMaxDeg = s;
          this.#lastLowMs = t;
          this.#candidate.restart(frame);
          this.#lockoutMinFlexionDeg = frame.flexionDeg;
          this.#emitPhase(events, t, "standing");
        }
        break;
      }
    }
    return events;
  }

  /**
   * End of the stream (or of the exercise): a rep awaiting lockout is completed with the data
   * so far; a rep still going down or up is abandoned.
   */
  finish(tMs = this.#lastMs): MovementEvent[] {
    const events: MovementEvent[] = [];
    if (!Number.isNaN(tMs)) this.#closeAtGap(events, tMs);
    this.#restartTracking();
    return events;
  }

  reset(): void {
    this.#reps = [];
    this.#recentDurMs.length = 0;
    this.#state = "standing";
    this.#lastMs = Number.NaN;
    this.#cycle?.forget();
    this.#restartTracking();
  }

  #restartTracking(): void {
    this.#smoother.reset();
    this.#speed.reset();
    this.#minDeg = Infinity;
    this.#minMs = 0;
    this.#riseStartDeg = Infinity;
    this.#riseMaxDeg = -Infinity;
    this.#settling = false;
    this.#trace.clear();
  }

  /** Whether a gap of `holeMs` before a frame whose rep signal is `rawDeg` is bridged (settings.bridgeFraction). */
  #bridges(holeMs: number, rawDeg: number): boolean {
    const cfg = this.settings;
    if (this.#cycle !== null || !(this.#state === "down" || this.#state === "bottom" || this.#state === "up")) return false;
    if (this.#recentDurMs.length === 0 || holeMs > cfg.bridgeMaxMs) return false;
    const sorted = [...this.#recentDurMs].sort((a, b) => a - b);
    const medianMs = sorted[sorted.length >> 1];
    if (holeMs > cfg.bridgeFraction * medianMs) return false;
    // Coming up, a signal higher than before the gap says the next rep began in it.
    return !(this.#state === "up" && rawDeg > this.#lastRaw + cfg.wobbleDeg);
  }

  #closeAtGap(events: MovementEvent[], lastMs: number): void {
    if (this.#state === "lockout" || this.#state === "return") {
      if (this.#state === "return") this.#emitPhase(events, lastMs, "standing");
      this.#finalize(events, lastMs);
    } else if (this.#state !== "standing") {
      this.#state = "standing";
      this.#emitPhase(events, lastMs, "standing");
    }
    this.#state = "standing";
    this.#restartTracking();
  }

  #setMin(s: number, t: number): void {
    this.#minDeg = s;
    this.#minMs = t;
  }

  /** Rest tracking starts again from `levelDeg` at this frame (a rep ended, or a cycle is back at its level). */
  #restartRestAt(levelDeg: number, frame: AngleFrame, settling: boolean): void {
    this.#setMin(levelDeg, frame.tMs);
    this.#riseStartDeg = levelDeg;
    this.#riseMaxDeg = levelDeg;
    this.#settling = settling;
    this.#lastLowMs = frame.tMs;
    this.#candidate.restart(frame);
  }

  #cycleFor(profile: RepProfile): CycleRepEnd | null {
    if (profile.cycleDipDeg === undefined) return null;
    const cfg = this.settings;
    return new CycleRepEnd({
      dipDeg: profile.cycleDipDeg,
      enterDeg: profile.enterDeg,
      restBandDeg: cfg.restBandDeg,
      cycleWaitMs: cfg.cycleWaitMs,
      settleSpeedDps: cfg.settleSpeedDps,
    });
  }

  #emitPhase(events: MovementEvent[], tMs: number, phase: RepPhase): void {
    events.push({ kind: "phase", tMs, phase, rep: this.#reps.length + 1 });
  }

  #startRep(frame: AngleFrame, s: number): void {
    this.#state = "down";
    this.#repGapMs = 0;
    this.#startMs = this.#lastLowMs;
    // The valley the rise began from (the resting minimum after a lockout).
    this.#startLevelDeg = this.#riseStartDeg;
    this.#cycle?.startRep(this.#startLevelDeg);
    this.#peakDeg = s;
    this.#rep.copyFrom(this.#candidate);
    this.#rep.add(frame);
    this.#trace.clear();
    this.#trace.push(frame.tMs, s, frame.flexionDeg);
  }

  #finalize(events: MovementEvent[], tMs: number, endAtMs?: number): void {
    const cfg = this.settings;
    const { endMs, endIndex, arrivalMs, departureMs } = this.#trace.timing(this.#exitMs, this.#startLevelDeg, cfg.restBandDeg, this.#startMs, endAtMs);
    const peaks = this.#rep;
    // Extension at lockout: hinge reps, the most negative flexion from the exit threshold to
    // the lockout; cycle reps (which pass through extension on the way), the flexion where
    // they end, with the dip's deepest extension as peakExtensionDeg.
    const cycle = this.#state === "return" ? this.#cycle : null;
    const lockoutFlexionDeg = cycle !== null ? (this.#trace.flexionDeg[endIndex] ?? 0) : this.#lockoutMinFlexionDeg;
    const rep: RepSummary = {
      index: this.#reps.length + 1,
      startMs: this.#startMs,
      endMs,
      downMs: Math.max(0, arrivalMs - this.#startMs),
      upMs: Math.max(0, endMs - departureMs),
      peakPelvisTiltDeg: peaks.maxPelvisDeg,
      peakFlexionDeg: peaks.maxFlexionDeg,
      lockoutExtensionDeg: Math.max(0, -lockoutFlexionDeg),
      peakLateralBendDeg: peaks.lateralPeakDeg,
      lumbopelvicRatio:
        peaks.maxPelvisDeg >= cfg.minPelvisForRatioDeg ? peaks.maxFlexionDeg / peaks.maxPelvisDeg : Number.NaN,
    };
    if (cycle !== null) rep.peakExtensionDeg = cycle.peakExtensionDeg;
    if (this.#repGapMs > 0) rep.bridgedGapMs = this.#repGapMs;
    this.#recentDurMs.push(endMs - this.#startMs);
    if (this.#recentDurMs.length > RECENT_REPS) this.#recentDurMs.shift();
    if (this.#profile.signal === "lateralBendAbs") rep.side = peaks.lateralPeakDeg >= 0 ? "right" : "left";
    this.#reps.push(rep);
    events.push({ kind: "rep", tMs, rep });
    this.#state = "standing";
    this.#trace.clear();
  }
}

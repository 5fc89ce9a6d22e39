import type { AngleFrame, HoldSummary, MovementEvent } from "@spinewatch/protocol";
import { CubicFit } from "./cubic-fit.js";
import { LinearFit } from "./linear-fit.js";
import { readSignal, type HoldProfile } from "./profiles.js";
import { WindowSpeed } from "./window-speed.js";

export interface HoldDetectorSettings {
  /**
   * Stillness begins when every speed channel turns slower than this (°/s)... The thresholds
   * date the start and end of a hold: a minimum-jerk move of 35° in 0.6-0.9 s crosses 8-12 °/s
   * within ~100 ms of its end (start), a 1.5 s move ~150-230 ms before. Lower thresholds
   * would date better but approach the speed noise (LS slope over 200 ms: ~2 °/s for 0.4° of
   * white angle noise on thorax inclination).
   */
  startSpeedDps: number;
  /** ...and lasts while none turns faster than this (hysteresis against noise). */
  endSpeedDps: number;
  /** Window of the speed estimate (window-speed.ts). */
  windowMs: number;
  /**
   * Frames further apart than this are a gap: an open hold ends at the last frame before it,
   * unless the gap is bridged (below).
   */
  gapMs: number;
  /**
   * A gap of up to this long inside a hold (or its candidate stillness) is bridged when the pose
   * after it agrees with the pose before it: a BLE loss burst (the simulator's Gilbert-Elliott
   * bursts and the stale-until-fresh wait last 0.1-1 s) says nothing about the person, who is
   * found where they were left. Longer outages end the hold at the last frame before them.
   * 1 s: issue 4 asks angles to resume within 1 s of a sensor's return.
   */
  bridgeMaxMs: number;
  /**
   * "Agrees": every speed channel within this of its value before the gap. 2°: a hold's sway
   * (±1° at 0.5 Hz, the sway test below) must not fail a bridge, while a move that ends the hold
   * (a minimum-jerk hinge of 35-45° in 1.5-2 s) covers more than 2° within its first ~300 ms.
   */
  bridgeToleranceDeg: number;
  /** A hold-progress event every this many ms of sample time (a live hold timer). */
  progressEveryMs: number;
  /**
   * 0: the two speed thresholds above are absolute. Otherwise both are this fraction of the
   * approach's peak speed (the fastest the speed channels turned since the away signal last
   * became away or the last hold ended: the move into this hold), but not below
   * `relativeFloorDps` nor above `endSpeedDps`: a hold then starts and ends at the same
   * fraction of any move, small or large (profiles whose moves vary several-fold in size: the
   * bird dog, the child's-pose clock, profiles.ts). The ceiling: a move out of a hold smaller
   * than the move into it (a clock's 8° walk after the 80° of getting down) must still end it,
   * and a big move is dated about where it is 0.5° from its end, as bench/lib/hold-eval.ts
   * observes a hold (getting down, 80° of hinge in 4 s: 340 ms before its end, where the
   * thorax still turns at ~5 °/s).
   */
  relativeSpeed: number;
  /** The least threshold when `relativeSpeed` is on, °/s (above the speed noise at rest). */
  relativeFloorDps: number;
  /**
   * 0: a hold's end is dated by the speed (above). Otherwise by the pose: the last frame at which
   * every speed channel was still within this many degrees of its value LEAVE_LOOKBACK_MS before
   * the move was seen (or at the hold's start), as bench/lib/hold-eval.ts observes a hold's end.
   * For moves out of a hold that differ in size from the move in (the child's-pose clock), where
   * a speed threshold taken from the move in sees a smaller move late. A hold swaying by more
   * than this is dated early, by up to LEAVE_LOOKBACK_MS: for profiles whose holds are still.
   */
  leaveDeg: number;
}

export const HOLD_DEFAULTS: Readonly<HoldDetectorSettings> = {
  startSpeedDps: 8,
  endSpeedDps: 12,
  windowMs: 200,
  gapMs: 250,
  bridgeMaxMs: 1000,
  bridgeToleranceDeg: 2,
  progressEveryMs: 100,
  relativeSpeed: 0,
  relativeFloorDps: 0.3,
  leaveDeg: 0,
};

type State = "idle" | "candidate" | "holding";

const RING = 256;
/**
 * leaveDeg's reference: the pose this long before the move out of a hold was seen. The slowest
 * departure measured (a child's-pose clock walk, 8° in 2.5 s) is seen 550-750 ms after it began.
 */
const LEAVE_LOOKBACK_MS = 1000;
/**
 * How far back a hold's end may be dated from the first moving window's centre: the speed of a
 * minimum-jerk move out of a hold rises from 8 to 12 °/s in 20-65 ms (35° in 0.9-1.75 s); a
 * longer rise is a slow creep inside the hold, not its end.
 */
const END_BACKDATE_MAX_MS = 100;

/**
 * Mid-range holds (DESIGN.md, Detectors): the trunk paused away from standing, slow (pelvis
 * tilt and thorax inclination, or the profile's channels, turning slower than 8 °/s, until
 * one turns faster than 12 °/s) for at least the profile's minimum time.
 *
 * The speed over a 200 ms window describes the window's centre, so stillness is dated to the
 * centre of the first still window (under the start threshold) and its end, once a window is
 * over the end threshold, to the centre of the first window since which the speed has stayed
 * over the start threshold (at most END_BACKDATE_MAX_MS back): both dated by one threshold, as
 * the end dated at the higher one came 60 ms late at the median (simulator, hip-hinge-holds and
 * bird dog, docs/BENCHMARKS.md). Frames after that end are taken back out of the fit.
 * hold-start is emitted when the minimum time is reached but carries the time the stillness
 * began; hold-progress every 100 ms of sample time; hold-end with the HoldSummary. Drift is
 * the lumbar flexion change from the hold's start to its end along a least-squares cubic
 * (cubic-fit.ts; positive: sagging into flexion), sway the RMS about that trend.
 *
 * Frame outages (BLE loss bursts): a gap of up to bridgeMaxMs after which the pose agrees with
 * the pose before it is bridged (the hold or its candidate goes on; the speed is unknown until
 * the window has refilled, which is not movement); a longer one, or one across which the pose
 * changed, ends an open hold at the last frame before it.
 */
export class HoldDetector {
  #settings: HoldDetectorSettings;
  /** The caller's settings: over the profile's own (HoldProfile.settings), which are over HOLD_DEFAULTS. */
  readonly #overrides: Partial<HoldDetectorSettings>;
  #profile: HoldProfile;
  #speed: WindowSpeed;
  #speedIn: number[];
  #holds: HoldSummary[] = [];
  #state: State = "idle";
  /** Peak speed of the move into the away region (relativeSpeed), °/s. */
  #approachPeakDps = 0;
  #lastMs = Number.NaN;
  #startMs = 0;
  /** Centre of the first window since which the speed has stayed at or above the start threshold, ms (NaN: below it now). */
  #riseMs = Number.NaN;
  #nextProgressMs = 0;
  #flexTrend = new CubicFit();
  #pelvisFit = new LinearFit();
  // Recent frames (time, flexion, pelvis tilt) for back-dating the start and trimming the end.
  #ringMs = new Float64Array(RING);
  #ringFlex = new Float64Array(RING);
  #ringPelvis = new Float64Array(RING);
  /** The speed channels of each kept frame, speedSignals.length per frame (leaveDeg). */
  #ringSignals: Float64Array;
  #ringHead = 0;
  #ringCount = 0;

  constructor(profile: HoldProfile, settings: Partial<HoldDetectorSettings> = {}) {
    this.#overrides = settings;
    this.#settings = { ...HOLD_DEFAULTS, ...profile.settings, ...settings };
    this.#profile = profile;
    this.#speed = new WindowSpeed(profile.speedSignals.length, this.settings.windowMs);
    this.#speedIn = new Array<number>(profile.speedSignals.length).fill(0);
    this.#ringSignals = new Float64Array(RING * profile.speedSignals.length);
  }

  /** The settings in force: HOLD_DEFAULTS, then the profile's, then the caller's. */
  get settings(): Readonly<HoldDetectorSettings> {
    return this.#settings;
  }

  get holds(): readonly HoldSummary[] {
    return this.#holds;
  }

  /** Whether a hold (past its minimum time) is open. */
  get holding(): boolean {
    return this.#state === "holding";
  }

  /** Feeds one frame; events are appended to `out` (a new array by default), which is returned. */
  next(frame: AngleFrame, out: MovementEvent[] = []): MovementEvent[] {
    const events = out;
    const t = frame.tMs;
    const cfg = this.settings;
    const signals = this.#profile.speedSignals;
    const gapMs = t - this.#lastMs;
    if (gapMs > cfg.gapMs) {
      // #speedIn still holds the pose of the last frame before the gap.
      if (this.#state !== "idle" && gapMs <= cfg.bridgeMaxMs && this.#poseAgrees(frame)) this.#speed.reset();
      else this.#closeAtGap(events, this.#lastMs);
    }
    const prevMs = this.#lastMs;
    this.#lastMs = t;

    for (let c = 0; c < signals.length; c++) this.#speedIn[c] = readSignal(frame, signals[c]);
    const speedDps = this.#speed.next(t, this.#speedIn);
    const centreMs = t - this.#speed.spanMs / 2;
    const away = readSignal(frame, this.#profile.awaySignal) >= this.#profile.awayMinDeg;
    this.#pushRing(t, frame.flexionDeg, frame.pelvisTiltDeg, this.#speedIn);
    if (!away) this.#approachPeakDps = 0;
    else if (this.#state === "idle" && speedDps > this.#approachPeakDps) this.#approachPeakDps = speedDps;
    const relativeDps = cfg.relativeSpeed > 0 ? Math.min(cfg.endSpeedDps, Math.max(cfg.relativeFloorDps, cfg.relativeSpeed * this.#approachPeakDps)) : Number.NaN;
    const startDps = cfg.relativeSpeed > 0 ? relativeDps : cfg.startSpeedDps;
    const endDps = cfg.relativeSpeed > 0 ? relativeDps : cfg.endSpeedDps;

    if (this.#state === "idle") {
      if (away && speedDps < startDps) {
        this.#state = "candidate";
        this.#startMs = centreMs;
        this.#riseMs = Number.NaN;
        this.#flexTrend.reset(centreMs / 1000, frame.flexionDeg);
        this.#pelvisFit.reset(centreMs / 1000, frame.pelvisTiltDeg);
        this.#forRing((ms, flex, pelvis) => {
          if (ms >= centreMs) this.#addFit(ms, flex, pelvis);
        });
      }
      return events;
    }

    // NaN: the speed window holds less than half a window since a gap (100-250 ms gaps, bridged
    // ones): unknown, not moving. Taken as moving, every such gap ended the hold or restarted
    // its candidate (hip-hinge-holds: holds ended up to 1.5 s early, starts 0.7-1.5 s late).
    const moving = speedDps > endDps;
    // (A NaN speed, unknown after a gap, leaves it as it is.)
    if (speedDps < startDps) this.#riseMs = Number.NaN;
    else if (speedDps >= startDps && Number.isNaN(this.#riseMs)) this.#riseMs = centreMs;
    if (moving || !away) {
      if (this.#state === "holding") {
        // Moving: the motion began about when the speed rose through the start threshold, the
        // one the start was dated by (END_BACKDATE_MAX_MS); leaving the away region at a
        // standstill: the hold lasted through the previous frame.
        const movedMs = moving && cfg.leaveDeg > 0
          ? this.#leftPoseMs(t, cfg.leaveDeg)
          : Math.max(Number.isNaN(this.#riseMs) ? centreMs : this.#riseMs, centreMs - END_BACKDATE_MAX_MS);
        const endMs = Math.max(this.#startMs, moving ? movedMs : prevMs);
        this.#forRing((ms, flex, pelvis) => {
          if (ms > endMs && ms < t) this.#removeFit(ms, flex, pelvis);
        });
        this.#endHold(events, t, endMs);
        // The next hold's approach is the move that ended this one.
        this.#approachPeakDps = 0;
      }
      this.#state = "idle";
      return events;
    }

    this.#addFit(t, frame.flexionDeg, frame.pelvisTiltDeg);
    const elapsedMs = t - this.#startMs;
    if (this.#state === "candidate" && elapsedMs >= this.#profile.minMs) {
      this.#state = "holding";
      events.push({
        kind: "hold-start",
        tMs: this.#startMs,
        targetMs: this.#profile.targetMs,
        flexionDeg: this.#flexTrend.mean,
      });
      this.#nextProgressMs = (Math.floor(elapsedMs / cfg.progressEveryMs) + 1) * cfg.progressEveryMs;
    } else if (this.#state === "holding" && elapsedMs >= this.#nextProgressMs) {
      events.push({
        kind: "hold-progress",
        tMs: t,
        elapsedMs,
        targetMs: this.#profile.targetMs,
        flexionDeg: frame.flexionDeg,
        driftDeg: this.#driftDeg(t),
      });
      while (this.#nextProgressMs <= elapsedMs) this.#nextProgressMs += cfg.progressEveryMs;
    }
    return events;
  }

  /** Switches to another exercise's hold settings; an open hold ends first. */
  setProfile(profile: HoldProfile, tMs: number): MovementEvent[] {
    const events = this.finish(tMs);
    this.#profile = profile;
    this.#settings = { ...HOLD_DEFAULTS, ...profile.settings, ...this.#overrides };
    this.#speed = new WindowSpeed(profile.speedSignals.length, this.settings.windowMs);
    this.#speedIn = new Array<number>(profile.speedSignals.length).fill(0);
    this.#ringSignals = new Float64Array(RING * profile.speedSignals.length);
    this.#approachPeakDps = 0;
    return events;
  }

  /** End of the stream: an open hold ends at the last frame. */
  finish(tMs = this.#lastMs): MovementEvent[] {
    const events: MovementEvent[] = [];
    if (!Number.isNaN(this.#lastMs)) this.#closeAtGap(events, Math.min(tMs, this.#lastMs));
    return events;
  }

  reset(): void {
    this.#holds = [];
    this.#state = "idle";
    this.#approachPeakDps = 0;
    this.#lastMs = Number.NaN;
    this.#speed.reset();
    this.#ringCount = 0;
  }

  /** Whether every speed channel of `frame` is within bridgeToleranceDeg of the last frame's. */
  #poseAgrees(frame: AngleFrame): boolean {
    const signals = this.#profile.speedSignals;
    for (let c = 0; c < signals.length; c++) {
      if (!(Math.abs(readSignal(frame, signals[c]) - this.#speedIn[c]) < this.settings.bridgeToleranceDeg)) return false;
    }
    return true;
  }

  #closeAtGap(events: MovementEvent[], lastMs: number): void {
    if (this.#state === "holding") this.#endHold(events, lastMs, lastMs);
    this.#state = "idle";
    this.#speed.reset();
    this.#ringCount = 0;
  }

  #endHold(events: MovementEvent[], tMs: number, endMs: number): void {
    const durationMs = endMs - this.#startMs;
    const hold: HoldSummary = {
      startMs: this.#startMs,
      endMs,
      durationMs,
      meanFlexionDeg: this.#flexTrend.mean,
      driftDeg: this.#driftDeg(endMs),
      swayDeg: this.#flexTrend.residualRms,
      meanPelvisTiltDeg: this.#pelvisFit.mean,
      targetMs: this.#profile.targetMs,
      targetMet: durationMs >= this.#profile.targetMs,
    };
    this.#holds.push(hold);
    events.push({ kind: "hold-end", tMs, hold });
  }

  /** Lumbar flexion's change from the hold's start to `tMs` along the fitted trend (sagging positive). */
  #driftDeg(tMs: number): number {
    return this.#flexTrend.valueAt(tMs / 1000) - this.#flexTrend.valueAt(this.#startMs / 1000);
  }

  #addFit(ms: number, flex: number, pelvis: number): void {
    this.#flexTrend.add(ms / 1000, flex);
    this.#pelvisFit.add(ms / 1000, pelvis);
  }

  #removeFit(ms: number, flex: number, pelvis: number): void {
    this.#flexTrend.remove(ms / 1000, flex);
    this.#pelvisFit.remove(ms / 1000, pelvis);
  }

  /**
   * leaveDeg's end: the last kept frame, from the reference (LEAVE_LOOKBACK_MS before `tMs`, not
   * before the hold's start) on, with every speed channel within `levelDeg` of the reference's.
   */
  #leftPoseMs(tMs: number, levelDeg: number): number {
    const n = this.#profile.speedSignals.length;
    const refMs = Math.max(this.#startMs, tMs - LEAVE_LOOKBACK_MS);
    let ref = -1;
    let lastInMs = Number.NaN;
    for (let k = this.#ringCount; k >= 1; k--) {
      const i = (this.#ringHead - k + RING) % RING;
      if (this.#ringMs[i] < refMs) continue;
      if (ref < 0) ref = i;
      for (let c = 0; c < n; c++) {
        if (Math.abs(this.#ringSignals[i * n + c] - this.#ringSignals[ref * n + c]) > levelDeg) return Number.isNaN(lastInMs) ? this.#ringMs[i] : lastInMs;
      }
      lastInMs = this.#ringMs[i];
    }
    return Number.isNaN(lastInMs) ? tMs : lastInMs;
  }

  #pushRing(ms: number, flex: number, pelvis: number, signals: readonly number[]): void {
    const i = this.#ringHead;
    this.#ringMs[i] = ms;
    this.#ringFlex[i] = flex;
    this.#ringPelvis[i] = pelvis;
    // Only leaveDeg reads them: the other profiles' frames skip the copy.
    if (this.settings.leaveDeg > 0) for (let c = 0; c < signals.length; c++) this.#ringSignals[i * signals.length + c] = signals[c];
    this.#ringHead = (i + 1) % RING;
    if (this.#ringCount < RING) this.#ringCount++;
  }

  /** Visits the kept frames, oldest first. */
  #forRing(visit: (ms: number, flex: number, pelvis: number) => void): void {
    for (let k = this.#ringCount; k >= 1; k--) {
      const i = (this.#ringHead - k + RING) % RING;
      visit(this.#ringMs[i], this.#ringFlex[i], this.#ringPelvis[i]);
    }
  }
}

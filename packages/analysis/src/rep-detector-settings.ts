/** Tuning of the rep state machine; every field has a default (REP_DEFAULTS). */
export interface RepDetectorSettings {
  /**
   * Smoothing of the rep signal. 6 Hz: the cutoff labs use for swings captured at 100 Hz
   * (LUMBAR-FACTS.md, "4th-order zero-lag 6 Hz Butterworth"); here causal, one pole (~27 ms lag).
   */
  cutoffHz: number;
  /**
   * Frames further apart than this are a gap, never continuous motion. 600 ms: a burst of lost
   * BLE notifications (a few hundred ms, the simulator's Gilbert-Elliott bursts) inside a rep
   * must not cost the rep (issue 4: reps counted exactly; measured on the simulator at 250 ms:
   * hip-hinge-holds, WitMotion, seed 1 lost one rep of six to a 330 ms thoracic burst), while a
   * dropout (seconds) still abandons it.
   */
  gapMs: number;
  /**
   * A longer gap inside a rep going down, at the bottom or coming up is bridged (the rep goes on,
   * with `bridgedGapMs` set) when it is shorter than this fraction of the last completed reps' median
   * duration, at most `bridgeMaxMs`, and the signal after it does not contradict the phase
   * (coming up: no higher than before it). Half a rep cannot hide the rest of this rep and the
   * next one's start; a swing's 1.3-1.9 s rep still loses a rep to a 1 s hole, a deadlift's or a
   * Jefferson curl's (3.5-12 s) does not.
   */
  bridgeFraction: number;
  bridgeMaxMs: number;
  /** Rise above the lockout minimum that confirms the lockout is over (the rep is final). */
  wobbleDeg: number;
  /** "At rest" band above the minimum: a rep starts when the signal last left it, ends when it enters it. */
  restBandDeg: number;
  /** Longest wait after the exit threshold for the lockout minimum. */
  lockoutWindowMs: number;
  /** Cycle profiles: longest wait after the exit threshold for the dip through the other side... */
  cycleWaitMs: number;
  /** ...and the speed under which the return has settled into the rest level. */
  settleSpeedDps: number;
  /** The resting minimum is forgotten after this long, so a slow shift of posture is not a rep. */
  restMemoryMs: number;
  /** The descent has reached the bottom when the signal turns slower than this... */
  bottomSpeedDps: number;
  /** ...or has fallen this far below its peak. */
  turnDeg: number;
  /** The way up starts when the signal falls max(upDropMinDeg, upDropFraction × excursion) below its peak. */
  upDropMinDeg: number;
  upDropFraction: number;
  /** From the bottom phase, a further descent of this much is "down" again (a pause on the way down). */
  redescendDeg: number;
  /** Pelvis tilt below which the lumbopelvic ratio is not defined (NaN). */
  minPelvisForRatioDeg: number;
}

export const REP_DEFAULTS: Readonly<RepDetectorSettings> = {
  cutoffHz: 6,
  gapMs: 600,
  bridgeFraction: 0.5,
  bridgeMaxMs: 2000,
  wobbleDeg: 2,
  restBandDeg: 1,
  lockoutWindowMs: 400,
  cycleWaitMs: 2500,
  settleSpeedDps: 3,
  restMemoryMs: 3000,
  bottomSpeedDps: 20,
  turnDeg: 1.5,
  upDropMinDeg: 3,
  upDropFraction: 0.15,
  redescendDeg: 5,
  minPelvisForRatioDeg: 5,
};

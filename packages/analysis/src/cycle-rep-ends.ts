/** Settings of the cycle end (from the rep profile and RepDetectorSettings). */
export interface CycleEndSettings {
  /** The signal must dip this far below the rep's start level (RepProfile.cycleDipDeg). */
  dipDeg: number;
  /** A rise this far above the start level is the next rep (RepProfile.enterDeg). */
  enterDeg: number;
  /** "Back at the start level": within this of it (RepDetectorSettings.restBandDeg). */
  restBandDeg: number;
  /** Longest wait after the exit threshold for the dip (RepDetectorSettings.cycleWaitMs)... */
  cycleWaitMs: number;
  /** ...once the signal has settled below this speed (RepDetectorSettings.settleSpeedDps). */
  settleSpeedDps: number;
}

/**
 * How a cycle rep ended: back at its start level after the dip, no dip came (given up once the
 * signal settled), or the signal rose into the next rep without coming back.
 */
export type CycleEnd = "back" | "no-dip" | "next-rep";

/**
 * The end of a rep that cycles through both directions (cat-camel: round, then arch, then back
 * to neutral; RepProfile.cycleDipDeg). RepDetector hands the rep over at its exit threshold (the
 * way back from the cat); the rep then goes on through the other side and ends when the signal
 * is back at its start level after dipping dipDeg below it. Meanwhile the deepest extension is
 * kept: the camel's depth, the rep's peakExtensionDeg (its lockoutExtensionDeg is the extension
 * where it ends, CONTRACTS.md §2 "extension at lockout", as the simulator's truth defines it).
 *
 * The start level of the last rep (neutral) outlives the rep and gaps: a standing valley deeper
 * than dipDeg below it is a camel whose rep a loss burst closed early, and the rise out of it is
 * that rep's return, not a new rep (cat-camel, WitMotion, seed 2 counted 27 such returns).
 */
export class CycleRepEnd {
  readonly settings: CycleEndSettings;
  #startLevelDeg = 0;
  #exitMs = 0;
  #dipped = false;
  #minFlexionDeg = Infinity;
  #levelDeg = Number.NaN;

  constructor(settings: CycleEndSettings) {
    this.settings = settings;
  }

  /** The start level of the last rep, NaN before the first (or after forget()). */
  get levelDeg(): number {
    return this.#levelDeg;
  }

  /** Deepest extension since the exit threshold (a positive magnitude, 0 if none). */
  get peakExtensionDeg(): number {
    return Math.max(0, -this.#minFlexionDeg);
  }

  /** A rep starts from `levelDeg` (kept for inCamel after the rep). */
  startRep(levelDeg: number): void {
    this.#levelDeg = levelDeg;
  }

  /** Forgets the level (another exercise, a reset). */
  forget(): void {
    this.#levelDeg = Number.NaN;
  }

  /** The rep passed its exit threshold at tMs: from here it goes through the other side. */
  begin(tMs: number, startLevelDeg: number, flexionDeg: number): void {
    this.#exitMs = tMs;
    this.#startLevelDeg = startLevelDeg;
    this.#dipped = false;
    this.#minFlexionDeg = flexionDeg;
  }

  /**
   * One frame of the return: the smoothed rep signal `signalDeg`, its speed and the raw
   * flexion. Returns how the rep ended, or null while it goes on.
   */
  next(tMs: number, signalDeg: number, speedDps: number, flexionDeg: number): CycleEnd | null {
    const cfg = this.settings;
    if (flexionDeg < this.#minFlexionDeg) this.#minFlexionDeg = flexionDeg;
    if (signalDeg < this.#startLevelDeg - cfg.dipDeg) this.#dipped = true;
    if (this.#dipped && signalDeg >= this.#startLevelDeg - cfg.restBandDeg) return "back";
    // No dip: given up only once the signal has settled (a slow camel, 2.7-3.3 s from the
    // cat, can still be on its way down after cycleWaitMs; ending the rep there made the
    // camel's return to neutral the onset of a spurious rep: cat-camel, WitMotion, seed 2).
    if (!this.#dipped && tMs - this.#exitMs >= cfg.cycleWaitMs && speedDps < cfg.settleSpeedDps) return "no-dip";
    if (signalDeg > this.#startLevelDeg + cfg.enterDeg) return "next-rep";
    return null;
  }

  /** Whether a resting minimum `minDeg` lies in a camel: more than dipDeg below the last level. */
  inCamel(minDeg: number): boolean {
    return minDeg < this.#levelDeg - this.settings.dipDeg;
  }

  /** Whether the signal is back at the last level (within restBandDeg). */
  atLevel(signalDeg: number): boolean {
    return signalDeg >= this.#levelDeg - this.settings.restBandDeg;
  }
}

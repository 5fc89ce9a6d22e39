import { OnePoleSmoother } from "./one-pole-smoother.js";

/** Settings of {@link DepartureFollower} (RestNeutralSettings carries them, with the reasons). */
export interface DepartureFollowerSettings {
  /** Time constant of the following, ms. */
  followMs: number;
  /** It stops while the low-passed reading is further than this from it, degrees... */
  departDeg: number;
  /** ...for at most this long, ms. */
  maxDepartMs: number;
  /** Frames further apart than this are a gap, across which it does not move, ms. */
  gapMs: number;
}

/**
 * A level that follows a reading slowly and stops where it was when the reading left it quickly
 * (a departure), until the reading comes back within departDeg or maxDepartMs have passed: the
 * level before a movement, while the level itself may drift (RestNeutral, the obliquity before
 * the person has settled on all fours). The following is OnePoleSmoother's, restarted where the
 * level is set.
 */
export class DepartureFollower {
  readonly #lowpass: OnePoleSmoother;
  #started = false;
  #departed = false;
  #departedMs = 0;
  #lastMs = Number.NaN;

  constructor(readonly settings: Readonly<DepartureFollowerSettings>) {
    this.#lowpass = new OnePoleSmoother(1000 / (2 * Math.PI * settings.followMs));
  }

  /** The level, degrees (NaN before the first `next`). */
  get valueDeg(): number {
    return this.#started ? this.#lowpass.value : Number.NaN;
  }

  /** Whether the reading has left the level and not come back. */
  get departed(): boolean {
    return this.#departed;
  }

  /**
   * One frame: `lpDeg` is the reading low-passed (the departure test must not trip on noise).
   * Not `armed`, the level is the raw reading `xDeg` itself and no departure is watched.
   */
  next(tMs: number, xDeg: number, lpDeg: number, armed: boolean): void {
    const s = this.settings;
    if (!this.#started || !armed) {
      this.#restart(tMs, armed ? lpDeg : xDeg);
      this.#departed = false;
    } else if (!this.#departed) {
      // Across a gap in the frames it does not move (a departure may have begun in the gap).
      if (tMs - this.#lastMs <= s.gapMs) this.#lowpass.next(tMs, lpDeg);
      else this.#restart(tMs, this.#lowpass.value);
      if (Math.abs(lpDeg - this.#lowpass.value) > s.departDeg) {
        this.#departed = true;
        this.#departedMs = tMs;
      }
    } else if (Math.abs(lpDeg - this.#lowpass.value) <= s.departDeg || tMs - this.#departedMs > s.maxDepartMs) {
      this.#departed = false;
      this.#restart(tMs, lpDeg);
    }
    this.#lastMs = tMs;
  }

  reset(): void {
    this.#started = false;
    this.#departed = false;
    this.#lastMs = Number.NaN;
  }

  /** The level set to `valueDeg` at `tMs`, following on from there. */
  #restart(tMs: number, valueDeg: number): void {
    this.#lowpass.reset();
    this.#lowpass.next(tMs, valueDeg);
    this.#started = true;
  }
}

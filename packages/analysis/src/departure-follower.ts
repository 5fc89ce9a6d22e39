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
 * the person has settled on all fours).
 */
export class DepartureFollower {
  /** The level, degrees (NaN before the first `next`). */
  valueDeg = Number.NaN;
  #departed = false;
  #departedMs = 0;
  #lastMs = Number.NaN;
  #dtMs = Number.NaN;
  #k = 0;

  constructor(readonly settings: Readonly<DepartureFollowerSettings>) {}

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
    if (Number.isNaN(this.valueDeg) || !armed) {
      this.valueDeg = armed ? lpDeg : xDeg;
      this.#departed = false;
    } else if (!this.#departed) {
      // Across a gap in the frames it does not move (a departure may have begun in the gap).
      const dtMs = tMs - this.#lastMs;
      if (dtMs <= s.gapMs) {
        if (dtMs !== this.#dtMs) {
          this.#dtMs = dtMs;
          this.#k = 1 - Math.exp(-dtMs / s.followMs);
        }
        this.valueDeg += this.#k * (lpDeg - this.valueDeg);
      }
      if (Math.abs(lpDeg - this.valueDeg) > s.departDeg) {
        this.#departed = true;
        this.#departedMs = tMs;
      }
    } else if (Math.abs(lpDeg - this.valueDeg) <= s.departDeg || tMs - this.#departedMs > s.maxDepartMs) {
      this.#departed = false;
      this.valueDeg = lpDeg;
    }
    this.#lastMs = tMs;
  }

  reset(): void {
    this.valueDeg = Number.NaN;
    this.#departed = false;
    this.#lastMs = Number.NaN;
  }
}

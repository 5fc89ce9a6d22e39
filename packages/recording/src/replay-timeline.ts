/**
 * Pacing math of a replay: when (on the injected clock) a line with session time `tMs` is due.
 *
 * Each line is due at `anchorWallMs + (tMs - anchorTMs) / rate`, computed from one anchor, not
 * accumulated from line to line, so rounding and late wake-ups never add up. (STYLE-MODELS.md §1:
 * Foxglove's mcap-play waits `(elapsedMessageTime - elapsedWallTime) / rate`, which drifts for
 * rate != 1 because wall time is divided by the rate too; the right wait is
 * `elapsedMessageTime / rate - elapsedWallTime`, which is what the anchor form gives.)
 * The anchor moves only where the mapping must change: a rate change, resume and seek, each
 * re-anchoring at the current session position so playback continues without a jump. A seek
 * (and the start) anchors lazily, when the first line is ready to play, so the time taken to
 * reopen or skip through the file does not turn into a burst of overdue lines.
 * Pure: the caller passes the clock's `nowMs` in.
 */
export class ReplayTimeline {
  #rate: number;
  #paused = false;
  #anchored = false;
  #anchorWallMs = 0;
  #anchorTMs = 0;
  /** Session position while paused. */
  #frozenTMs: number | null = null;
  /** Where a seek (or the start) put the position before the mapping is anchored. */
  #pendingStartTMs: number | null = null;
  /** Last session time actually played; the position at rate Infinity, where wall time says nothing. */
  #lastPlayedTMs = -Infinity;

  constructor(rate = 1) {
    this.#rate = checkRate(rate);
  }

  get rate(): number {
    return this.#rate;
  }
  get paused(): boolean {
    return this.#paused;
  }
  get anchored(): boolean {
    return this.#anchored;
  }

  /** Starts the mapping: session time `tMs` is now (`nowMs`). */
  anchor(nowMs: number, tMs: number): void {
    this.#anchored = true;
    this.#pendingStartTMs = null;
    this.#anchorWallMs = nowMs;
    this.#anchorTMs = tMs;
    if (this.#paused) this.#frozenTMs = tMs;
  }

  /**
   * Anchors, if not yet anchored, with the first line ready to play at `tMs`: at the seek or
   * start position when there is one (the line then waits its distance from it), else at `tMs`.
   */
  ensureAnchored(nowMs: number, tMs: number): void {
    if (!this.#anchored) this.anchor(nowMs, this.#pendingStartTMs ?? tMs);
  }

  /** When a line at `tMs` is due on the clock (-Infinity at rate Infinity: at once). */
  dueWallMs(tMs: number): number {
    if (this.#rate === Infinity) return -Infinity;
    return this.#anchorWallMs + (tMs - this.#anchorTMs) / this.#rate;
  }

  /** Tells the timeline a line at `tMs` was played. */
  played(tMs: number): void {
    if (tMs > this.#lastPlayedTMs) this.#lastPlayedTMs = tMs;
  }

  /** The session position at `nowMs`: where playback is between lines. */
  positionAt(nowMs: number): number {
    if (this.#paused && this.#frozenTMs !== null) return this.#frozenTMs;
    if (!this.#anchored) return this.#pendingStartTMs ?? this.#lastPlayedTMs;
    if (this.#rate === Infinity) return Math.max(this.#lastPlayedTMs, this.#anchorTMs);
    return this.#anchorTMs + (nowMs - this.#anchorWallMs) * this.#rate;
  }

  pause(nowMs: number): void {
    if (this.#paused) return;
    this.#frozenTMs = this.#anchored ? this.positionAt(nowMs) : this.#pendingStartTMs;
    this.#paused = true;
  }

  resume(nowMs: number): void {
    if (!this.#paused) return;
    this.#paused = false;
    if (this.#frozenTMs !== null) {
      if (this.#anchored) this.anchor(nowMs, this.#frozenTMs);
      else this.#pendingStartTMs = this.#frozenTMs;
    }
    this.#frozenTMs = null;
  }

  setRate(rate: number, nowMs: number): void {
    const next = checkRate(rate);
    if (this.#anchored && !this.#paused) this.anchor(nowMs, this.positionAt(nowMs));
    this.#rate = next;
  }

  /** Jumps to session time `tMs`; the next line played anchors the mapping (see ensureAnchored). */
  seek(tMs: number): void {
    this.#anchored = false;
    this.#pendingStartTMs = tMs;
    this.#lastPlayedTMs = -Infinity;
    if (this.#paused) this.#frozenTMs = tMs;
  }
}

function checkRate(rate: number): number {
  if (!(rate > 0)) throw new RangeError(`replay rate must be > 0 (Infinity = as fast as possible), got ${rate}`);
  return rate;
}

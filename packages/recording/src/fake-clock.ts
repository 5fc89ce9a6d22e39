import type { Clock } from "@spinewatch/protocol";

interface Timer {
  wakeMs: number;
  seq: number;
  resolve: () => void;
}

function macrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A Clock for tests (protocol/source.ts): time stands still until the test moves it, and moves
 * only to the wake time of a pending `sleep` (or to where `advanceTo` says), so pacing code can be
 * checked to the exact millisecond without waiting. Counts `sleep` calls.
 */
export class FakeClock implements Clock {
  #nowMs: number;
  #seq = 0;
  #timers: Timer[] = [];
  readonly #lateMs: (sleepIndex: number) => number;
  /** How many times `sleep` was called. */
  sleepCalls = 0;

  /**
   * `lateMs` models a real timer waking late: sleep number n (0-based) wakes `lateMs(n)` ms
   * after its due time. Default: exactly on time.
   */
  constructor(startMs = 0, options: { lateMs?: (sleepIndex: number) => number } = {}) {
    this.#nowMs = startMs;
    this.#lateMs = options.lateMs ?? (() => 0);
  }

  nowMs(): number {
    return this.#nowMs;
  }

  sleep(ms: number): Promise<void> {
    const late = this.#lateMs(this.sleepCalls++);
    return new Promise((resolve) => {
      this.#timers.push({ wakeMs: this.#nowMs + Math.max(0, ms) + late, seq: this.#seq++, resolve });
      this.#timers.sort((a, b) => a.wakeMs - b.wakeMs || a.seq - b.seq);
    });
  }

  get pendingSleeps(): number {
    return this.#timers.length;
  }

  /** Wakes the earliest sleeper (time jumps to its wake time) and lets it run. False if none. */
  async advanceToNext(): Promise<boolean> {
    // Let reactions to whatever the test just did (pause, seek, ...) run at the current time first.
    await macrotask();
    const timer = this.#timers.shift();
    if (!timer) return false;
    this.#nowMs = Math.max(this.#nowMs, timer.wakeMs);
    timer.resolve();
    await macrotask();
    return true;
  }

  /** Moves time to `tMs`, waking every sleeper due by then in order. */
  async advanceTo(tMs: number): Promise<void> {
    for (;;) {
      await macrotask();
      const next = this.#timers[0];
      if (!next || next.wakeMs > tMs) break;
      await this.advanceToNext();
    }
    this.#nowMs = Math.max(this.#nowMs, tMs);
    await macrotask();
  }

  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.#nowMs + ms);
  }

  /**
   * Lets the code under test run until `done()`: waits out I/O with macrotasks and, whenever
   * something sleeps, jumps to the earliest wake time. Gives up after `maxSpins` idle turns.
   */
  async runUntil(done: () => boolean, maxSpins = 100_000): Promise<void> {
    let idle = 0;
    while (!done()) {
      if (this.#timers.length > 0) {
        await this.advanceToNext();
        idle = 0;
      } else {
        await macrotask();
        if (++idle > maxSpins) throw new Error("FakeClock.runUntil: nothing is sleeping and the condition never came true");
      }
    }
  }
}

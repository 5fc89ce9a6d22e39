import type { Clock } from "@spinewatch/protocol";
import type { BleScheduler, CancelTimer } from "../scheduler.js";

interface Timer {
  dueMs: number;
  seq: number;
  fn: () => void;
}

/** Lets every promise chain that is ready run (microtasks drain before the next macrotask). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Fake time for packages/ble tests and the gateway's: time stands still until the test moves
 * it; timers fire in due order (ties in creation order) with the clock set to their due time.
 * Also a protocol `Clock`, so one object can be handed to a source and to the gateway.
 */
export class FakeScheduler implements BleScheduler, Clock {
  #nowMs: number;
  #seq = 0;
  #timers: Timer[] = [];

  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  nowMs(): number {
    return this.#nowMs;
  }

  setTimer(ms: number, fn: () => void): CancelTimer {
    const timer: Timer = { dueMs: this.#nowMs + Math.max(0, ms), seq: this.#seq++, fn };
    this.#timers.push(timer);
    this.#timers.sort((a, b) => a.dueMs - b.dueMs || a.seq - b.seq);
    return () => {
      const i = this.#timers.indexOf(timer);
      if (i >= 0) this.#timers.splice(i, 1);
    };
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(ms, resolve));
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time to `tMs`, firing every timer due by then in order and letting reactions run. */
  async advanceTo(tMs: number): Promise<void> {
    for (;;) {
      await settle();
      const next = this.#timers[0];
      if (!next || next.dueMs > tMs) break;
      this.#timers.shift();
      this.#nowMs = Math.max(this.#nowMs, next.dueMs);
      next.fn();
    }
    this.#nowMs = Math.max(this.#nowMs, tMs);
    await settle();
  }

  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.#nowMs + ms);
  }

  /**
   * Fires timers one by one until `done()` or until time passes `limitMs` from now (then throws:
   * a test that waits for something that never comes should fail, not hang).
   */
  async runUntil(done: () => boolean, limitMs = 60_000): Promise<void> {
    const endMs = this.#nowMs + limitMs;
    for (;;) {
      await settle();
      if (done()) return;
      const next = this.#timers[0];
      if (!next || next.dueMs > endMs) throw new Error(`FakeScheduler.runUntil: condition not met within ${limitMs} ms of fake time`);
      await this.advanceTo(next.dueMs);
    }
  }
}

import type { Clock } from "@spinewatch/protocol";
import { performance } from "node:perf_hooks";

/** Cancels a timer; calling it after the timer fired does nothing. */
export type CancelTimer = () => void;

/**
 * Time for packages/ble: a monotonic clock and cancellable one-shot timers (reconnect backoff,
 * scan windows, setup waits, step timeouts). Injected so that tests run on fake time
 * (testing/fake-scheduler.ts); packages/ble is the one package allowed real timers, and only
 * through `realScheduler`.
 */
export interface BleScheduler {
  /** Monotonic milliseconds. */
  nowMs(): number;
  /** Calls `fn` once after `ms` milliseconds of this scheduler's time. */
  setTimer(ms: number, fn: () => void): CancelTimer;
}

/** Wall-clock timers (performance.now + setTimeout), for the CLI and the gateway. */
export const realScheduler: BleScheduler = {
  nowMs: () => performance.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(t);
  },
};

/**
 * A scheduler on a protocol `Clock` (what the gateway hands to every source), so that a fake
 * clock drives the BLE timers too. A cancelled timer's sleep still runs to its end (Clock.sleep
 * cannot be cancelled) but its callback is dropped.
 */
export function clockScheduler(clock: Clock): BleScheduler {
  return {
    nowMs: () => clock.nowMs(),
    setTimer(ms, fn) {
      let live = true;
      void clock.sleep(Math.max(0, ms)).then(() => {
        if (live) {
          live = false;
          fn();
        }
      });
      return () => {
        live = false;
      };
    },
  };
}

/** Resolves after `ms` of scheduler time. */
export function delay(scheduler: BleScheduler, ms: number): Promise<void> {
  return new Promise((resolve) => scheduler.setTimer(ms, resolve));
}

/**
 * `promise`, or a rejection with `onTimeout()` if it has not settled within `ms` of scheduler
 * time. The timer is cancelled when the promise settles first.
 */
export function withTimeout<T>(scheduler: BleScheduler, promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cancel = scheduler.setTimer(ms, () => reject(onTimeout()));
    promise.then(
      (v) => {
        cancel();
        resolve(v);
      },
      (e: unknown) => {
        cancel();
        reject(e);
      },
    );
  });
}

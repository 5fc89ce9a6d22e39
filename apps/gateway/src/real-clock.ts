import type { Clock } from "@spinewatch/protocol";
import { performance } from "node:perf_hooks";
import { setTimeout as sleepMs } from "node:timers/promises";

/**
 * The wall clock for apps/ (DESIGN.md: packages below apps/ never read time themselves; they
 * take this through the `Clock` seam). Monotonic: performance.now, not Date.now.
 */
export const realClock: Clock = {
  nowMs: () => performance.now(),
  sleep: (ms: number) => (ms > 0 ? sleepMs(ms) : Promise.resolve()),
};

/**
 * Which BLE connection interval to ask for, given how often a sensor sends a notification.
 *
 * A peripheral may only send during connection events (Bluetooth Core Spec v5.3 Vol 6 Part B
 * §4.5.1), so each notification waits for the next event. When the notification period P and the
 * connection interval C are commensurate, P/C = p/q in lowest terms, the waits repeat with period
 * q and take only the values φ, φ + C/q, φ + 2C/q, …: the smallest wait φ lies anywhere in
 * [0, C/q) and no arrival time reveals it (shifting all samples by less than C/q − φ changes no
 * arrival). The sensor clock's lower envelope then places every sample up to C/q late, and the
 * two sensors independently of each other (measured on the simulator's link: WitMotion's 40 ms
 * batches at a 15 ms interval, C/q = 5 ms, leave 1.4-2.6 ms of lag and most of the late flexion
 * warnings; with 13.75 ms, C/q = 1.25 ms, swing warnings within dwell + frame went 0.950 → 0.988;
 * docs/BENCHMARKS.md, issue 4 session 6). So among the intervals allowed, ask for the one that
 * makes C/q smallest.
 */
import type { DeviceModule, DeviceOptions } from "../types.js";

/** Connection intervals come in units of 1.25 ms (Core Spec Vol 6 Part B §4.5.1: connInterval). */
export const CONNECTION_INTERVAL_UNIT_MS = 1.25;

/** Largest q looked for: beyond it the phases are as good as dense (a 5 s envelope window sees ~100 notifications). */
const MAX_DENOMINATOR = 100;

/**
 * The step C/q between the phases at which notifications every `periodMs` meet connection
 * events every `intervalMs` (both > 0), ms; at most intervalMs / 100.
 */
export function connectionPhaseStepMs(periodMs: number, intervalMs: number): number {
  const ratio = periodMs / intervalMs;
  for (let q = 1; q <= MAX_DENOMINATOR; q++) {
    if (Math.abs(ratio * q - Math.round(ratio * q)) < 1e-6 * q) return intervalMs / q;
  }
  return intervalMs / MAX_DENOMINATOR;
}

/**
 * The connection interval, in 1.25 ms units within [minUnits, maxUnits], whose phase step with a
 * notification every `periodMs` is smallest; of equals, the longest (fewer events, less power).
 */
export function connectionIntervalUnitsFor(periodMs: number, minUnits: number, maxUnits: number): number {
  if (!(periodMs > 0)) throw new Error(`notification period must be > 0 ms, got ${periodMs}`);
  if (!(Number.isInteger(minUnits) && Number.isInteger(maxUnits) && minUnits >= 6 && maxUnits >= minUnits && maxUnits <= 3200)) {
    throw new Error(`connection interval units must be whole numbers within 6-3200, min ≤ max; got ${minUnits}-${maxUnits}`);
  }
  let best = maxUnits;
  let bestStepMs = Infinity;
  for (let n = maxUnits; n >= minUnits; n--) {
    const stepMs = connectionPhaseStepMs(periodMs, n * CONNECTION_INTERVAL_UNIT_MS);
    if (stepMs < bestStepMs - 1e-9) {
      best = n;
      bestStepMs = stepMs;
    }
  }
  return best;
}

/**
 * The range the gateway asks within, in 1.25 ms units: 7.5-15 ms (packages/ble sensor-link.ts:
 * ≥ 66 connection events a second, ample for ~25 WitMotion batches or 60 DOT samples).
 */
export const CONNECTION_INTERVAL_RANGE_UNITS: Readonly<{ min: number; max: number }> = { min: 6, max: 12 };

/**
 * The fixed connection interval to request for a sensor of `module` with `options`, in 1.25 ms
 * units, or undefined when its notification period is unknown (then the whole range is offered).
 */
export function requestedConnectionIntervalUnits(module: DeviceModule, options: DeviceOptions): number | undefined {
  const periodMs = module.notificationPeriodMs?.(options);
  if (periodMs === undefined) return undefined;
  return connectionIntervalUnitsFor(periodMs, CONNECTION_INTERVAL_RANGE_UNITS.min, CONNECTION_INTERVAL_RANGE_UNITS.max);
}

/** The same in ms (the simulator's link runs at it). */
export function requestedConnectionIntervalMs(module: DeviceModule, options: DeviceOptions): number | undefined {
  const units = requestedConnectionIntervalUnits(module, options);
  return units === undefined ? undefined : units * CONNECTION_INTERVAL_UNIT_MS;
}

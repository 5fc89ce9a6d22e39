import type { SensorId } from "@spinewatch/protocol";

/**
 * A sensor turning faster than this (bias-corrected rate, vector norm) counts as moving for the
 * other sensor's gyro-bias estimator. 5 °/s: above a still person's sway and a hold's sag (well
 * under 1 °/s, 2-3 °/s), below the slowest deliberate move measured (the child's-pose clock's
 * walks, 6-22 °/s at their peak). At 2 °/s more still moments were lost to it (simulator, the
 * clock's holds F1 0.95 against 0.97 at 5 °/s, other figures alike; docs/BENCHMARKS.md, session 12).
 */
export const BODY_MOVING_DPS = 5;
/**
 * ...and does so for this long after its last moving sample: the lanes' samples are processed in
 * arrival order, a batch or a clock revision apart (tens of ms), and a move's tail follows its peak.
 */
export const BODY_MOVING_HOLD_MS = 200;

/**
 * What each sensor last did, shared by the orientation stages of one pipeline (SpineCore): whether
 * some OTHER sensor turned within BODY_MOVING_HOLD_MS of a sample. A sensor that looks still while
 * the rest of the body moves may be turning slowly about the vertical, which neither its rate test
 * nor its accelerometer can see (GyroBiasEstimator.next, `othersMoving`). Times are sample times
 * (ms), so a replay as fast as possible gives the same answers as real time.
 */
export class BodyMotion {
  // Parallel arrays, not a Map: asked once per sample, and a Map's iterator allocates.
  readonly #ids: SensorId[] = [];
  readonly #lastMovingMs: number[] = [];

  /** Whether a sensor other than `sensorId` turned within BODY_MOVING_HOLD_MS of `tMs`. */
  othersMoving(sensorId: SensorId, tMs: number): boolean {
    for (let i = 0; i < this.#ids.length; i++) {
      if (this.#ids[i] !== sensorId && Math.abs(tMs - this.#lastMovingMs[i]) < BODY_MOVING_HOLD_MS) return true;
    }
    return false;
  }

  /** One sample of `sensorId` at `tMs`, turning at `rateDps` (°/s). */
  record(sensorId: SensorId, tMs: number, rateDps: number): void {
    if (!(rateDps > BODY_MOVING_DPS)) return;
    const i = this.#ids.indexOf(sensorId);
    if (i >= 0) this.#lastMovingMs[i] = tMs;
    else {
      this.#ids.push(sensorId);
      this.#lastMovingMs.push(tMs);
    }
  }

  reset(): void {
    this.#ids.length = 0;
    this.#lastMovingMs.length = 0;
  }
}

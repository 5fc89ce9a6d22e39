/**
 * The rejection/recovery trigger of x-io Technologies' Fusion (github.com/xioTechnologies/Fusion,
 * Fusion/FusionAhrs.c, MIT): shared by the accelerometer and the magnetometer of
 * {@link OrientationFilter}. A sensor whose feedback error is above its rejection threshold is
 * ignored; the trigger counts up while it is rejected and down nine times as fast while it is
 * accepted, and once it passes the recovery period the sensor is used again for one period
 * (Fusion's "recovery", so a long acceleration cannot leave the filter on the gyroscope alone).
 * Counted in seconds (+dt / −9·dt) instead of Fusion's samples (+1 / −9), so the period does not
 * depend on the sample rate. Scalar fields only: `step` is on the filter's hot path.
 */
export class RejectionRecovery {
  #periodS = 0;
  #triggerS = 0;
  #timeoutS = 0;

  /** Set the recovery period (s); like FusionAhrsSetSettings the trigger itself is kept. */
  setPeriod(periodS: number): void {
    this.#periodS = periodS;
    this.#timeoutS = periodS;
  }

  /** As FusionAhrsRestart: trigger cleared. */
  reset(): void {
    this.#triggerS = 0;
    this.#timeoutS = this.#periodS;
  }

  /**
   * One update: `accepted` when the error is within the threshold (or rejection is bypassed).
   * Returns true when the sensor is to be ignored in this update.
   */
  step(accepted: boolean, dtS: number): boolean {
    let ignored = true;
    let trigger = this.#triggerS;
    if (accepted) {
      ignored = false;
      trigger -= 9 * dtS;
    } else {
      trigger += dtS;
    }
    // Don't ignore the sensor during recovery.
    if (trigger > this.#timeoutS) {
      this.#timeoutS = 0;
      ignored = false;
    } else {
      this.#timeoutS = this.#periodS;
    }
    const period = this.#periodS;
    this.#triggerS = trigger < 0 ? 0 : trigger > period ? period : trigger;
    return ignored;
  }

  /** Fusion's recovery flag: the sensor is trusted again after a long rejection. */
  get recovering(): boolean { return this.#triggerS > this.#timeoutS; }

  /** The trigger as a fraction of the period, 0..1 (Fusion's internal state). */
  get triggerFraction(): number { return this.#periodS === 0 ? 0 : this.#triggerS / this.#periodS; }
}

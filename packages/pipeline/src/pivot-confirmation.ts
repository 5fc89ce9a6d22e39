import { quatAngleBetweenDeg, quatFromTwoVectors, quatRotate, quatRotateInverse } from "@spinewatch/kinematics";
import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";
import { PivotTiltEstimator, type PivotTiltSettings, type PivotTiltSolution } from "./pivot-tilt-estimator.js";

/** Two pivot solutions this far apart in time must agree within PIVOT_AGREE_DEG (#agrees). */
const PIVOT_AGREE_MS = 50;
const PIVOT_AGREE_DEG = 2;
const COS_PIVOT_AGREE = Math.cos((PIVOT_AGREE_DEG * Math.PI) / 180);
/**
 * After a bridged gap the pivot fit confirms the bridged tilt only within this, degrees: the two
 * are independent estimates, and the bridge is right within 2.6-2.8° (p95, 150-250 ms gaps,
 * bench/diagnose-swing-peaks.ts). Beyond it one of them is wrong and nothing says which, so the
 * sensor waits for a still moment, which is reliable. Accepting the fit put a rep peak 5.8° off
 * (simulator, kettlebell-swing Movella DOT seed 2 at 89.5 s: bridge 0.6° off, fit 6.3° off).
 */
const PIVOT_BRIDGE_AGREE_DEG = 3;
const WORLD_UP: Readonly<Vec3> = [0, 0, 1];

/**
 * After a pivot fit has confirmed a sensor back from a gap, its next stop corrects the tilt above
 * this, degrees: the filter's own rejection angle (SPINE_FILTER_SETTINGS 1.5°), so that the fit's
 * error (1-2°) is left neither to the filter, which rejects it, nor to the usual 2° of the stop's
 * check. Not the 1° of a blind gap: a lockout 40 ms after a fit read 1° of leftover deceleration
 * as error (see OrientationStage #awaitConfirmation). Simulator, rounding swings, WitMotion
 * seed 5 at 119.5 s: a fit 1.67° off had been kept through the next reps (their peaks 1.9° off).
 */
export const AFTER_PIVOT_FIX_MIN_CORRECTION_DEG = 1.5;

/** What the pivot fit says of the tilt after a gap (PivotConfirmation.next). */
export type PivotVerdict =
  | { kind: "fix"; rotation: QuatWxyz; correctionDeg: number; solution: PivotTiltSolution }
  | { kind: "refused" }
  | null;

/**
 * The moving-sensor confirmation of a tilt after a gap (a sensor back mid-swing, with no still
 * moment to check it against): the pivot fit (PivotTiltEstimator) on the samples since the gap,
 * accepted only when two solutions PIVOT_AGREE_MS apart agree and, after a bridged gap, when it
 * agrees with the bridge. Used by the orientation stage while it awaits confirmation.
 */
export class PivotConfirmation {
  readonly #pivot: PivotTiltEstimator;
  readonly #fromMs: number;
  /** The last accepted-by-itself solution's "up" in world axes (via the bridged orientation), and when. */
  readonly #upWorld: Vec3 = [0, 0, 0];
  #upMs = Number.NaN;
  /** The fit disagreed with the bridged gap: no more tries until the next gap. */
  #refused = false;

  /** `fromMs`: the fit is tried from this long after the gap's end. */
  constructor(settings: Partial<PivotTiltSettings> | undefined, fromMs: number) {
    this.#pivot = new PivotTiltEstimator(settings);
    this.#fromMs = fromMs;
  }

  /** A new gap: a new window. */
  reset(): void {
    this.#pivot.reset();
    this.#upMs = Number.NaN;
    this.#refused = false;
  }

  /**
   * One sample (acc m/s², bias-corrected gyro °/s, dt s) `sinceGapMs` after the gap's end, with
   * the filter's orientation `q`: a fix (the rotation to right-multiply onto q), a refusal
   * (counted once; the sensor then waits for a still moment), or nothing yet.
   */
  next(q: Readonly<QuatWxyz>, acc: Readonly<Vec3>, gyr: Readonly<Vec3>, dtS: number, tMs: number, sinceGapMs: number, bridged: boolean): PivotVerdict {
    if (this.#refused) return null;
    this.#pivot.next(acc, gyr, dtS);
    const sol = sinceGapMs >= this.#fromMs ? this.#pivot.solve() : null;
    if (sol === null || !sol.ok || !this.#agrees(q, sol.upSensor, tMs)) return null;
    const rotation = quatFromTwoVectors(sol.upSensor, quatRotateInverse(q, WORLD_UP));
    const correctionDeg = quatAngleBetweenDeg(rotation, [1, 0, 0, 0]);
    if (bridged && correctionDeg > PIVOT_BRIDGE_AGREE_DEG) {
      this.#refused = true;
      return { kind: "refused" };
    }
    return { kind: "fix", rotation, correctionDeg, solution: sol };
  }

  /**
   * A solution counts only when the one from PIVOT_AGREE_MS earlier (a shorter window of the
   * same motion) put "up" in the same place, within PIVOT_AGREE_DEG, in world axes through the
   * gyro-propagated orientation. A single fit that passes its own checks can still be wrong:
   * the T12 sensor does not turn about a fixed pivot while the lumbar spine flexes in the swing
   * (simulator fixture kettlebell-swing.witmotion, 21.1 s: a 330 ms thoracic burst, the fit
   * accepted at 200 ms was 10° off and raised a false extension warning).
   */
  #agrees(q: Readonly<QuatWxyz>, upSensor: Readonly<Vec3>, tMs: number): boolean {
    const up = quatRotate(q, upSensor);
    const prev = this.#upWorld;
    if (Number.isNaN(this.#upMs)) {
      prev[0] = up[0]; prev[1] = up[1]; prev[2] = up[2];
      this.#upMs = tMs;
      return false;
    }
    if (tMs - this.#upMs < PIVOT_AGREE_MS) return false;
    const cos = up[0] * prev[0] + up[1] * prev[1] + up[2] * prev[2];
    prev[0] = up[0]; prev[1] = up[1]; prev[2] = up[2];
    this.#upMs = tMs;
    return cos >= COS_PIVOT_AGREE;
  }
}

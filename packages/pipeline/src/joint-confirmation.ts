import { STANDARD_GRAVITY_MPS2 as G_MPS2, type QuatWxyz, type SensorId, type Vec3 } from "@spinewatch/protocol";
import { quatAngleBetweenDeg, quatFromTwoVectors, quatRotateInverse } from "@spinewatch/kinematics";
import { JointTiltEstimator } from "./joint-tilt-estimator.js";
import type { PartnerMotion } from "./partner-motion.js";

/**
 * The joint fit decides once it has fitted this much time after the gap, ms. Simulator, 66
 * sessions, gaps where the sensor turned ≥ 20° (bench/diagnose-joint-tilt.ts): RMS / max error
 * 4.1 / 17° at 200 ms, 0.59 / 1.29° at 300 ms, 1.07 / 2.85° at 400 ms, 2.4 / 11° at 600 ms
 * (longer windows take in still moments' fixes and more of the lumbar spine's own bending, which
 * one joint does not model). The span fitted, not the time since the gap: the other lane lags by
 * a packet or two, and at 283 ms of span a swing's thorax was fixed 1.6° off, at 300 ms 0.3°.
 */
const JOINT_WINDOW_MS = 300;
/** ...or up to this much later than the window (the other lane's lag, a slow turn), ms. */
const JOINT_MAX_WAIT_MS = 150;
/** ...when its gravity magnitude is within this fraction of g (at 300 ms: 26 of 31 fits, all within 1.3°)... */
const GRAVITY_TOLERANCE = 0.03;
/**
 * ...and the sensor turned at least this much in the window, degrees. Slower, the lever-arm
 * terms say little and the other sensor's own tilt error (its velocity change is integrated
 * through it) dominates: on gaps that turned less, 1.27° RMS and 11° max at 300 ms, against
 * 0.34° RMS for the bridge, which the still-moment check confirms.
 */
const MIN_TURN_DEG = 20;
/**
 * A first fit that turns the tilt by PROVISIONAL_MIN_DEG or more, with |g| within this fraction
 * of g, is applied without confirming and fitted once more over a second window from the
 * corrected orientation, which must then pass GRAVITY_TOLERANCE. The fit is linear in the tilt
 * error: a large error comes out short, by about 7 % of it, and |g| off by 2-5 % (a world-axes
 * error on joint-confirmation.test.ts's hinge: 30° corrected to 2.2°, |g| 1.9 % low; after the
 * second window 0.09°). On the simulator a 610 ms thoracic loss mid-swing, re-seeded from one
 * accelerometer sample 35° off, was fitted to 36.1° with |g| 9.34 m/s² (4.8 % off), refused,
 * and the sensor went fresh at the wait's end with its tilt 35° off (kettlebell swings,
 * WitMotion seed 4 at 209.8 s: flexion 35° off for 180 ms, a false warning).
 */
const PROVISIONAL_GRAVITY_TOLERANCE = 0.1;
const PROVISIONAL_MIN_DEG = 10;
/**
 * When the other sensor's run breaks (a loss of its own), a new window starts there, at most this
 * many times per gap (the stage's wait bounds it anyway). At 5 % loss, a 2-packet loss of the
 * thorax 190 ms into the sacrum's window had ended the fit, and the sacrum went fresh at the
 * wait's end with its tilt 5.7° off (simulator, rounding swings, Movella DOT seed 2 at 11 s).
 */
const MAX_RESTARTS = 3;
const WORLD_UP: Readonly<Vec3> = [0, 0, 1];

/**
 * After the joint fit (JointConfirmation), the next stop corrects the tilt above this, degrees.
 * The fit is good to ~0.6° RMS, and held to 1.5° its 0.4-0.8° stayed through later reps where the
 * thorax had used to wait for its lockout's check (1°): simulator, 66 sessions, flexion warnings
 * within dwell + frame 0.965 at 1.5°, 0.969 at 1°, 0.976 at 0.5° (docs/BENCHMARKS.md, session 13).
 */
export const AFTER_JOINT_FIX_MIN_CORRECTION_DEG = 0.5;

/** What the joint fit says of the tilt after a gap (JointConfirmation.next). */
export type JointVerdict =
  | { kind: "fix"; rotation: QuatWxyz; correctionDeg: number; gravityMps2: number }
  /** A large correction, applied but not confirming: a second window is fitted from it. */
  | { kind: "provisional"; rotation: QuatWxyz; correctionDeg: number; gravityMps2: number }
  /** The fit is being gathered. */
  | { kind: "pending" }
  /** No fit (the other sensor not there, or the fit not accepted): other confirmations go on. */
  | { kind: "none" };

const PENDING: JointVerdict = { kind: "pending" };
const NONE: JointVerdict = { kind: "none" };

/**
 * The two-sensor confirmation of a tilt after a gap (JointTiltEstimator): gathered over the
 * first JOINT_WINDOW_MS after the gap (again from where the other sensor's run broke, up to
 * MAX_RESTARTS times), then accepted once or given up; a large first correction is applied
 * provisionally and confirmed over a second window. Used by the orientation
 * stage beside the pivot fit and the still-moment check, whichever confirms first (held back
 * while the joint fit gathered, the pivot fit's earlier confirmations were lost to no gain:
 * the same figures). Where both decide, the joint fit is the better by a factor of eight
 * (docs/BENCHMARKS.md, session 13).
 */
export class JointConfirmation {
  readonly #estimator: JointTiltEstimator;
  #decided = false;
  /** Whether a provisional fix was given, and (ms after the gap) where its second window starts. */
  #provisional = false;
  #windowFromMs = 0;
  #restarts = 0;

  constructor(partner: PartnerMotion, sensorId: SensorId) {
    this.#estimator = new JointTiltEstimator(partner, sensorId);
  }

  /** A new gap: a new window. */
  reset(): void {
    this.#estimator.reset();
    this.#decided = false;
    this.#provisional = false;
    this.#windowFromMs = 0;
    this.#restarts = 0;
  }

  /** One sample `sinceGapMs` after the gap's end, with the filter's orientation `q`. */
  next(q: Readonly<QuatWxyz>, accMps2: Readonly<Vec3>, gyrDps: Readonly<Vec3>, tMs: number, sinceGapMs: number): JointVerdict {
    if (this.#decided) return NONE;
    this.#estimator.next(q, accMps2, gyrDps, tMs);
    if (!this.#estimator.valid) {
      if (this.#restarts === MAX_RESTARTS) return this.#give();
      this.#restarts++;
      this.#estimator.reset();
      this.#windowFromMs = sinceGapMs;
      return PENDING;
    }
    const inWindowMs = sinceGapMs - this.#windowFromMs;
    if (inWindowMs < JOINT_WINDOW_MS) return PENDING;
    const sol = this.#estimator.solve();
    if (sol === null || sol.spanMs < JOINT_WINDOW_MS || sol.turnedDeg < MIN_TURN_DEG) {
      return inWindowMs < JOINT_WINDOW_MS + JOINT_MAX_WAIT_MS && this.#estimator.valid ? PENDING : this.#give();
    }
    // q_new = q ⊗ r with r taking the fitted "up" (in sensor axes) onto the one q implies.
    const rotation = quatFromTwoVectors(quatRotateInverse(q, sol.upWorld), quatRotateInverse(q, WORLD_UP));
    const correctionDeg = quatAngleBetweenDeg(rotation, [1, 0, 0, 0]);
    const gravityError = Math.abs(sol.gravityMps2 / G_MPS2 - 1);
    if (!this.#provisional && gravityError < PROVISIONAL_GRAVITY_TOLERANCE && correctionDeg >= PROVISIONAL_MIN_DEG) {
      this.#provisional = true;
      this.#windowFromMs = sinceGapMs;
      this.#estimator.reset();
      return { kind: "provisional", rotation, correctionDeg, gravityMps2: sol.gravityMps2 };
    }
    if (gravityError < GRAVITY_TOLERANCE) {
      this.#decided = true;
      return { kind: "fix", rotation, correctionDeg, gravityMps2: sol.gravityMps2 };
    }
    return this.#give();
  }

  #give(): JointVerdict {
    this.#decided = true;
    return NONE;
  }
}

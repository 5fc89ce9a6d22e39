import type { PlanStep, ScenarioContext } from "../motion-plan.js";

/** When the neutral stance starts and how long it lasts, ms. */
export const NEUTRAL_START_MS = 500;
export const NEUTRAL_DURATION_MS = 3000;
/** The functional bend: ~2.2 s down, a short pause, ~2.2 s up (a "slow forward bend", DESIGN.md Calibration). */
export const BEND_START_MS = 4000;
export const BEND_DURATION_MS = 5000;
/** The exercise starts here, after a second of standing. */
export const PRELUDE_END_MS = 10_000;

/**
 * The calibration events of CONTRACTS.md §1 that start every scenario: stand tall and still for
 * 3 s (`calibrate-neutral`), then a slow forward bend and return (`calibrate-bend`). The bend is
 * planar (about the segments' Z axes), mostly hip (35° pelvis tilt) with 8° of lumbar flexion,
 * under every scenario's flexion limit so that calibration never raises a truth warning.
 */
export function* calibrationPrelude(ctx: ScenarioContext): Iterable<PlanStep> {
  yield { durationMs: NEUTRAL_START_MS, phase: "standing" };
  yield { mark: { kind: "calibrate-neutral", durationMs: NEUTRAL_DURATION_MS } };
  yield { durationMs: BEND_START_MS - NEUTRAL_START_MS, phase: "calibrate" };
  yield { mark: { kind: "calibrate-bend", durationMs: BEND_DURATION_MS } };
  const tilt = 35 + ctx.rng.between(-3, 3);
  const flex = 8 + ctx.rng.between(-1, 1);
  yield { durationMs: 2200, phase: "calibrate", to: { pelvisTiltDeg: tilt, flexionDeg: flex, hipForwardM: -0.05 } };
  yield { durationMs: 400, phase: "calibrate" };
  yield { durationMs: 2200, phase: "calibrate", to: { pelvisTiltDeg: 0, flexionDeg: 0, hipForwardM: 0 } };
  yield { durationMs: 200, phase: "calibrate" };
  yield { durationMs: PRELUDE_END_MS - BEND_START_MS - BEND_DURATION_MS, phase: "standing" };
}

/**
 * A rest standing between sets: settle back to neutral, turn a little (the slow body-yaw wander
 * of a person walking about between sets), then stand still for the rest of it.
 */
export function* standingRest(ctx: ScenarioContext, restMs: number): Iterable<PlanStep> {
  const r = ctx.rng;
  yield {
    durationMs: 1200,
    phase: "rest",
    to: { pelvisTiltDeg: 0, pelvisLateralTiltDeg: 0, pelvisRotationDeg: 0, flexionDeg: 0, lateralBendDeg: 0, axialRotationDeg: 0, hipForwardM: 0, hipUpM: 0 },
  };
  const turnMs = Math.min(3000, Math.max(0, restMs - 1200) / 2);
  if (turnMs > 0) yield { durationMs: turnMs, phase: "rest", to: { bodyYawDeg: ctx.pose.bodyYawDeg + r.between(-12, 12) } };
  const stillMs = restMs - 1200 - turnMs;
  if (stillMs > 0) yield { durationMs: stillMs, phase: "rest" };
}

import type { PlanStep, ScenarioContext } from "../motion-plan.js";
import { calibrationPrelude, standingRest } from "./calibration-prelude.js";

const REPS_PER_SET = 5;

/**
 * Deadlifts from the floor, sets of 5 with a dead stop at the bottom. Each rep: hinge down in
 * 1.3-1.8 s to 60-72° of pelvis tilt with the knees bent (hips 0.25-0.3 m lower, 0.12 m back),
 * the bar set down for 0.6-1.0 s, pulled up in 1.2-1.6 s, lockout held 1.5-2.5 s. Lumbar
 * flexion at the bottom 12-20°, the last rep of each set 26-32° (fatigue rounding the back):
 * practitioner data with T12 and S1 sensors put deadlifts at about 70 % of the standing maximum
 * (LUMBAR-FACTS.md, "Hinges and kettlebell swings"), i.e. ~30° for a 40-50° maximum, beyond
 * the profile's 25° (analysis profiles.ts), so those reps raise a flexion warning.
 */
export function* deadliftScript(ctx: ScenarioContext): Iterable<PlanStep> {
  yield* calibrationPrelude(ctx);
  const r = ctx.rng;
  for (;;) {
    for (let i = 0; i < REPS_PER_SET; i++) {
      const downMs = r.between(1300, 1800);
      const bottomMs = r.between(600, 1000);
      const upMs = r.between(1200, 1600);
      const lockoutMs = r.between(1500, 2500);
      if (!ctx.fits(downMs + bottomMs + upMs + lockoutMs)) return;
      const rep = ctx.nextRep();
      const tilt = r.between(60, 72);
      const flex = i === REPS_PER_SET - 1 ? r.between(26, 32) : r.between(12, 20);
      yield {
        durationMs: downMs,
        phase: "down",
        rep,
        to: {
          pelvisTiltDeg: tilt,
          flexionDeg: flex,
          lateralBendDeg: 0.8 * r.gaussian(),
          axialRotationDeg: 0.8 * r.gaussian(),
          hipForwardM: -0.12,
          hipUpM: -r.between(0.25, 0.3),
        },
      };
      yield { durationMs: bottomMs, phase: "bottom", rep };
      yield {
        durationMs: upMs,
        phase: "up",
        rep,
        to: { pelvisTiltDeg: 0, flexionDeg: 0, lateralBendDeg: 0, axialRotationDeg: 0, hipForwardM: 0, hipUpM: 0 },
      };
      yield { durationMs: lockoutMs, phase: "lockout" };
    }
    const restMs = r.between(30_000, 45_000);
    if (!ctx.fits(restMs + 2 * 5 * 6000)) return;
    yield* standingRest(ctx, restMs);
  }
}

import type { PlanStep, ScenarioContext } from "../motion-plan.js";
import { calibrationPrelude, standingRest } from "./calibration-prelude.js";

const REPS_PER_SET = 6;

/**
 * Jefferson curls: a slow roll-down into full flexion and back up (LUMBAR-FACTS.md, "Holds and
 * assessments": one of the mobility progressions; small loads, slow tempo). The roll-down is
 * segmental: the trunk curls first (lumbar flexion to ~60 % of its peak, pelvis 10-15°, over
 * 2-2.5 s), then the hips follow to 55-70° of pelvis tilt as the spine reaches 42-52° of flexion
 * (2-2.5 s more); a 1-2 s pause hanging at the bottom; the way up reverses it, hips first (the
 * pelvis back to 15°, flexion easing to ~60 %), then the spine uncurls; stand 2-3 s. Peak flexion
 * around the AMA 50° norm (LUMBAR-FACTS.md, "Healthy lumbar range of motion"), some reps beyond
 * the profile's 50° limit (analysis profiles.ts), which raise a flexion warning. The thorax
 * (T12) then points below horizontal: inclination up to ~120°.
 */
export function* jeffersonCurlScript(ctx: ScenarioContext): Iterable<PlanStep> {
  yield* calibrationPrelude(ctx);
  const r = ctx.rng;
  for (;;) {
    for (let i = 0; i < REPS_PER_SET; i++) {
      const curlMs = r.between(2000, 2500);
      const hingeMs = r.between(2000, 2500);
      const bottomMs = r.between(1000, 2000);
      const unhingeMs = r.between(2000, 2500);
      const uncurlMs = r.between(2000, 2500);
      const standMs = r.between(2000, 3000);
      if (!ctx.fits(curlMs + hingeMs + bottomMs + unhingeMs + uncurlMs + standMs)) return;
      const rep = ctx.nextRep();
      const flex = r.between(42, 52);
      const tilt = r.between(55, 70);
      const early = r.between(10, 15);
      const side = 0.8 * r.gaussian();
      yield { durationMs: curlMs, phase: "down", rep, to: { flexionDeg: 0.6 * flex, pelvisTiltDeg: early, lateralBendDeg: side } };
      yield {
        durationMs: hingeMs,
        phase: "down",
        rep,
        to: { flexionDeg: flex, pelvisTiltDeg: tilt, axialRotationDeg: 0.8 * r.gaussian(), hipForwardM: -0.12, hipUpM: -0.02 },
      };
      yield { durationMs: bottomMs, phase: "bottom", rep };
      yield { durationMs: unhingeMs, phase: "up", rep, to: { pelvisTiltDeg: early, flexionDeg: 0.6 * flex, hipForwardM: -0.02, hipUpM: 0 } };
      yield {
        durationMs: uncurlMs,
        phase: "up",
        rep,
        to: { flexionDeg: 0, pelvisTiltDeg: 0, lateralBendDeg: 0, axialRotationDeg: 0, hipForwardM: 0 },
      };
      yield { durationMs: standMs, phase: "standing" };
    }
    const restMs = r.between(20_000, 30_000);
    if (!ctx.fits(restMs + 2 * 6 * 12_000)) return;
    yield* standingRest(ctx, restMs);
  }
}

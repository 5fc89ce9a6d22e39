import type { PlanStep, ScenarioContext } from "../motion-plan.js";
import { calibrationPrelude, standingRest } from "./calibration-prelude.js";

const REPS_PER_SET = 6;

/**
 * Hip hinge with a mid-range hold on every rep (LUMBAR-FACTS.md, "Holds and assessments": the
 * mobility progressions ask for "a brief mid-range hold", "brief holds (2-3 s, up to 10 s)",
 * "5-8 reps per side" and halting "when the back sags during a hold"). Each rep: hinge down in
 * 1.5-2 s to 35-45° of pelvis tilt with 3-6° of lumbar flexion, hold 2-3 s, come up in 1.5-2 s,
 * stand 1.5-2 s. Every third hold sags: lumbar flexion drifts up 4-7° during the hold
 * ("several degrees"); the other holds are still.
 */
export function* hipHingeHoldsScript(ctx: ScenarioContext): Iterable<PlanStep> {
  yield* calibrationPrelude(ctx);
  const r = ctx.rng;
  let holdIndex = 0;
  for (;;) {
    for (let i = 0; i < REPS_PER_SET; i++) {
      const downMs = r.between(1500, 2000);
      const holdMs = r.between(2000, 3000);
      const upMs = r.between(1500, 2000);
      const standMs = r.between(1500, 2000);
      if (!ctx.fits(downMs + holdMs + upMs + standMs)) return;
      const rep = ctx.nextRep();
      const tilt = r.between(35, 45);
      const flex = r.between(3, 6);
      const sag = holdIndex % 3 === 2 ? r.between(4, 7) : 0;
      holdIndex++;
      yield {
        durationMs: downMs,
        phase: "down",
        rep,
        to: {
          pelvisTiltDeg: tilt,
          flexionDeg: flex,
          lateralBendDeg: 0.6 * r.gaussian(),
          axialRotationDeg: 0.6 * r.gaussian(),
          hipForwardM: -0.1 * (tilt / 40),
          hipUpM: -0.03,
        },
      };
      yield { durationMs: holdMs, phase: "hold", rep, hold: true, to: { flexionDeg: flex + sag } };
      yield {
        durationMs: upMs,
        phase: "up",
        rep,
        to: { pelvisTiltDeg: 0, flexionDeg: 0, lateralBendDeg: 0, axialRotationDeg: 0, hipForwardM: 0, hipUpM: 0 },
      };
      yield { durationMs: standMs, phase: "standing" };
    }
    const restMs = r.between(12_000, 18_000);
    if (!ctx.fits(restMs + 4 * 8000)) return;
    yield* standingRest(ctx, restMs);
  }
}

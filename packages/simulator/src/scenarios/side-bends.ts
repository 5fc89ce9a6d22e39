import type { PlanStep, ScenarioContext } from "../motion-plan.js";
import { calibrationPrelude, standingRest } from "./calibration-prelude.js";

const REPS_PER_SET = 10;

/**
 * Standing side bends, alternating right and left, one rep per side (LUMBAR-FACTS.md: lateral
 * flexion 20° each side (AMA) to 20-30° (Magee), falling to 15° with age (Troke); the mobility
 * progressions ask for small controlled ranges, 5-8 reps per side). Each rep: bend 2-2.5 s to
 * 14-23° of lateral bend (some beyond the 20° limit), pause 0.8-1.2 s, return 2-2.5 s, stand 1 s.
 * The pelvis follows with a little obliquity (15 % of the bend) and the lumbar spine couples a
 * degree or two of flexion and axial rotation, as real side bends do.
 */
export function* sideBendsScript(ctx: ScenarioContext): Iterable<PlanStep> {
  yield* calibrationPrelude(ctx);
  const r = ctx.rng;
  for (;;) {
    for (let i = 0; i < REPS_PER_SET; i++) {
      const outMs = r.between(2000, 2500);
      const pauseMs = r.between(800, 1200);
      const backMs = r.between(2000, 2500);
      if (!ctx.fits(outMs + pauseMs + backMs + 1000)) return;
      const rep = ctx.nextRep();
      const side = i % 2 === 0 ? "right" : "left";
      const s = side === "right" ? 1 : -1;
      const bend = r.between(14, 23);
      yield {
        durationMs: outMs,
        phase: "down",
        rep,
        side,
        to: {
          lateralBendDeg: s * bend,
          pelvisLateralTiltDeg: s * 0.15 * bend,
          flexionDeg: r.between(1, 3),
          axialRotationDeg: -s * r.between(0.5, 2),
        },
      };
      yield { durationMs: pauseMs, phase: "bottom", rep, side };
      yield {
        durationMs: backMs,
        phase: "up",
        rep,
        side,
        to: { lateralBendDeg: 0, pelvisLateralTiltDeg: 0, flexionDeg: 0, axialRotationDeg: 0 },
      };
      yield { durationMs: 1000, phase: "standing" };
    }
    const restMs = r.between(10_000, 15_000);
    if (!ctx.fits(restMs + 4 * 6500)) return;
    yield* standingRest(ctx, restMs);
  }
}

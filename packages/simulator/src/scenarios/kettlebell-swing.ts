import type { PlanStep, ScenarioContext } from "../motion-plan.js";
import { calibrationPrelude, standingRest } from "./calibration-prelude.js";

export type SwingVariant = "good" | "rounding" | "overextension";

/** Reps per set and rest between sets (ASSUMED: a common 10-swing set with 15-25 s rest). */
const REPS_PER_SET = 10;

/**
 * Kettlebell swings (LUMBAR-FACTS.md, "Hinges and kettlebell swings"):
 * - tempo: 8-12 swings per 15 s in trained women, over 40 per minute for an instructor, so a
 *   cycle of 1.25-1.9 s; each set picks one tempo, each rep varies ±3 % about it;
 * - the swing is a hip hinge (McGill & Marshall 2012): pelvis tilt 60-80° at the bottom of the
 *   backswing, lumbar flexion 4-9° (good form: under 10°), hips back and slightly down;
 * - lockout: hips and knees extended, the body a straight line (RKC standard): lumbar 0.5-3° of
 *   extension at most.
 * Variants: `rounding`: fatigue rounds the back on the last 4 reps of each set, 26-34° of
 *   lumbar flexion at the bottom (within 25-35°); `overextension`: from the 4th rep of each set
 *   the person leans back at lockout, 11-15° of lumbar extension with the pelvis tilted back.
 */
export function swingScript(variant: SwingVariant) {
  return function* swing(ctx: ScenarioContext): Iterable<PlanStep> {
    yield* calibrationPrelude(ctx);
    const r = ctx.rng;
    for (;;) {
      const cycleMs = r.between(1250, 1900);
      for (let i = 0; i < REPS_PER_SET; i++) {
        const T = cycleMs * (1 + 0.03 * r.gaussian());
        // Every rep must finish, and the set must still be able to settle (1.2 s).
        if (!ctx.fits(T + 1200)) {
          yield* standingRest(ctx, 1200);
          return;
        }
        const rep = ctx.nextRep();
        const tilt = r.between(60, 80);
        const depth = tilt / 70;
        const rounding = variant === "rounding" && i >= REPS_PER_SET - 4;
        const leanBack = variant === "overextension" && i >= 3;
        const flex = rounding ? r.between(26, 34) : r.between(4, 9);
        const lockFlex = leanBack ? -r.between(11, 15) : -r.between(0.5, 3);
        const lockTilt = leanBack ? -r.between(3, 6) : r.between(-1, 1);
        yield {
          durationMs: 0.42 * T,
          phase: "down",
          rep,
          to: {
            pelvisTiltDeg: tilt,
            flexionDeg: flex,
            // Small asymmetries of a real swing: lumbar bend/twist and pelvic obliquity of a degree or so.
            lateralBendDeg: 1.2 * r.gaussian(),
            axialRotationDeg: 1.2 * r.gaussian(),
            pelvisLateralTiltDeg: 0.8 * r.gaussian(),
            bodyYawDeg: ctx.pose.bodyYawDeg + 0.3 * r.gaussian(),
            hipForwardM: -0.12 * depth,
            hipUpM: -0.06 * depth,
          },
        };
        yield { durationMs: 0.04 * T, phase: "bottom", rep };
        yield {
          durationMs: 0.38 * T,
          phase: "up",
          rep,
          to: {
            pelvisTiltDeg: lockTilt,
            flexionDeg: lockFlex,
            lateralBendDeg: 0.3 * r.gaussian(),
            axialRotationDeg: 0.3 * r.gaussian(),
            pelvisLateralTiltDeg: 0,
            hipForwardM: leanBack ? 0.05 : 0.02,
            hipUpM: 0,
          },
        };
        yield { durationMs: 0.16 * T, phase: "lockout" };
      }
      const restMs = r.between(15_000, 25_000);
      // A set is only worth starting if the rest and at least three reps fit.
      if (!ctx.fits(restMs + 3 * 1900 + 1200)) {
        yield* standingRest(ctx, 1200);
        return;
      }
      yield* standingRest(ctx, restMs);
    }
  };
}

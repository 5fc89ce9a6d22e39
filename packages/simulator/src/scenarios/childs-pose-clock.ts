import type { PlanStep, ScenarioContext } from "../motion-plan.js";
import { calibrationPrelude, standingRest } from "./calibration-prelude.js";

/**
 * Child's pose: kneeling, sitting back towards the heels, the trunk folded forward over the
 * thighs. The pelvis tilts ~75-82° from standing and the lumbar spine flexes 30-38°, so the T12
 * sensor points ~110-120° from upright (past horizontal, as in the Jefferson curl); the hip joint
 * centre sits ~0.6 m lower and ~0.25 m further back than standing. ASSUMED typical adult
 * proportions, like the quadruped's (quadruped.ts).
 */
const CHILDS_POSE = { hipUpM: -0.6, hipForwardM: -0.25 } as const;
const CENTRE = { lateralBendDeg: 0, axialRotationDeg: 0, pelvisLateralTiltDeg: 0 } as const;
/** Clock positions per set: centre, right, centre, left, ... ending at the centre. */
const POSITIONS_PER_SET = 9;

/**
 * Child's-pose clock (LUMBAR-FACTS.md, "Holds and assessments": "child's-pose clock with 3 s
 * pauses"): get down into child's pose (4 s), then walk the hands around a clock face, pausing
 * 2.8-3.5 s at each position: the centre (12 o'clock, on arrival), then about 2 o'clock (the lumbar spine
 * side-bent 8-15° towards the hands, 1-3° of axial rotation, the pelvis rolling 10 % of the
 * bend), back to the centre, then about 10 o'clock, and so on; each walk takes 2-2.5 s. Every
 * pause is one ground-truth hold (the profile's holds: away from standing, still for 2 s). Every
 * fourth side reach goes further, to 21-24° of lateral bend: beyond the profile's 20° (AMA,
 * LUMBAR-FACTS.md), a lateral-bend warning. No reps: the profile counts none. Then stand up (4 s)
 * and rest 10-15 s.
 */
export function* childsPoseClockScript(ctx: ScenarioContext): Iterable<PlanStep> {
  yield* calibrationPrelude(ctx);
  const r = ctx.rng;
  let reach = 0;
  for (;;) {
    if (!ctx.fits(4000 + 2 * 6000 + 4000)) return;
    const flex = r.between(30, 38);
    yield {
      durationMs: 4000,
      phase: "transition",
      to: { ...CHILDS_POSE, ...CENTRE, pelvisTiltDeg: r.between(75, 82), flexionDeg: flex },
    };
    for (let i = 0; i < POSITIONS_PER_SET; i++) {
      const walkMs = r.between(2000, 2500);
      const holdMs = r.between(2800, 3500);
      if (!ctx.fits(walkMs + holdMs + 4000)) break;
      if (i % 2 === 0) {
        // Back to (or, the first time, already at) the centre.
        if (i > 0) yield { durationMs: walkMs, phase: "transition", to: { ...CENTRE, flexionDeg: flex } };
        yield { durationMs: holdMs, phase: "hold", hold: true };
        continue;
      }
      const side = i % 4 === 1 ? "right" : "left";
      const s = side === "right" ? 1 : -1;
      const bend = reach++ % 4 === 3 ? r.between(21, 24) : r.between(8, 15);
      yield {
        durationMs: walkMs,
        phase: "transition",
        side,
        to: {
          lateralBendDeg: s * bend,
          axialRotationDeg: s * r.between(1, 3),
          pelvisLateralTiltDeg: s * 0.1 * bend,
          flexionDeg: flex - r.between(0, 3),
        },
      };
      yield { durationMs: holdMs, phase: "hold", side, hold: true };
    }
    yield {
      durationMs: 4000,
      phase: "transition",
      to: { pelvisTiltDeg: 0, flexionDeg: 0, hipUpM: 0, hipForwardM: 0, ...CENTRE },
    };
    const restMs = r.between(10_000, 15_000);
    if (!ctx.fits(restMs + 4000 + 2 * 6000 + 4000)) return;
    yield* standingRest(ctx, restMs);
  }
}

import type { PlanStep, ScenarioContext } from "../motion-plan.js";
import { calibrationPrelude, standingRest } from "./calibration-prelude.js";

/**
 * On all fours: the trunk roughly horizontal (pelvis tilted ~85° from standing), hips over the
 * knees (hip joint centre ~0.42 m lower and 0.1 m further back than standing). ASSUMED
 * typical adult proportions.
 */
const QUADRUPED = { pelvisTiltDeg: 85, hipUpM: -0.42, hipForwardM: -0.1 } as const;
const NEUTRAL_SPINE = { flexionDeg: 0, lateralBendDeg: 0, axialRotationDeg: 0, pelvisLateralTiltDeg: 0, pelvisRotationDeg: 0 } as const;

function* getDown(): Iterable<PlanStep> {
  yield { durationMs: 3000, phase: "transition", to: { ...QUADRUPED, ...NEUTRAL_SPINE } };
  yield { durationMs: 1500, phase: "rest" };
}

function* standUp(): Iterable<PlanStep> {
  yield { durationMs: 3000, phase: "transition", to: { pelvisTiltDeg: 0, hipUpM: 0, hipForwardM: 0, ...NEUTRAL_SPINE } };
}

/**
 * Cat-camel (LUMBAR-FACTS.md mobility progressions: "small controlled ranges", 5-8 reps): from
 * a neutral quadruped, round the back (cat: 20-28° of lumbar flexion, pelvis tilting back
 * 6-10°), pause 1 s, arch (camel: 10-15° of extension, pelvis tilting forward 6-10°), pause 1 s,
 * back to neutral. One rep per cycle; well inside flexion 40° / extension 20° (Magee's ranges).
 */
export function* catCamelScript(ctx: ScenarioContext): Iterable<PlanStep> {
  yield* calibrationPrelude(ctx);
  const r = ctx.rng;
  for (;;) {
    if (!ctx.fits(4500 + 10_000 + 3000)) return;
    yield* getDown();
    for (let i = 0; i < 6; i++) {
      const catMs = r.between(2200, 2800);
      const camelMs = r.between(2700, 3300);
      const backMs = r.between(1800, 2200);
      if (!ctx.fits(catMs + camelMs + backMs + 2500 + 3000)) break;
      const rep = ctx.nextRep();
      yield { durationMs: catMs, phase: "down", rep, to: { flexionDeg: r.between(20, 28), pelvisTiltDeg: QUADRUPED.pelvisTiltDeg - r.between(6, 10) } };
      yield { durationMs: 1000, phase: "bottom", rep };
      yield { durationMs: camelMs, phase: "up", rep, to: { flexionDeg: -r.between(10, 15), pelvisTiltDeg: QUADRUPED.pelvisTiltDeg + r.between(6, 10) } };
      yield { durationMs: 1000, phase: "bottom", rep };
      yield { durationMs: backMs, phase: "up", rep, to: { flexionDeg: 0, pelvisTiltDeg: QUADRUPED.pelvisTiltDeg } };
      yield { durationMs: 500, phase: "rest" };
    }
    yield* standUp();
    const restMs = r.between(10_000, 15_000);
    if (!ctx.fits(restMs + 4500 + 10_000 + 3000)) return;
    yield* standingRest(ctx, restMs);
  }
}

/**
 * Bird dog ("bird dog (hold neutral)", LUMBAR-FACTS.md; holds "2-3 s, up to 10 s"): from a
 * neutral quadruped, reach one leg back (and the opposite arm) in 1.5 s, hold 3-5 s, return in
 * 1.5 s, pause 1.5 s, alternate sides; one rep and one hold per side. The lifted leg pulls the
 * pelvis into a little rotation (1-3°) and the lumbar spine twists and bends 0.5-3°; on every
 * fourth rep the hip "opens" during the hold and lumbar axial rotation drifts to 6.5-8°, beyond
 * the 5° rotation limit (AMA 5°, the fault the exercise trains against).
 */
export function* birdDogScript(ctx: ScenarioContext): Iterable<PlanStep> {
  yield* calibrationPrelude(ctx);
  const r = ctx.rng;
  let repInSession = 0;
  for (;;) {
    if (!ctx.fits(4500 + 9000 + 3000)) return;
    yield* getDown();
    for (let i = 0; i < 8; i++) {
      const holdMs = r.between(3000, 5000);
      if (!ctx.fits(1500 + holdMs + 1500 + 1500 + 3000)) break;
      const rep = ctx.nextRep();
      const side = i % 2 === 0 ? "right" : "left";
      const s = side === "right" ? 1 : -1;
      const twist = s * r.between(1, 3);
      const fault = repInSession % 4 === 3;
      repInSession++;
      yield {
        durationMs: 1500,
        phase: "down",
        rep,
        side,
        to: {
          axialRotationDeg: twist,
          lateralBendDeg: s * r.between(0.5, 2),
          flexionDeg: r.between(-2, 1),
          pelvisRotationDeg: s * r.between(1, 3),
        },
      };
      yield { durationMs: holdMs, phase: "hold", rep, side, hold: true, to: fault ? { axialRotationDeg: s * r.between(6.5, 8) } : undefined };
      yield { durationMs: 1500, phase: "up", rep, side, to: { ...NEUTRAL_SPINE } };
      yield { durationMs: 1500, phase: "rest" };
    }
    yield* standUp();
    const restMs = r.between(10_000, 15_000);
    if (!ctx.fits(restMs + 4500 + 9000 + 3000)) return;
    yield* standingRest(ctx, restMs);
  }
}

import type { RangeLimits } from "@spinewatch/protocol";
import { EXERCISE_NAMES } from "@spinewatch/protocol";

/** The exercise a session starts with when neither the source nor a flag names one. */
export const DEFAULT_EXERCISE = "kettlebell-swing";

/**
 * An exercise name and its profile's default limits (packages/analysis, DESIGN.md Detectors).
 * `strict`: an unknown name is an error (commands, flags) rather than falling back.
 */
export async function exerciseDefaults(name: string | undefined, strict = false): Promise<{ exercise: string; limits: RangeLimits }> {
  const { getExerciseProfile } = await import("@spinewatch/analysis");
  const wanted = name ?? DEFAULT_EXERCISE;
  let profile: { limits: RangeLimits } | undefined;
  try {
    profile = getExerciseProfile(wanted) as { limits: RangeLimits } | undefined;
  } catch {
    profile = undefined;
  }
  if (!profile) {
    if (strict) throw new Error(`unknown exercise '${wanted.slice(0, 64)}' (one of ${EXERCISE_NAMES.join(", ")})`);
    return exerciseDefaults(DEFAULT_EXERCISE, true);
  }
  return { exercise: wanted, limits: { ...profile.limits } };
}

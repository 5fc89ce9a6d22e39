import type { ExerciseName } from "@spinewatch/protocol";

/**
 * The exercise profiles offered in settings. The dashboard imports protocol types only, so the
 * list is spelled out here; the checks below fail to compile if it misses or invents a name.
 */
export const EXERCISES = [
  { name: "kettlebell-swing", label: "Kettlebell swing" },
  { name: "hip-hinge-holds", label: "Hip hinge with holds" },
  { name: "deadlift", label: "Deadlift" },
  { name: "side-bend", label: "Side bend" },
  { name: "cat-camel", label: "Cat-camel" },
  { name: "bird-dog", label: "Bird dog" },
  { name: "childs-pose-clock", label: "Child's pose clock" },
  { name: "jefferson-curl", label: "Jefferson curl" },
] as const satisfies readonly { name: ExerciseName; label: string }[];

type Listed = (typeof EXERCISES)[number]["name"];
const everyProfileListed: Exclude<ExerciseName, Listed> extends never ? true : false = true;
void everyProfileListed;

/**
 * Exercises whose reps and holds are counted on the pelvis obliquity (packages/analysis
 * profiles.ts: bird dog, |pelvisObliquityDeg| from the settled all-fours neutral). Only these
 * show it: for the others it is a channel no detector reads, and the layout stays as it was.
 */
const OBLIQUITY_EXERCISES: ReadonlySet<string> = new Set<ExerciseName>(["bird-dog"]);

export const showsPelvisObliquity = (exercise: string): boolean => OBLIQUITY_EXERCISES.has(exercise);

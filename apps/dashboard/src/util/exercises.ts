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

import type { ExerciseName, RangeLimits } from "@spinewatch/protocol";
import type { ScenarioScript } from "../motion-plan.js";
import { childsPoseClockScript } from "./childs-pose-clock.js";
import { deadliftScript } from "./deadlift.js";
import { hipHingeHoldsScript } from "./hip-hinge-holds.js";
import { jeffersonCurlScript } from "./jefferson-curl.js";
import { swingScript } from "./kettlebell-swing.js";
import { birdDogScript, catCamelScript } from "./quadruped.js";
import { sideBendsScript } from "./side-bends.js";

export type ScenarioName =
  | "kettlebell-swing"
  | "kettlebell-swing-rounding"
  | "kettlebell-swing-overextension"
  | "hip-hinge-holds"
  | "deadlift"
  | "jefferson-curl"
  | "side-bends"
  | "cat-camel"
  | "bird-dog"
  | "childs-pose-clock"
  | "sensor-dropout";

/** A sensor link lost for a while: no packets, `status` lost / reconnected. */
export interface DropoutSpec {
  sensor: "sacrum" | "thoracic";
  startMs: number;
  durationMs: number;
}

export interface ScenarioDefinition {
  name: ScenarioName;
  description: string;
  /** Header `exercise`. */
  exercise: ExerciseName;
  /** Header `limits`: the tolerated range the truth warnings are computed against. */
  limits: RangeLimits;
  script: ScenarioScript;
  /** The link dropout this scenario is about, for a session of `durationMs`. */
  dropout?: (durationMs: number) => DropoutSpec;
}

/**
 * Limits: swings flexion 25° (the upper end of LUMBAR-FACTS.md's unassessed "about 20-25°"
 * default) and extension 10° (the RKC lockout "straight line": no leaning back); the others
 * follow the analysis package's exercise profiles (AMA lateral 20°, rotation 5-6°, Magee for
 * cat-camel), so that a recording's header and the profile agree.
 */
const SWING_LIMITS: RangeLimits = { flexionDeg: 25, extensionDeg: 10, lateralBendDeg: 15, axialRotationDeg: 10 };
const HINGE_LIMITS: RangeLimits = { flexionDeg: 20, extensionDeg: 10, lateralBendDeg: 15, axialRotationDeg: 6 };

export const SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: "kettlebell-swing",
    description: "Kettlebell swings with good form: 60-80° hip hinge, lumbar flexion under 10°, sets of 10 with rests.",
    exercise: "kettlebell-swing",
    limits: SWING_LIMITS,
    script: swingScript("good"),
  },
  {
    name: "kettlebell-swing-rounding",
    description: "Swings whose last 4 reps of each set round the back: 26-34° of lumbar flexion at the bottom.",
    exercise: "kettlebell-swing",
    limits: SWING_LIMITS,
    script: swingScript("rounding"),
  },
  {
    name: "kettlebell-swing-overextension",
    description: "Swings leaning back at lockout from the 4th rep of each set: 11-15° of lumbar extension.",
    exercise: "kettlebell-swing",
    limits: SWING_LIMITS,
    script: swingScript("overextension"),
  },
  {
    name: "hip-hinge-holds",
    description: "Hip hinges with a 2-3 s mid-range hold on every rep; every third hold sags 4-7°.",
    exercise: "hip-hinge-holds",
    limits: HINGE_LIMITS,
    script: hipHingeHoldsScript,
  },
  {
    name: "deadlift",
    description: "Deadlifts from the floor, sets of 5 with a dead stop; the last rep of each set rounds to 26-32° of flexion.",
    exercise: "deadlift",
    limits: { ...HINGE_LIMITS, flexionDeg: 25 },
    script: deadliftScript,
  },
  {
    name: "jefferson-curl",
    description: "Slow segmental roll-downs to 42-52° of lumbar flexion and 55-70° of pelvis tilt, and back up.",
    exercise: "jefferson-curl",
    limits: { flexionDeg: 50, extensionDeg: 15, lateralBendDeg: 15, axialRotationDeg: 6 },
    script: jeffersonCurlScript,
  },
  {
    name: "side-bends",
    description: "Standing side bends alternating right and left, 14-23° of lateral bend.",
    exercise: "side-bend",
    limits: { flexionDeg: 20, extensionDeg: 15, lateralBendDeg: 20, axialRotationDeg: 6 },
    script: sideBendsScript,
  },
  {
    name: "cat-camel",
    description: "On all fours: round (20-28° flexion) and arch (10-15° extension), 6 cycles per set.",
    exercise: "cat-camel",
    limits: { flexionDeg: 40, extensionDeg: 20, lateralBendDeg: 15, axialRotationDeg: 6 },
    script: catCamelScript,
  },
  {
    name: "bird-dog",
    description: "On all fours: opposite arm and leg reach with a 3-5 s neutral hold; every 4th hold twists past 5°.",
    exercise: "bird-dog",
    limits: { flexionDeg: 10, extensionDeg: 10, lateralBendDeg: 10, axialRotationDeg: 5 },
    script: birdDogScript,
  },
  {
    name: "childs-pose-clock",
    description: "Child's pose, hands walked around a clock face with 3 s pauses; every 4th side reach bends 21-24°, past 20°.",
    exercise: "childs-pose-clock",
    limits: { flexionDeg: 45, extensionDeg: 15, lateralBendDeg: 20, axialRotationDeg: 6 },
    script: childsPoseClockScript,
  },
  {
    name: "sensor-dropout",
    description: "Good-form swings; the thoracic sensor's link is lost for 3 s halfway through.",
    exercise: "kettlebell-swing",
    limits: SWING_LIMITS,
    script: swingScript("good"),
    dropout: (durationMs) => ({ sensor: "thoracic", startMs: Math.max(12_000, Math.round(durationMs / 2)), durationMs: 3000 }),
  },
];

export const SCENARIO_NAMES: readonly ScenarioName[] = SCENARIOS.map((s) => s.name);

/** The scenario called `name`; a one-line error lists the valid names otherwise. */
export function getScenario(name: string): ScenarioDefinition {
  const s = SCENARIOS.find((d) => d.name === name);
  if (!s) throw new Error(`unknown scenario "${name}"; valid scenarios: ${SCENARIO_NAMES.join(", ")}`);
  return s;
}

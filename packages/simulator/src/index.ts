export { simulateSession, resolveSimulation, sessionSensorInfo, type ResolvedSimulation } from "./simulate-session.js";
export { createSimulatedSource, type SimulatedSourceOptions } from "./simulated-source.js";
export {
  type SimulationOptions,
  type DeliveredNotification,
  type SimulatedDevice,
  SIMULATED_DEVICES,
  DEFAULT_DURATION_S,
  DEFAULT_SEED,
  DEFAULT_TRUTH_RATE_HZ,
  DOT_SIM_PAYLOAD_MODE,
} from "./simulation-options.js";
export { SCENARIOS, SCENARIO_NAMES, getScenario, type ScenarioName, type ScenarioDefinition, type DropoutSpec } from "./scenarios/index.js";
export { DEFAULT_ERROR_MODEL, NO_ERROR_MODEL, resolveErrorModel, type ErrorModelSettings, type ErrorModelOption } from "./error-model.js";
export { type DrawnSensorErrors } from "./sensor-errors.js";
export { DEFAULT_BODY_GEOMETRY, type BodyGeometry } from "./body-geometry.js";
export { type TrunkPose, POSE_CHANNELS, neutralPose } from "./trunk-pose.js";
export { MotionPlan, type Move, type PlanStep, type ScenarioContext, type ScenarioScript, type TruthPhase } from "./motion-plan.js";
export { TrunkModel, SEGMENT_NEUTRAL_IN_WORLD, type SensorPlacement, type TrueImu, type TrunkState } from "./trunk-model.js";
export { SeededRandom } from "./seeded-random.js";
export { minJerk, minJerkRate } from "./min-jerk.js";
export { SIM_FIXTURES, renderSessionNdjson, type SimFixture } from "./sim-fixtures.js";
export { lineToSourceEvent } from "./simulated-source.js";

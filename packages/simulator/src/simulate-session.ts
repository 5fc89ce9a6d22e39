import type { DataLine, HeaderLine, MountPreset, RangeLimits, RecordingLine, SensorInfo } from "@spinewatch/protocol";
import { RECORDING_FORMAT, RECORDING_VERSION } from "@spinewatch/protocol";
import { getDeviceModule, requestedConnectionIntervalMs } from "@spinewatch/devices";
import { forwardInclinationDeg, lateralInclinationDeg, mountPresetToSensorToSegment, quatConjugate, quatMultiply } from "@spinewatch/kinematics";
import { BleLink } from "./ble-link.js";
import { DEFAULT_BODY_GEOMETRY, type BodyGeometry } from "./body-geometry.js";
import { resolveErrorModel, type ErrorModelSettings } from "./error-model.js";
import { LineQueue } from "./line-queue.js";
import { MotionPlan } from "./motion-plan.js";
import { getScenario, type DropoutSpec, type ScenarioDefinition } from "./scenarios/index.js";
import { SeededRandom } from "./seeded-random.js";
import { SensorErrors } from "./sensor-errors.js";
import { SimulatedSensor } from "./simulated-sensor.js";
import {
  checkSimulationOptions,
  DEFAULT_CREATED_AT,
  DEFAULT_DURATION_S,
  DEFAULT_MOUNT,
  DEFAULT_SEED,
  DEFAULT_TRUTH_RATE_HZ,
  defaultRateHz,
  DOT_SIM_PAYLOAD_MODE,
  type SimulatedDevice,
  type SimulationOptions,
} from "./simulation-options.js";
import { TrunkModel } from "./trunk-model.js";
import { POSE_CHANNELS } from "./trunk-pose.js";
import { TruthTracker } from "./truth-tracker.js";

const FLEX = POSE_CHANNELS.indexOf("flexionDeg");
const LAT = POSE_CHANNELS.indexOf("lateralBendDeg");
const AXIAL = POSE_CHANNELS.indexOf("axialRotationDeg");

/** Everything a session is built from, resolved from the options (shared with createSimulatedSource). */
export interface ResolvedSimulation {
  scenario: ScenarioDefinition;
  seed: number;
  durationMs: number;
  device: SimulatedDevice;
  rateHz: number;
  truthRateHz: number;
  errorModel: ErrorModelSettings;
  limits: RangeLimits;
  geometry: BodyGeometry;
  mounts: { sacrum: MountPreset; thoracic: MountPreset };
  dropout: DropoutSpec | null;
  deviceOptions: Record<string, unknown> | undefined;
  createdAt: string;
  onDelivered: SimulationOptions["onDelivered"];
}

export function resolveSimulation(o: SimulationOptions): ResolvedSimulation {
  checkSimulationOptions(o);
  const scenario = getScenario(o.scenario);
  const device = o.device ?? "witmotion-wt901ble";
  const durationMs = (o.durationS ?? DEFAULT_DURATION_S) * 1000;
  let rateHz = o.rateHz ?? defaultRateHz(device);
  if (device !== "generic") {
    // The device streams at one of its own rates; the header says which.
    const supported = getDeviceModule(device).supportedRatesHz;
    rateHz = supported.reduce((best, r) => (Math.abs(r - rateHz) < Math.abs(best - rateHz) ? r : best), supported[0]);
  }
  const errorModel = resolveErrorModel(o.errorModel);
  let deviceOptions = o.deviceOptions ?? (device === "movella-dot" ? { payloadMode: DOT_SIM_PAYLOAD_MODE } : undefined);
  // The link runs at the fixed interval the gateway asks for this device (packages/ble
  // connectParametersFor), assuming the controller grants it, unless the error model sets one.
  const intervalSet = typeof o.errorModel === "object" && o.errorModel !== null && "connectionIntervalMs" in o.errorModel;
  if (!intervalSet && o.errorModel !== "none" && device !== "generic") {
    errorModel.connectionIntervalMs = requestedConnectionIntervalMs(getDeviceModule(device), { ...deviceOptions, rateHz }) ?? errorModel.connectionIntervalMs;
  }
  if (o.declareLinkLatency) deviceOptions = { ...deviceOptions, transportLatencyMs: errorModel.latencyMs };
  return {
    scenario,
    seed: o.seed ?? DEFAULT_SEED,
    durationMs,
    device,
    rateHz,
    truthRateHz: o.truthRateHz ?? DEFAULT_TRUTH_RATE_HZ,
    errorModel,
    limits: { ...scenario.limits, ...o.limits },
    geometry: { ...DEFAULT_BODY_GEOMETRY, ...o.geometry },
    mounts: { sacrum: o.mounts?.sacrum ?? DEFAULT_MOUNT, thoracic: o.mounts?.thoracic ?? DEFAULT_MOUNT },
    dropout: o.dropout !== undefined ? o.dropout : (scenario.dropout?.(durationMs) ?? null),
    deviceOptions,
    createdAt: o.createdAt ?? DEFAULT_CREATED_AT,
    onDelivered: o.onDelivered,
  };
}

export function sessionSensorInfo(r: ResolvedSimulation): SensorInfo[] {
  const info = (id: "sacrum" | "thoracic"): SensorInfo => ({
    id,
    role: id === "sacrum" ? "sacrum" : "thoracolumbar",
    device: r.device,
    rateHz: r.rateHz,
    mount: { ...r.mounts[id] },
    ...(r.deviceOptions ? { deviceOptions: { ...r.deviceOptions } } : {}),
  });
  return [info("sacrum"), info("thoracic")];
}

function buildSensor(r: ResolvedSimulation, id: "sacrum" | "thoracic"): SimulatedSensor {
  const constants = SeededRandom.derive(r.seed, `constants:${id}`);
  const errors = new SensorErrors(r.errorModel, constants, SeededRandom.derive(r.seed, `noise:${id}`), r.rateHz);
  // q_segWorld = q_sensorWorld ⊗ sensorToSegment (declared mount), and the real sensor is turned
  // by the undeclared mounting error E in its own axes: q_sensorWorld = q_segWorld ⊗ S* ⊗ E.
  const declared = mountPresetToSensorToSegment(r.mounts[id]);
  const sensorInSegment = quatMultiply(quatConjugate(declared), errors.drawn.mountErrorQuat);
  const clock = SeededRandom.derive(r.seed, `clock:${id}`);
  const perfect = r.errorModel.clockDriftPpm === 0 && r.errorModel.latencyMs === 0 && r.errorModel.connectionIntervalMs === 0;
  const firstSampleMs = perfect ? 0 : clock.uniform() * (1000 / r.rateHz);
  const sensorClockStartUs = Math.floor(clock.uniform() * 2 ** 32);
  const deviceHeadingRad = clock.between(-Math.PI, Math.PI);
  const encoderOptions = { ...r.deviceOptions, rateHz: r.rateHz };
  return new SimulatedSensor({
    id,
    device: r.device,
    rateHz: r.rateHz,
    placement: { segment: id === "sacrum" ? "pelvis" : "thorax", sensorInSegment },
    errors,
    link: new BleLink(r.errorModel, SeededRandom.derive(r.seed, `link:${id}`)),
    createEncoder: r.device === "generic" ? null : () => getDeviceModule(r.device).createEncoder(encoderOptions),
    firstSampleMs,
    sensorClockStartUs,
    deviceHeadingRad,
    dropout: r.dropout && r.dropout.sensor === id ? { startMs: r.dropout.startMs, endMs: r.dropout.startMs + r.dropout.durationMs } : null,
    onDelivered: r.onDelivered ?? null,
  });
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * A simulated session as recording lines (CONTRACTS.md §1): the header, then data lines in tMs
 * order: `status`, `event` (calibration), `packet` (WitMotion 0x61 frames, Movella DOT payloads)
 * or `sample` (generic), `truth` at truthRateHz and `truth-event` (reps, holds, warnings).
 * Streaming: memory stays bounded whatever the duration. Deterministic: same options, same lines.
 */
export function* simulateSession(options: SimulationOptions): Generator<RecordingLine> {
  const r = resolveSimulation(options);
  const plan = new MotionPlan(r.scenario.script, SeededRandom.derive(r.seed, `plan:${r.scenario.name}`), r.durationMs);
  const model = new TrunkModel(plan, r.geometry);
  const sensors = [buildSensor(r, "sacrum"), buildSensor(r, "thoracic")];
  const header: HeaderLine = {
    type: "header",
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    createdAt: r.createdAt,
    sensors: sessionSensorInfo(r),
    exercise: r.scenario.exercise,
    limits: { ...r.limits },
    simulation: {
      scenario: r.scenario.name,
      seed: r.seed,
      durationS: r.durationMs / 1000,
      truthRateHz: r.truthRateHz,
      errorModel: { ...r.errorModel },
      dropout: r.dropout,
      // Ground truth of the error model: what each sensor drew (for benchmarks and debugging).
      sensorErrors: Object.fromEntries(sensors.map((s) => [s.config.id, s.config.errors.drawn])),
    },
  };
  yield header;

  const queue = new LineQueue();
  for (const s of sensors) queue.push(0, { type: "status", tMs: 0, sensor: s.config.id, state: "streaming", detail: "simulated" });
  const truth = new TruthTracker(r.limits, FLEX);
  const truthPeriodMs = 1000 / r.truthRateHz;
  const pose = new Float64Array(POSE_CHANNELS.length);
  let kTruth = 0;
  const end = r.durationMs;
  for (;;) {
    const tTruth = kTruth * truthPeriodMs;
    let next: SimulatedSensor | null = null;
    for (const s of sensors) if (s.nextSampleMs < end && (next === null || s.nextSampleMs < next.nextSampleMs)) next = s;
    const tSensor = next ? next.nextSampleMs : Infinity;
    const t = Math.min(tTruth < end ? tTruth : Infinity, tSensor);
    if (t === Infinity) break;
    for (const m of plan.takeMarks(t)) queue.push(m.tMs, { type: "event", tMs: round3(m.tMs), ...m.mark } as DataLine);
    if (tTruth <= tSensor) {
      const state = model.stateAt(tTruth);
      plan.poseArrayAt(tTruth, pose);
      const lines = truth.next(
        {
          tMs: tTruth,
          flexionDeg: pose[FLEX],
          lateralBendDeg: pose[LAT],
          axialRotationDeg: pose[AXIAL],
          // Neutral standing has both segments' Y axes vertical, so the neutral inclination is 0.
          pelvisTiltDeg: forwardInclinationDeg(state.pelvis),
          thoraxInclinationDeg: forwardInclinationDeg(state.thorax),
          pelvisObliquityDeg: lateralInclinationDeg(state.pelvis),
        },
        plan.moveAt(tTruth),
      );
      for (const line of lines) queue.push(tTruth, line);
      kTruth++;
    } else {
      for (const { key, line } of next!.step(model)) queue.push(key, line);
    }
    plan.release(t - 1000);
    yield* queue.popUntil(t);
  }
  for (const m of plan.takeMarks(end)) if (m.tMs < end) queue.push(m.tMs, { type: "event", tMs: round3(m.tMs), ...m.mark } as DataLine);
  const lastTruthMs = (kTruth - 1) * truthPeriodMs;
  for (const line of truth.finish()) queue.push(lastTruthMs, line);
  for (const s of sensors) for (const { key, line } of s.flush(end)) queue.push(key, line);
  yield* queue.popUntil(Infinity);
}

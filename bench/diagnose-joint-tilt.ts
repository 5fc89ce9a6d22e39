/**
 * Could the other sensor confirm a tilt after a bridged gap better than the pivot fit does?
 * (issue 4: the deadlift's 2.5° rep peak; docs/BENCHMARKS.md, session 13.) A feasibility check,
 * not a pipeline stage: it knows the true sample times, which the pipeline cannot.
 *
 * The pivot fit (pipeline pivot-tilt-estimator.ts) takes the sensor back from a gap to turn about
 * a fixed pivot, so a hip that travels at a steady acceleration reads as a tilt. Both sensors
 * ride on that translation, and the other one's orientation is trusted meanwhile. Take the
 * pelvis and the thorax as two rigid segments joined at a lumbar joint J: a sensor's velocity is
 * v_J + ω × r_J→sensor, so the hips' translation cancels between the two,
 *   Σ R_u f_u dt − Δv_k(τ) = w·τ + [R_u(ω_u × r_u)]₀^τ − [R_k(ω_k × r_k)]₀^τ,
 * u the sensor back from the gap (R_u its bridged orientation, f_u its specific force), k the
 * other (Δv_k = Σ R_k f_k dt − g·ẑ·τ, its velocity change), r_u and r_k their lever arms from J
 * in their own axes, w the gravity reaction in u's (bridged) world axes: its tilt away from
 * vertical is the bridge's tilt error. Nine unknowns, linear; least squares over the window with
 * a small ridge on the lever arms (the joint-position constraint of Seel, Schauer & Raisch, "Joint
 * axis and position estimation from inertial measurement data by exploiting kinematic
 * constraints", IEEE CCA 2012, used here for the tilt).
 *
 * The two filters' world frames are compared as they are: in the simulator both start with
 * nearly the same heading. A pipeline version needs the sensors' relative heading (the
 * calibration's heading alignment) to rotate Δv_k into u's world frame.
 *
 * For every gap of 150-500 ms in either sensor (the orientation stage bridged with the pivot fit
 * off, so the bridged orientation stays as it was until a still moment), prints the inclination
 * error of the bridge, of the joint fit and of the single-sensor pivot fit at window lengths
 * WINDOWS after the gap, and pools the gaps where the sensor turned at least 20° in the window.
 *
 * Usage: node --import tsx bench/diagnose-joint-tilt.ts [--scenarios a,b] [--devices d1,d2]
 *          [--seeds N=3] [--duration-s S=600] [--quiet]
 */
import { lusolve } from "mathjs";
import { STANDARD_GRAVITY_MPS2 as G_MPS2, type QuatWxyz, type Vec3 } from "@spinewatch/protocol";
import { lineToSourceEvent, resolveSimulation, simulateSession, SCENARIO_NAMES, type ScenarioName, type SimulatedDevice } from "@spinewatch/simulator";
import { forwardInclinationDeg, mountPresetToSensorToSegment, quatConjugate, quatFromTwoVectors, quatMultiply, quatRotate, quatRotateInverse, RAD_PER_DEG } from "@spinewatch/kinematics";
import { OrientationStage, SensorClock, SensorDecoder, type PacketSample } from "@spinewatch/pipeline";
import { PivotTiltEstimator } from "../packages/pipeline/src/pivot-tilt-estimator.js";
import { rotatedCrossMatrix } from "../packages/pipeline/src/partner-motion.js";
import { TruthSeries } from "./lib/truth-series.js";
import { parseSweepArgs } from "./lib/sweep-args.js";
import { TrueTimes } from "./lib/true-times.js";

const { sweep, values } = parseSweepArgs(
  { scenarios: [...SCENARIO_NAMES], devices: ["witmotion-wt901ble", "movella-dot"], seeds: 3, durationS: 600 },
  { quiet: { type: "boolean", default: false }, "min-turn-deg": { type: "string", default: "20" }, "max-turn-deg": { type: "string", default: "Infinity" } },
);
const WINDOWS_MS = [200, 300, 400, 600, 900];
/** Gaps this long are bridged (OrientationStage: longer than bridgeTrustMs, up to reseedGapMs). */
const GAP_MIN_MS = 150;
const GAP_MAX_MS = 500;
/** A window stops at a later gap longer than this, ms. */
const WINDOW_BREAK_MS = 50;
/** Ridge on the lever arms per sample, (m/s)²/m², as the pivot fit's. */
const LEVER_RIDGE = 1e-4;
/** Pooled only where the sensor turned this much in the window (default: the pivot fit's own minimum), degrees... */
const MIN_TURN_DEG = Number(values["min-turn-deg"]);
/** ...and less than this. */
const MAX_TURN_DEG = Number(values["max-turn-deg"]);

/** One oriented sample at its true time, with the inclination error of its orientation. */
interface Rec { tMs: number; q: QuatWxyz; acc: Vec3; gyr: Vec3; incErrDeg: number; stepMs: number }

interface Row { windowMs: number; turnedDeg: number; bridgeDeg: number; jointDeg: number; gravityMps2: number; singleDeg: number; singleOk: boolean }

function recordSession(scenario: ScenarioName, device: SimulatedDevice, seed: number): { recs: Map<string, Rec[]>; seg: Map<string, QuatWxyz> } {
  const sim = { scenario, device, seed, durationS: sweep.durationS };
  const resolved = resolveSimulation(sim);
  const truth = new TruthSeries();
  const lanes = new Map<string, { decoder: SensorDecoder; clock: SensorClock; times: TrueTimes; stage: OrientationStage; recs: Rec[]; lastMs: number }>();
  const seg = new Map<string, QuatWxyz>();
  for (const line of simulateSession(sim)) {
    if (line.type === "header") {
      const drawn = (line.simulation as unknown as { sensorErrors: Record<string, { clockDriftPpm: number; mountErrorQuat: QuatWxyz }> }).sensorErrors;
      for (const s of line.sensors) {
        lanes.set(s.id, {
          decoder: new SensorDecoder(s),
          clock: new SensorClock(s.id, s.rateHz),
          times: new TrueTimes(seed, s.id, s.rateHz, drawn[s.id].clockDriftPpm, resolved.errorModel, s.device === "witmotion-wt901ble"),
          stage: new OrientationStage(s.id, { rateHz: s.rateHz, pivotTilt: false }),
          recs: [],
          lastMs: Number.NaN,
        });
        // Simulator: q_sensorWorld = q_segWorld ⊗ S* ⊗ E, so q_segWorld = q_sensorWorld ⊗ E* ⊗ S.
        seg.set(s.id, quatMultiply(quatConjugate(drawn[s.id].mountErrorQuat), mountPresetToSensorToSegment(s.mount)));
      }
      continue;
    }
    if (line.type === "truth") {
      truth.push(line);
      continue;
    }
    const ev = lineToSourceEvent(line);
    if (!ev) continue;
    if (ev.type === "status") {
      if (ev.state === "reconnected") lanes.get(ev.sensorId)?.decoder.restart();
      continue;
    }
    if (ev.type !== "packet" && ev.type !== "sample") continue;
    const lane = lanes.get(ev.sensorId);
    if (!lane) continue;
    const channel = ev.sensorId === "sacrum" ? 3 : 4; // TRUTH_CHANNELS: pelvis tilt, thorax inclination
    const tv = new Float64Array(6);
    lane.decoder.next(ev, (s: PacketSample) => {
      const trueMs = s.sensorTimeUs !== undefined ? lane.times.fromSensorUs(s.sensorTimeUs) : lane.times.fromBatch(s.indexInPacket, s.countInPacket);
      const timed = lane.clock.next(s, () => {});
      if (timed === null) return;
      const o = lane.stage.next({ ...timed });
      if (o === null || o.accMps2 === undefined || o.gyrDps === undefined || !truth.at(trueMs, tv)) return;
      lane.recs.push({
        tMs: trueMs,
        q: [o.quatWxyz[0], o.quatWxyz[1], o.quatWxyz[2], o.quatWxyz[3]],
        acc: [o.accMps2[0], o.accMps2[1], o.accMps2[2]],
        gyr: [o.gyrDps[0], o.gyrDps[1], o.gyrDps[2]],
        incErrDeg: forwardInclinationDeg(quatMultiply(o.quatWxyz, seg.get(ev.sensorId) as QuatWxyz)) - tv[channel],
        stepMs: Number.isNaN(lane.lastMs) ? 0 : trueMs - lane.lastMs,
      });
      lane.lastMs = trueMs;
    }, () => {});
  }
  return { recs: new Map([...lanes].map(([id, lane]) => [id, lane.recs])), seg };
}

/** M (row-major) with M·r = R(q)·(ω × r) for r in sensor axes (ω in rad/s): the pipeline's own. */
function rotatedCross(q: Readonly<QuatWxyz>, omegaRad: Readonly<Vec3>): Float64Array {
  return rotatedCrossMatrix(q, omegaRad, new Float64Array(9));
}

function radians(gyrDps: Readonly<Vec3>): Vec3 {
  return [gyrDps[0] * RAD_PER_DEG, gyrDps[1] * RAD_PER_DEG, gyrDps[2] * RAD_PER_DEG];
}

/** The known sensor's velocity change since its first sample (world, m/s), per sample. */
function velocityChanges(recs: Rec[]): Vec3[] {
  const dv: Vec3[] = [[0, 0, 0]];
  for (let i = 1; i < recs.length; i++) {
    const dtS = (recs[i].tMs - recs[i - 1].tMs) / 1000;
    const f0 = quatRotate(recs[i - 1].q, recs[i - 1].acc), f1 = quatRotate(recs[i].q, recs[i].acc);
    const p = dv[i - 1];
    dv.push([p[0] + 0.5 * (f0[0] + f1[0]) * dtS, p[1] + 0.5 * (f0[1] + f1[1]) * dtS, p[2] + (0.5 * (f0[2] + f1[2]) - G_MPS2) * dtS]);
  }
  return dv;
}

/** The known sensor at `tMs` (between its samples, linearly): velocity change and R·[ω]×; null outside. */
function knownAt(recs: Rec[], dv: Vec3[], tMs: number): { dv: Vec3; m: Float64Array } | null {
  let lo = 0, hi = recs.length - 1;
  if (hi < 1 || tMs < recs[0].tMs || tMs > recs[hi].tMs) return null;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (recs[mid].tMs <= tMs) lo = mid;
    else hi = mid;
  }
  const a = (tMs - recs[lo].tMs) / Math.max(1e-9, recs[hi].tMs - recs[lo].tMs);
  const lerp = (x: Readonly<Vec3>, y: Readonly<Vec3>): Vec3 => [x[0] + a * (y[0] - x[0]), x[1] + a * (y[1] - x[1]), x[2] + a * (y[2] - x[2])];
  return { dv: lerp(dv[lo], dv[hi]), m: rotatedCross(recs[lo].q, radians(lerp(recs[lo].gyr, recs[hi].gyr))) };
}

/** Inclination error after taking the sensor's world "up" onto `upSensor` (the fit's), degrees. */
function errorAfterFix(r: Rec, upSensor: Readonly<Vec3>, seg: Readonly<QuatWxyz>): number {
  const truthDeg = forwardInclinationDeg(quatMultiply(r.q, seg)) - r.incErrDeg;
  const fix = quatFromTwoVectors(upSensor, quatRotateInverse(r.q, [0, 0, 1]));
  return forwardInclinationDeg(quatMultiply(quatMultiply(r.q, fix), seg)) - truthDeg;
}

/** Every window of the gap before `urecs[g]`: joint and single fits against the bridge. */
function gapRows(urecs: Rec[], g: number, krecs: Rec[], kdv: Vec3[], seg: Readonly<QuatWxyz>): Row[] {
  const rows: Row[] = [];
  const t0 = urecs[g].tMs;
  const k0 = knownAt(krecs, kdv, t0);
  if (k0 === null) return rows;
  const ata = Array.from({ length: 9 }, () => new Array<number>(9).fill(0));
  const atb = new Array<number>(9).fill(0);
  const single = new PivotTiltEstimator();
  const mu0 = rotatedCross(urecs[g].q, radians(urecs[g].gyr));
  const s: Vec3 = [0, 0, 0];
  const row = new Array<number>(9);
  let turnedDeg = 0;
  for (let k = g, wi = 0; k < urecs.length && wi < WINDOWS_MS.length; k++) {
    const r = urecs[k];
    if (k > g) {
      if (r.stepMs > WINDOW_BREAK_MS) break;
      const dtS = r.stepMs / 1000;
      const f0 = quatRotate(urecs[k - 1].q, urecs[k - 1].acc), f1 = quatRotate(r.q, r.acc);
      for (let j = 0; j < 3; j++) s[j] += 0.5 * (f0[j] + f1[j]) * dtS;
      turnedDeg += Math.hypot(r.gyr[0], r.gyr[1], r.gyr[2]) * dtS;
    }
    single.next(r.acc, r.gyr, k > g ? r.stepMs / 1000 : 0);
    const known = knownAt(krecs, kdv, r.tMs);
    if (known === null) break;
    const tauS = (r.tMs - t0) / 1000;
    const mu = rotatedCross(r.q, radians(r.gyr));
    for (let i = 0; i < 3; i++) {
      row.fill(0);
      row[i] = tauS;
      for (let j = 0; j < 3; j++) {
        row[3 + j] = mu[3 * i + j] - mu0[3 * i + j];
        row[6 + j] = -(known.m[3 * i + j] - k0.m[3 * i + j]);
      }
      const b = s[i] - (known.dv[i] - k0.dv[i]);
      for (let p = 0; p < 9; p++) {
        atb[p] += row[p] * b;
        for (let q = 0; q < 9; q++) ata[p][q] += row[p] * row[q];
      }
    }
    if (r.tMs - t0 < WINDOWS_MS[wi]) continue;
    const a = ata.map((x) => [...x]);
    for (let p = 3; p < 9; p++) a[p][p] += LEVER_RIDGE * (k - g + 1);
    const x = (lusolve(a, atb) as number[][]).map((v) => v[0]);
    const gravityMps2 = Math.hypot(x[0], x[1], x[2]);
    const jointDeg = errorAfterFix(r, quatRotateInverse(r.q, [x[0] / gravityMps2, x[1] / gravityMps2, x[2] / gravityMps2]), seg);
    const sol = single.solve();
    rows.push({
      windowMs: WINDOWS_MS[wi], turnedDeg, bridgeDeg: r.incErrDeg, jointDeg, gravityMps2,
      singleDeg: sol === null ? Number.NaN : errorAfterFix(r, sol.upSensor, seg), singleOk: sol?.ok ?? false,
    });
    wi++;
  }
  return rows;
}

const all: Row[] = [];
for (const scenario of sweep.scenarios) {
  for (const device of sweep.devices) {
    for (let seed = 1; seed <= sweep.seeds; seed++) {
      const { recs, seg } = recordSession(scenario, device, seed);
      for (const [uid, urecs] of recs) {
        const kid = [...recs.keys()].find((id) => id !== uid);
        if (kid === undefined) continue;
        const krecs = recs.get(kid) as Rec[];
        const kdv = velocityChanges(krecs);
        for (let g = 1; g < urecs.length; g++) {
          if (!(urecs[g].stepMs > GAP_MIN_MS && urecs[g].stepMs <= GAP_MAX_MS)) continue;
          const rows = gapRows(urecs, g, krecs, kdv, seg.get(uid) as QuatWxyz);
          all.push(...rows);
          if (values.quiet === true || rows.length === 0) continue;
          console.log(`${scenario} ${device} seed ${seed} ${uid}: ${urecs[g].stepMs.toFixed(0)} ms gap at ${(urecs[g].tMs / 1000).toFixed(2)} s, bridge error ${urecs[g].incErrDeg.toFixed(2)}°`);
          for (const r of rows) console.log(`  ${r.windowMs} ms (turned ${r.turnedDeg.toFixed(0)}°): bridge ${r.bridgeDeg.toFixed(2)}°, joint fit ${r.jointDeg.toFixed(2)}° (|g| ${r.gravityMps2.toFixed(2)}), pivot fit ${r.singleDeg.toFixed(2)}°${r.singleOk ? "" : " (its checks: no)"}`);
        }
      }
    }
  }
}

const rms = (xs: number[]): number => Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / Math.max(1, xs.length));
const max = (xs: number[]): number => xs.reduce((a, x) => Math.max(a, Math.abs(x)), 0);
const stat = (xs: number[]): string => `rms ${rms(xs).toFixed(2)}° max ${max(xs).toFixed(2)}° (${xs.length})`;
console.log(`\ninclination error after gaps of ${GAP_MIN_MS}-${GAP_MAX_MS} ms, where the sensor turned ${MIN_TURN_DEG}-${MAX_TURN_DEG}° in the window:`);
for (const w of WINDOWS_MS) {
  const rows = all.filter((r) => r.windowMs === w && r.turnedDeg >= MIN_TURN_DEG && r.turnedDeg < MAX_TURN_DEG && Number.isFinite(r.jointDeg));
  const gOk = rows.filter((r) => Math.abs(r.gravityMps2 / G_MPS2 - 1) < 0.03);
  console.log(`  ${w} ms: bridge ${stat(rows.map((r) => r.bridgeDeg))}; joint fit ${stat(rows.map((r) => r.jointDeg))}, its |g| within 3 % ${stat(gOk.map((r) => r.jointDeg))}; pivot fit ${stat(rows.filter((r) => Number.isFinite(r.singleDeg)).map((r) => r.singleDeg))}, passing its checks ${stat(rows.filter((r) => r.singleOk).map((r) => r.singleDeg))}`);
  const any = all.filter((r) => r.windowMs === w && Number.isFinite(r.jointDeg) && Math.abs(r.gravityMps2 / G_MPS2 - 1) < 0.03);
  console.log(`    every gap whose joint fit has |g| within 3 %: bridge ${stat(any.map((r) => r.bridgeDeg))}; joint fit ${stat(any.map((r) => r.jointDeg))}; of them turned < ${MIN_TURN_DEG}°: bridge ${stat(any.filter((r) => r.turnedDeg < MIN_TURN_DEG).map((r) => r.bridgeDeg))}, joint ${stat(any.filter((r) => r.turnedDeg < MIN_TURN_DEG).map((r) => r.jointDeg))}`);
  console.log(`BENCH joint_tilt_${w}ms_rmse_deg ${rms(gOk.map((r) => r.jointDeg)).toFixed(3)} deg`);
}

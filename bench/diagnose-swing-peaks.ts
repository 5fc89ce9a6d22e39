/**
 * Where does the per-rep peak flexion error come from? (issue 4: per-rep peak flexion within 1.5°)
 *
 * Streams simulated sessions through the real pipeline (SpineCore) and, beside it, a second copy
 * of each sensor's decode + clock stages (the same deterministic code, so the same sample times)
 * whose mapped sample times are compared with the simulator's TRUE sample times (reconstructed
 * from the session's seed the way the simulator draws them: this is a diagnostic, it may know
 * what the pipeline cannot). Every angle frame's per-segment inclination error is then split:
 *
 *   e_seg(t) = est(t) − truth(t) = −τ_seg(t)·ṫruth_seg(t)  [clock: sample placement error τ]
 *                                 + f_seg(t)                [filter: inclination error at the right time]
 *
 * and per rep, at the frame where the estimated flexion peaks (t*):
 *   peak error = [flex_est(t*) − flex_truth(t*)] + [flex_truth(t*) − truth peak]  (selection, ≤ 0)
 *   flex_est − flex_truth ≈ e_thorax − e_pelvis            (sagittal: flexion ≈ thorax − pelvis)
 *                         = clock (common and differential) + filter(static at rep start + dynamic)
 *                           + geometry residual (what the sagittal approximation leaves)
 *
 * Usage: node --import tsx bench/diagnose-swing-peaks.ts [--scenarios a,b] [--devices d1,d2]
 *          [--seeds N] [--duration-s S] [--worst K] [--error-model JSON]
 * Prints per scenario × device: RMS and p95 of each component over reps, and the worst reps;
 * per sensor, the orientation filter's inclination error inside reps at the true sample time,
 * run as the pipeline runs it (steps from the clock's sensor time: TimedSample.stepMs), on the
 * differences of the pipeline's mapped sample times, and on the true sample times (what the
 * clock's dt costs the filter).
 * Also: the inclination error each step across lost samples adds, by gap length, with the
 * pipeline's Hermite (GyroStepRate) and with the plain mean of the ends' rates.
 * Tracing (env): TAU_DUMP=1 (placement error runs per sensor), TAU_WINDOW=id,fromMs,toMs (every
 * sample's placement), FILTER_DUMP=id,fromMs,toMs (filter inclination error every
 * FILTER_DUMP_EVERY samples, default 5, and clock gaps), GAP_DUMP=1 (every gap step).
 */
import type { AngleFrame, RepSummary, SessionInfo, TruthEventLine } from "@spinewatch/protocol";
import { lineToSourceEvent, resolveSimulation, simulateSession, type ScenarioName, type SimulatedDevice } from "@spinewatch/simulator";
import { forwardInclinationDeg, mountPresetToSensorToSegment, quatConjugate, quatMultiply } from "@spinewatch/kinematics";
import type { QuatWxyz } from "@spinewatch/protocol";
import { OrientationStage, SensorClock, SensorDecoder, SpineCore, SummaryCollector, type PacketSample, type PipelineOutput } from "@spinewatch/pipeline";
import { matchIntervals, quantile } from "./lib/event-matching.js";
import { TruthSeries } from "./lib/truth-series.js";
import { ERROR_MODEL_OPTION, errorModelArg, parseSweepArgs } from "./lib/sweep-args.js";
import { TrueTimes } from "./lib/true-times.js";

const { sweep, values } = parseSweepArgs(
  { scenarios: ["kettlebell-swing", "kettlebell-swing-rounding", "kettlebell-swing-overextension"], devices: ["witmotion-wt901ble", "movella-dot"], seeds: 2, durationS: 180 },
  {
    worst: { type: "string", default: "5" },
    // Overrides of the simulator's error model, JSON (e.g. '{"clockDriftPpm":7000}').
    ...ERROR_MODEL_OPTION,
  },
);
const errorModel = errorModelArg(values);

/** Placement error of one sensor's samples: mapped tMs and (mapped − true) ms, in mapped order. */
interface Placement { tMs: number[]; errMs: number[]; lastTrueMs: number }

function placementAt(p: Placement, t: number): number {
  const ts = p.tMs;
  let lo = 0, hi = ts.length - 1;
  if (hi < 0) return Number.NaN;
  if (t <= ts[0]) return p.errMs[0];
  if (t >= ts[hi]) return p.errMs[hi];
  while (hi - lo > 1) {
    const m = (lo + hi) >> 1;
    if (ts[m] <= t) lo = m; else hi = m;
  }
  const a = (t - ts[lo]) / (ts[hi] - ts[lo]);
  return p.errMs[lo] + a * (p.errMs[hi] - p.errMs[lo]);
}


interface FrameRow { t: number; est: AngleFrame; truth: Float64Array }

interface RepRow {
  scenario: string; device: string; seed: number; tPeakMs: number;
  peakErr: number; selection: number; flexErrAtPeak: number;
  clockCommon: number; clockDiff: number; filterStatic: number; filterDynamic: number; geometry: number;
  tauP: number; tauT: number; rateP: number; rateT: number;
}

const G = ["pelvisTiltDeg", "thoraxInclinationDeg"] as const;

function runSession(scenario: ScenarioName, device: SimulatedDevice, seed: number, durationS: number): RepRow[] {
  const sim = { scenario, device, seed, durationS, errorModel };
  const r = resolveSimulation(sim);
  let core: SpineCore | null = null;
  let collector: SummaryCollector | null = null;
  const truth = new TruthSeries();
  const truthEvents: TruthEventLine[] = [];
  const frames: AngleFrame[] = [];
  const decoders = new Map<string, SensorDecoder>();
  const clocks = new Map<string, SensorClock>();
  const trueTimes = new Map<string, TrueTimes>();
  const placement = new Map<string, Placement>();
  const stepErrors = new Map<string, number>();
  // Filter experiment: the pipeline's orientation stage on the pipeline's sample times ("mapped")
  // and on the true sample times ("true"), each sensor's segment inclination against the truth
  // at the TRUE sample time: the filter's own error, without the clock's.
  const stages = new Map<string, { mapped: OrientationStage; mappedDiff: OrientationStage; truet: OrientationStage; gapMid: OrientationStage; segInSensor: QuatWxyz }>();
  // Gap bridging: each sensor's inclination error before a step across lost samples and one sample
  // after it (once GyroStepRate has revised it), with the Hermite (the pipeline) and with the mean of the end rates.
  const gapTrack = new Map<string, { lastH: number; lastM: number; pending: { lenMs: number; eH: number; eM: number; left: number } | null }>();
  const filterErr = new Map<string, { mapped: number[]; mappedDiff: number[]; truet: number[]; tMs: number[] }>();
  const emit = (out: PipelineOutput): void => {
    collector!.next(out);
    if (out.type === "frame") frames.push({ ...out.frame });
  };
  for (const line of simulateSession(sim)) {
    if (line.type === "header") {
      const info: SessionInfo = { sensors: line.sensors, exercise: line.exercise, limits: line.limits };
      core = new SpineCore(info);
      collector = new SummaryCollector(info);
      const drawn = (line.simulation as unknown as { sensorErrors: Record<string, { clockDriftPpm: number }> }).sensorErrors;
      for (const s of line.sensors) {
        decoders.set(s.id, new SensorDecoder(s));
        clocks.set(s.id, new SensorClock(s.id, s.rateHz));
        trueTimes.set(s.id, new TrueTimes(seed, s.id, s.rateHz, drawn[s.id].clockDriftPpm, r.errorModel, s.device === "witmotion-wt901ble"));
        placement.set(s.id, { tMs: [], errMs: [], lastTrueMs: Number.NaN });
        const drawnS = (line.simulation as unknown as { sensorErrors: Record<string, { mountErrorQuat: QuatWxyz }> }).sensorErrors[s.id];
        // Simulator: q_sensorWorld = q_segWorld ⊗ S* ⊗ E, so q_segWorld = q_sensorWorld ⊗ E* ⊗ S.
        const segInSensor = quatMultiply(quatConjugate(drawnS.mountErrorQuat), mountPresetToSensorToSegment(s.mount));
        stages.set(s.id, {
          mapped: new OrientationStage(s.id, { rateHz: s.rateHz }),
          mappedDiff: new OrientationStage(s.id, { rateHz: s.rateHz, useSensorStep: false }),
          truet: new OrientationStage(s.id, { rateHz: s.rateHz, useSensorStep: false }),
          gapMid: new OrientationStage(s.id, { rateHz: s.rateHz, gapHermite: false }),
          segInSensor,
        });
        filterErr.set(s.id, { mapped: [], mappedDiff: [], truet: [], tMs: [] });
        gapTrack.set(s.id, { lastH: Number.NaN, lastM: Number.NaN, pending: null });
      }
      continue;
    }
    if (line.type === "truth") { truth.push(line); continue; }
    if (line.type === "truth-event") { truthEvents.push(line); continue; }
    const ev = lineToSourceEvent(line);
    if (!ev) continue;
    core!.next(ev, emit);
    if (ev.type === "packet" || ev.type === "sample") {
      const id = ev.sensorId;
      const tt = trueTimes.get(id)!, pl = placement.get(id)!, clock = clocks.get(id)!;
      decoders.get(id)!.next(ev, (s: PacketSample) => {
        const trueMs = s.sensorTimeUs !== undefined ? tt.fromSensorUs(s.sensorTimeUs) : tt.fromBatch(s.indexInPacket, s.countInPacket);
        const timed = clock.next(s, (rep) => { if (process.env.FILTER_DUMP && rep.kind === "gap") console.log("  gap", id, JSON.stringify(rep)); });
        if (timed === null) return;
        if (timed.stepMs !== undefined && pl.tMs.length > 0) {
          // Step errors: the clock's sensor-time step against the true one, in nominal periods.
          const trueSteps = Math.round((trueMs - pl.lastTrueMs) / tt.periodTrueMs);
          const clockSteps = Math.round(timed.stepMs / (1000 / tt.rateHz));
          if (trueSteps !== clockSteps) {
            const key = `${id} clock ${clockSteps} true ${trueSteps} idx ${s.indexInPacket}`;
            stepErrors.set(key, (stepErrors.get(key) ?? 0) + 1);
            if (process.env.STEP_DUMP) console.log(`  step ${key} at true ${trueMs.toFixed(0)} ms, host ${s.hostTimeMs.toFixed(1)}`);
          }
        }
        if (timed.stepRevisionMs !== undefined) {
          const key = `${id} previous packet's first step revised by ${Math.round(timed.stepRevisionMs / (1000 / tt.rateHz))}`;
          stepErrors.set(key, (stepErrors.get(key) ?? 0) + 1);
        }
        pl.lastTrueMs = trueMs;
        pl.tMs.push(timed.tMs);
        pl.errMs.push(timed.tMs - trueMs);
        if (process.env.TAU_WINDOW) {
          const [wid, a, b] = process.env.TAU_WINDOW.split(",");
          if (id === wid && trueMs >= Number(a) && trueMs <= Number(b)) console.log(`  τ ${id} true ${trueMs.toFixed(1)} host ${s.hostTimeMs.toFixed(1)} idx ${s.indexInPacket} mapped ${timed.tMs.toFixed(1)} τ ${(timed.tMs - trueMs).toFixed(1)}`);
        }
        const st = stages.get(id)!, fe = filterErr.get(id)!;
        const tv = new Float64Array(5);
        const ch = id === "sacrum" ? 3 : 4;
        const oMapped = st.mapped.next({ ...timed });
        const oDiff = st.mappedDiff.next({ ...timed, stepRevisionMs: undefined });
        const oTrue = st.truet.next({ ...timed, tMs: trueMs, stepRevisionMs: undefined });
        const oMid = st.gapMid.next({ ...timed });
        if (oMapped && oDiff && oTrue && oMid && truth.at(trueMs, tv)) {
          fe.tMs.push(trueMs);
          fe.mapped.push(forwardInclinationDeg(quatMultiply(oMapped.quatWxyz, st.segInSensor)) - tv[ch]);
          const g = gapTrack.get(id)!;
          const eH = fe.mapped[fe.mapped.length - 1], eM = forwardInclinationDeg(quatMultiply(oMid.quatWxyz, st.segInSensor)) - tv[ch];
          if (timed.stepMs !== undefined && timed.stepMs > 1.5 * (1000 / tt.rateHz) && timed.stepMs <= 500 && !Number.isNaN(g.lastH)) {
            g.pending = { lenMs: timed.stepMs, eH: g.lastH, eM: g.lastM, left: 1 };
          } else if (g.pending !== null && g.pending.left-- === 0) {
            gapRows.push({ lenMs: g.pending.lenMs, dHermite: eH - g.pending.eH, dMid: eM - g.pending.eM });
            if (process.env.GAP_DUMP) console.log(`  gap step ${scenario} ${device} s${seed} ${id} at ${(trueMs / 1000).toFixed(2)} s: ${g.pending.lenMs.toFixed(0)} ms, error before ${g.pending.eH.toFixed(2)}°, added: Hermite ${(eH - g.pending.eH).toFixed(2)}° mean-rate ${(eM - g.pending.eM).toFixed(2)}°`);
            g.pending = null;
          }
          g.lastH = eH; g.lastM = eM;
          fe.mappedDiff.push(forwardInclinationDeg(quatMultiply(oDiff.quatWxyz, st.segInSensor)) - tv[ch]);
          fe.truet.push(forwardInclinationDeg(quatMultiply(oTrue.quatWxyz, st.segInSensor)) - tv[ch]);
        }
      }, () => {});
    } else if (ev.type === "status" && ev.state === "reconnected") {
      decoders.get(ev.sensorId)!.restart();
    }
  }
  core!.flush(emit);
  // Samples whose step since the previous one (the filter's dt) the clock got wrong, by kind.
  console.log(`  [${scenario} ${device} seed ${seed}] step errors (clock periods vs true):`, [...stepErrors].map(([k, n]) => `${k}: ${n}`).join("; ") || "none");
  if (process.env.TAU_DUMP) {
    for (const [id, p] of placement) {
      const e = p.errMs;
      const runs: string[] = [];
      let k0 = 0;
      for (let k = 1; k <= e.length; k++) {
        if (k === e.length || Math.abs(e[k] - e[k0]) > 8) { runs.push(`${(p.tMs[k0] / 1000).toFixed(1)}s:${e[k0].toFixed(0)}x${k - k0}`); k0 = k; }
      }
      console.log(id, "q05/50/95", quantile(e, 0.05).toFixed(1), quantile(e, 0.5).toFixed(1), quantile(e, 0.95).toFixed(1), "runs", runs.slice(0, 60).join(" "));
    }
  }
  const reps: RepSummary[] = collector!.summary().reps;
  if (process.env.FILTER_DUMP) {
    const [id, from, to] = process.env.FILTER_DUMP.split(",");
    const fe = filterErr.get(id)!;
    for (let k = 0; k < fe.tMs.length; k += Number(process.env.FILTER_DUMP_EVERY ?? 5)) if (fe.tMs[k] >= Number(from) && fe.tMs[k] <= Number(to)) console.log(`  ${id} ${(fe.tMs[k] / 1000).toFixed(2)} mapped ${fe.mapped[k].toFixed(2)} true ${fe.truet[k].toFixed(2)}`);
  }
  {
    // Sensor-level filter error inside truth reps (after the first 5 s).
    const truthRepsF = truthEvents.filter((e) => e.kind === "rep");
    for (const [id, fe] of filterErr) {
      const inRep = (t: number) => t > 5000 && truthRepsF.some((e) => t >= e.startMs && t <= e.endMs);
      const m: number[] = [], md: number[] = [], tr: number[] = [];
      for (let k = 0; k < fe.tMs.length; k++) if (inRep(fe.tMs[k])) { m.push(fe.mapped[k]); md.push(fe.mappedDiff[k]); tr.push(fe.truet[k]); }
      const rms = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / Math.max(1, xs.length));
      const mx = (xs: number[]) => xs.reduce((a, x) => Math.max(a, Math.abs(x)), 0);
      console.log(`  [${scenario} ${device} seed ${seed}] ${id} inclination error in reps at the true sample time: pipeline filter (sensor-time steps) rms ${rms(m).toFixed(2)} max ${mx(m).toFixed(1)}; on mapped-time steps rms ${rms(md).toFixed(2)} max ${mx(md).toFixed(1)}; true-time filter rms ${rms(tr).toFixed(2)} max ${mx(tr).toFixed(1)}`);
    }
  }
  const truthReps = truthEvents.filter((e) => e.kind === "rep");

  // Frames with truth at their tMs (all channels; truth held whole: sessions here are short).
  const rows: FrameRow[] = [];
  for (const f of frames) {
    const tv = new Float64Array(5);
    if (truth.at(f.tMs, tv)) rows.push({ t: f.tMs, est: f, truth: tv });
  }
  const ti = { pelvisTiltDeg: 3, thoraxInclinationDeg: 4, flexionDeg: 0 } as const;
  const truthRate = (k: number, ch: 3 | 4): number => {
    const a = rows[Math.max(0, k - 1)], b = rows[Math.min(rows.length - 1, k + 1)];
    return b.t > a.t ? (b.truth[ch] - a.truth[ch]) / (b.t - a.t) : 0; // deg/ms
  };
  const sac = placement.get("sacrum")!, tho = placement.get("thoracic")!;
  const segErr = (k: number) => {
    const row = rows[k];
    const tauP = placementAt(sac, row.t), tauT = placementAt(tho, row.t);
    const rateP = truthRate(k, ti.pelvisTiltDeg), rateT = truthRate(k, ti.thoraxInclinationDeg);
    const eP = row.est.pelvisTiltDeg - row.truth[3];
    const eT = (row.est.thoraxInclinationDeg ?? Number.NaN) - row.truth[4];
    return { tauP, tauT, rateP, rateT, eP, eT, fP: eP + tauP * rateP, fT: eT + tauT * rateT };
  };
  const idxAt = (t: number): number => {
    let lo = 0, hi = rows.length - 1;
    while (hi - lo > 1) { const m = (lo + hi) >> 1; if (rows[m].t <= t) lo = m; else hi = m; }
    return lo;
  };

  const out: RepRow[] = [];
  for (const { truth: tr, detected: d } of matchIntervals(truthReps, reps).matches) {
    // Frame of the estimated peak inside the detected rep (the rep detector's own window).
    let kPeak = -1;
    for (let k = idxAt(d.startMs); k < rows.length && rows[k].t <= d.endMs; k++) {
      if (rows[k].t >= d.startMs && (kPeak < 0 || rows[k].est.flexionDeg > rows[kPeak].est.flexionDeg)) kPeak = k;
    }
    if (kPeak < 0) continue;
    const row = rows[kPeak];
    const peakErr = d.peakFlexionDeg - Number(tr.peakFlexionDeg);
    const flexErr = row.est.flexionDeg - row.truth[0];
    const selection = row.truth[0] - Number(tr.peakFlexionDeg);
    const s = segErr(kPeak);
    // Filter error at the rep's start (standing at lockout): calibration/mounting residual and
    // tilt carried into the rep; the rest of the filter error at the peak is dynamic.
    const s0 = segErr(idxAt(d.startMs));
    const clockP = -s.tauP * s.rateP, clockT = -s.tauT * s.rateT;
    const tauMean = 0.5 * (s.tauP + s.tauT);
    const clockCommon = -tauMean * (s.rateT - s.rateP);
    const clockDiff = (clockT - clockP) - clockCommon;
    const filterStatic = s0.fT - s0.fP;
    const filterDynamic = (s.fT - s.fP) - filterStatic;
    const geometry = flexErr - (s.eT - s.eP);
    out.push({
      scenario, device, seed, tPeakMs: row.t, peakErr, selection, flexErrAtPeak: flexErr,
      clockCommon, clockDiff, filterStatic, filterDynamic, geometry,
      tauP: s.tauP, tauT: s.tauT, rateP: s.rateP * 1000, rateT: s.rateT * 1000,
    });
  }
  void G;
  return out;
}

const { seeds, durationS } = sweep;
/** Every step across lost samples: its length and the inclination error it added, Hermite vs mean of end rates. */
const gapRows: { lenMs: number; dHermite: number; dMid: number }[] = [];
const all: RepRow[] = [];
for (const scenario of sweep.scenarios) {
  for (const device of sweep.devices) {
    const rows: RepRow[] = [];
    for (let seed = 1; seed <= seeds; seed++) rows.push(...runSession(scenario, device, seed, durationS));
    all.push(...rows);
    report(`${scenario} / ${device}`, rows);
  }
}
report("all", all);
console.log("\ninclination error added by a step across lost samples (°, |Δ| p50 / p95 / max): Hermite (pipeline) vs mean of the end rates");
for (const [lo, hi] of [[0, 50], [50, 100], [100, 150], [150, 250], [250, 500]]) {
  const rows = gapRows.filter((g) => g.lenMs > lo && g.lenMs <= hi);
  if (rows.length === 0) continue;
  const q = (xs: number[]) => `${quantile(xs, 0.5).toFixed(2)} / ${quantile(xs, 0.95).toFixed(2)} / ${Math.max(...xs).toFixed(2)}`;
  console.log(`  ${lo}-${hi} ms (${rows.length}): Hermite ${q(rows.map((g) => Math.abs(g.dHermite)))}  mean-rate ${q(rows.map((g) => Math.abs(g.dMid)))}`);
}
const worst = [...all].sort((a, b) => Math.abs(b.peakErr) - Math.abs(a.peakErr)).slice(0, Number(values.worst));
console.log("\nworst reps (deg; τ ms; rates °/s at the estimated peak):");
for (const w of worst) {
  console.log(`  ${w.scenario} ${w.device} seed ${w.seed} t=${(w.tPeakMs / 1000).toFixed(2)} s: peak err ${w.peakErr.toFixed(2)} = sel ${w.selection.toFixed(2)} + clock common ${w.clockCommon.toFixed(2)} + clock diff ${w.clockDiff.toFixed(2)} + filter static ${w.filterStatic.toFixed(2)} + filter dyn ${w.filterDynamic.toFixed(2)} + geom ${w.geometry.toFixed(2)}  (τ pelvis ${w.tauP.toFixed(1)}, τ thorax ${w.tauT.toFixed(1)}, rate pelvis ${w.rateP.toFixed(0)}, thorax ${w.rateT.toFixed(0)})`);
}

function report(label: string, rows: RepRow[]): void {
  const rms = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / Math.max(1, xs.length));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  const p95 = (xs: number[]) => quantile(xs.map(Math.abs), 0.95);
  const within = rows.filter((r) => Math.abs(r.peakErr) <= 1.5).length / Math.max(1, rows.length);
  console.log(`\n${label}: ${rows.length} reps, peak error within 1.5°: ${(100 * within).toFixed(1)} %, |err| p95 ${p95(rows.map((r) => r.peakErr)).toFixed(2)}°, mean ${mean(rows.map((r) => r.peakErr)).toFixed(2)}°`);
  const comps: [string, (r: RepRow) => number][] = [
    ["peak error", (r) => r.peakErr], ["selection (truth at t* − truth peak)", (r) => r.selection],
    ["clock, common lag", (r) => r.clockCommon], ["clock, differential", (r) => r.clockDiff],
    ["filter, static at rep start", (r) => r.filterStatic], ["filter, dynamic", (r) => r.filterDynamic],
    ["geometry residual", (r) => r.geometry],
    ["τ pelvis (ms)", (r) => r.tauP], ["τ thorax (ms)", (r) => r.tauT], ["τ thorax − τ pelvis (ms)", (r) => r.tauT - r.tauP],
  ];
  for (const [name, f] of comps) {
    const xs = rows.map(f);
    console.log(`  ${name.padEnd(38)} mean ${mean(xs).toFixed(2).padStart(6)}  rms ${rms(xs).toFixed(2).padStart(6)}  |p95| ${p95(xs).toFixed(2).padStart(6)}`);
  }
}

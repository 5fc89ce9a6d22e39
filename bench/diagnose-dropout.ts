/**
 * Where the errors after a sensor's return come from (issue 4, Faults: "resumes angles within
 * 1 s of the sensor's return, and never emits an angle computed from a stale orientation as if
 * fresh"). For every simulated session with a link dropout it prints:
 *   - the dropout (sensor, simulated start and return), the first sample after it as the
 *     pipeline placed it, and the first angle frame after the return (the resume delay);
 *   - what the returning sensor's orientation stage did: re-seeds, quasi-static tilt fixes (time
 *     and size), when its samples became fresh again;
 *   - the error of every compared frame after the return, per channel, as the max |error| in
 *     time bins, and where the session's largest errors were (seconds from the return).
 * The returning sensor's lane (decode, clock, orientation) is run a second time beside the real
 * pipeline on the same source events: it is deterministic, so its states are the pipeline's.
 *
 * Usage: node --import tsx bench/diagnose-dropout.ts [--seeds N=3] [--duration-s S=600]
 *          [--devices witmotion-wt901ble,movella-dot] [--scenarios sensor-dropout]
 * Prints `BENCH dropout_resume_delay_{p50,max}_ms` and `BENCH dropout_after_return_flexion_max_error_deg`.
 */
import { SensorLane, type OrientedSample } from "@spinewatch/pipeline";
import { lineToSourceEvent, simulateSession } from "@spinewatch/simulator";
import { quatRotateInverse } from "@spinewatch/kinematics";
import type { AngleFrame, SensorInfo } from "@spinewatch/protocol";
import { quantile } from "./lib/event-matching.js";
import { runSimulated } from "./lib/sim-run.js";
import { TRUTH_CHANNELS } from "./lib/truth-series.js";
import { parseSweepArgs } from "./lib/sweep-args.js";

const { sweep } = parseSweepArgs({ scenarios: ["sensor-dropout"], devices: ["witmotion-wt901ble", "movella-dot"], seeds: 3, durationS: 600 });
const { seeds, durationS, devices } = sweep;

/** Bins after the return (ms, upper edges) for the error-over-time table. */
const BINS_MS = [250, 500, 750, 1000, 1500, 2000, 3000, 5000, 10_000, 30_000];
const SHORT_NAMES: Record<string, string> = { flexionDeg: "flex", lateralBendDeg: "lat", axialRotationDeg: "axial", pelvisTiltDeg: "pelvis", thoraxInclinationDeg: "thorax", pelvisObliquityDeg: "obliq" };
const SHORT = TRUTH_CHANNELS.map((c: string) => SHORT_NAMES[c] ?? c);
const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "–");

interface LaneTrace {
  firstSampleAfterMs: number;
  firstFreshAfterMs: number;
  reseeds: Array<{ tMs: number; accNormMps2: number; accErrDeg: number }>;
  fixes: number[];
  recoveries: string[];
}

const resumeDelays: number[] = [];
let worstAfterReturn = 0;

for (const scenario of sweep.scenarios) for (const device of devices) {
  for (let seed = 1; seed <= seeds; seed++) {
    const sim = { scenario, device, seed, durationS };
    // 1) Both sensors' lanes, run beside the pipeline on the same events.
    const lanes = new Map<string, SensorLane>();
    // (Assigned inside the loop below: the cast keeps TypeScript from narrowing it to null.)
    let dropout = null as { sensor: string; startMs: number; durationMs: number } | null;
    let returningId = "";
    const trace: LaneTrace = { firstSampleAfterMs: Number.NaN, firstFreshAfterMs: Number.NaN, reseeds: [], fixes: [], recoveries: [] };
    /** Every gap (either sensor) and every re-seed resolution, for the error episodes below. */
    const gaps: Array<{ sensor: string; startMs: number; endMs: number }> = [];
    const resolutions: Array<{ sensor: string; reseedMs: number; text: string }> = [];
    let returnMs = Number.NaN;
    const prev = new Map<string, { reseeds: number; fixes: number }>();
    const onOriented = (lane: SensorLane, o: OrientedSample): void => {
      const c = lane.orientation.counters;
      const p = prev.get(lane.info.id)!;
      const returning = lane.info.id === returningId;
      if (returning && o.tMs >= returnMs - 50) {
        if (Number.isNaN(trace.firstSampleAfterMs)) trace.firstSampleAfterMs = o.tMs;
        if (o.fresh && Number.isNaN(trace.firstFreshAfterMs)) trace.firstFreshAfterMs = o.tMs;
      }
      if (c.reseeds > p.reseeds && returning) {
        // The re-seed puts the filter's "up" on this one accelerometer sample: how far |a| was
        // from g says how much swing acceleration it carried.
        const a = o.accMps2;
        const n = Math.hypot(a[0], a[1], a[2]);
        const up = quatRotateInverse(o.quatWxyz, [0, 0, 1]);
        const cos = (a[0] * up[0] + a[1] * up[1] + a[2] * up[2]) / n;
        trace.reseeds.push({ tMs: o.tMs, accNormMps2: n, accErrDeg: (Math.acos(Math.min(1, cos)) * 180) / Math.PI });
      }
      const rec = lane.orientation.lastRecovery;
      if (rec !== null && rec.by !== "pending" && rec.atMs === o.tMs) {
        const text = `${lane.info.role} re-seed at ${fmt((rec.reseedMs - returnMs) / 1000, 2)} s from the return resolved by ${rec.by} at +${fmt(rec.atMs - rec.reseedMs, 0)} ms, correction ${fmt(rec.correctionDeg)}°${rec.gravityMps2 !== undefined ? ` (fit |g| ${fmt(rec.gravityMps2, 2)} m/s², misfit ${fmt(rec.residualMps!, 3)} m/s)` : ""}`;
        resolutions.push({ sensor: lane.info.role, reseedMs: rec.reseedMs, text });
        if (returning && rec.reseedMs >= returnMs - 50) trace.recoveries.push(text);
      }
      if (returning && c.staticFixes > p.fixes && o.tMs >= returnMs - 50) trace.fixes.push(o.tMs);
      p.reseeds = c.reseeds;
      p.fixes = c.staticFixes;
    };
    for (const line of simulateSession(sim)) {
      if (line.type === "header") {
        dropout = (line.simulation?.dropout as typeof dropout) ?? null;
        if (dropout === null) break;
        const role = dropout.sensor === "sacrum" ? "sacrum" : "thoracolumbar";
        returningId = line.sensors.find((s: SensorInfo) => s.role === role)!.id;
        returnMs = dropout.startMs + dropout.durationMs;
        for (const info of line.sensors as SensorInfo[]) {
          const lane = new SensorLane(info);
          lanes.set(info.id, lane);
          prev.set(info.id, { reseeds: 0, fixes: 0 });
          lane.connect((o) => onOriented(lane, o), () => {}, (e) => {
            if (e.kind === "sensor-gap") gaps.push({ sensor: info.role, startMs: e.startMs, endMs: e.endMs });
          });
        }
        continue;
      }
      const ev = lineToSourceEvent(line);
      if (ev === null || !("sensorId" in ev) || ev.sensorId === undefined) continue;
      const lane = lanes.get(ev.sensorId);
      if (lane === undefined) continue;
      if (ev.type === "status") lane.setLink(ev.state);
      else if (ev.type === "packet" || ev.type === "sample") lane.next(ev);
    }
    if (dropout === null) {
      console.log(`${scenario} ${device} seed ${seed}: no dropout in this scenario`);
      continue;
    }

    // 2) The real pipeline, every frame against the truth.
    const binMax = BINS_MS.map(() => new Float64Array(TRUTH_CHANNELS.length));
    const worst: Array<{ dtMs: number; flexErr: number; thoraxErr: number }> = [];
    let firstFrameAfterMs = Number.NaN;
    let lastFrameBeforeMs = Number.NaN;
    const run = runSimulated(sim, {
      onCompared: (f: AngleFrame, truth: Float64Array) => {
        const dt = f.tMs - returnMs;
        if (f.tMs < returnMs) lastFrameBeforeMs = f.tMs;
        else if (Number.isNaN(firstFrameAfterMs)) firstFrameAfterMs = f.tMs;
        const flexErr = f.flexionDeg - truth[0];
        if (Math.abs(flexErr) > 5) worst.push({ dtMs: dt, flexErr, thoraxErr: f.thoraxInclinationDeg - truth[4] });
        if (dt < 0) return;
        const b = BINS_MS.findIndex((edge) => dt < edge);
        if (b < 0) return;
        for (let k = 0; k < TRUTH_CHANNELS.length; k++) {
          const e = Math.abs(f[TRUTH_CHANNELS[k]] - truth[k]);
          if (e > binMax[b][k]) binMax[b][k] = e;
        }
      },
    });
    const delay = firstFrameAfterMs - returnMs;
    resumeDelays.push(delay);
    for (const row of binMax) worstAfterReturn = Math.max(worstAfterReturn, row[0]);

    console.log(`\n${scenario} ${device} seed ${seed}: ${dropout.sensor} lost ${dropout.startMs}-${returnMs} ms (simulated time); flexion RMSE ${fmt(run.errors.flexionDeg.rmse, 2)}°, max ${fmt(run.errors.flexionDeg.maxAbs)}°`);
    console.log(`  session max |error| at (s from the return): ${TRUTH_CHANNELS.map((c, k) => `${SHORT[k]} ${fmt(run.errors[c].maxAbs)}° @ ${fmt((run.errors[c].maxAtMs - returnMs) / 1000)}`).join(", ")}`);
    console.log(`  last frame before ${fmt(lastFrameBeforeMs, 0)} ms; first sample after ${fmt(trace.firstSampleAfterMs, 0)} ms, first fresh sample ${fmt(trace.firstFreshAfterMs, 0)} ms, first frame ${fmt(firstFrameAfterMs, 0)} ms: resume delay ${fmt(delay, 0)} ms`);
    for (const r of trace.reseeds) console.log(`  re-seed at ${fmt(r.tMs, 0)} ms (return +${fmt(r.tMs - returnMs, 0)} ms): |a| ${fmt(r.accNormMps2, 2)} m/s² (g 9.81), acc vs filter up ${fmt(r.accErrDeg)}°`);
    for (const r of trace.recoveries) console.log(`  ${r}`);
    console.log(`  tilt fixes after return at +${trace.fixes.slice(0, 6).map((t) => fmt(t - returnMs, 0)).join(", +") || "none"} ms`);
    console.log(`  max |error| after return (°), by time since return:`);
    console.log(`    ${"until".padEnd(9)}${SHORT.map((s) => s.padStart(8)).join("")}`);
    let lo = 0;
    for (let b = 0; b < BINS_MS.length; b++) {
      console.log(`    ${`${lo}-${BINS_MS[b]}`.padEnd(9)}${Array.from(binMax[b], (v) => fmt(v).padStart(8)).join("")}`);
      lo = BINS_MS[b];
    }
    const near = worst.filter((w) => w.dtMs >= 0 && w.dtMs <= 30_000);
    console.log(`  frames with |flexion error| > 5°: ${near.length} within 30 s after the return, ${worst.length - near.length} elsewhere`);
    // Episodes of |flexion error| > 5° anywhere in the session, with the gap before each.
    let k = 0;
    while (k < worst.length) {
      let j = k, peak = worst[k];
      while (j + 1 < worst.length && worst[j + 1].dtMs - worst[j].dtMs < 500) {
        j++;
        if (Math.abs(worst[j].flexErr) > Math.abs(peak.flexErr)) peak = worst[j];
      }
      const startMs = worst[k].dtMs + returnMs;
      const gap = [...gaps].reverse().find((g) => g.endMs <= startMs + 50);
      const res = [...resolutions].reverse().find((r) => r.reseedMs <= startMs + 50);
      console.log(`    episode ${fmt(worst[k].dtMs / 1000, 2)}..${fmt(worst[j].dtMs / 1000, 2)} s from the return: flexion error up to ${fmt(peak.flexErr)}° (thorax ${fmt(peak.thoraxErr)}°); last gap before: ${gap ? `${gap.sensor} ${fmt(gap.endMs - gap.startMs, 0)} ms ending ${fmt((startMs - gap.endMs) / 1000, 2)} s earlier` : "none"}; last re-seed: ${res ? res.text : "none"}`);
      k = j + 1;
    }
  }
}

const sorted = [...resumeDelays].sort((a, b) => a - b);
console.log(`\nresume delay (first frame after the return − return), ms: p50 ${fmt(quantile(sorted, 0.5), 0)}, max ${fmt(sorted[sorted.length - 1], 0)} over ${sorted.length} dropouts`);
console.log(`BENCH dropout_resume_delay_p50_ms ${fmt(quantile(sorted, 0.5), 0)} ms`);
console.log(`BENCH dropout_resume_delay_max_ms ${fmt(sorted[sorted.length - 1], 0)} ms`);
console.log(`BENCH dropout_after_return_flexion_max_error_deg ${fmt(worstAfterReturn, 2)} deg`);

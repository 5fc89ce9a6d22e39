/**
 * Movement-analysis speed and synthetic accuracy (packages/analysis).
 *
 * Speed: ns per angle frame through MovementAnalyzer.next (reps + range monitor for the
 * kettlebell swing; reps + holds + range for hip-hinge-holds), over 10 minutes of generated
 * 100 Hz frames (pre-built, so the timed loop holds only the detectors), median of 7 runs
 * after a warm-up. An hour of a 100 Hz session is 360,000 frames.
 *
 * Synthetic accuracy (frame generator of packages/analysis/src/testing, minimum-jerk moves,
 * 0.3° white noise): rep count error over 200 swings at 1.25-1.9 s per rep, per-rep peak
 * flexion error, hold start/end error on 40 hinge holds, warning latency from the generated
 * exceedance. The simulator-truth figures of issue 4 come from the pipeline benchmarks.
 *
 * Usage: node --import tsx bench/analysis-detectors.ts
 */
import type { AngleFrame, MovementEvent } from "@spinewatch/protocol";
import { MovementAnalyzer } from "@spinewatch/analysis";
import { mulberry32 } from "@spinewatch/protocol/testing";
import { addSwings, generateFrames, Motion, type TruthRep } from "../packages/analysis/src/testing/frame-generator.js";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function swingFrames(seed: number, sets: number, periodMs: number) {
  const rand = mulberry32(seed);
  const m = new Motion().hold(2000);
  const truth: TruthRep[] = [];
  for (let s = 0; s < sets; s++) {
    // Every third set rounds the back past the 20° limit.
    truth.push(...addSwings(m, 10, periodMs, rand, { flexionDeg: s % 3 === 2 ? [26, 32] : [4, 9] }));
    m.hold(4000);
  }
  return { m, truth, frames: generateFrames(m, { endMs: m.tMs, noiseDeg: 0.3, seed }) };
}

function holdFrames(seed: number, holds: number) {
  const m = new Motion().hold(2000);
  const truth: { startMs: number; endMs: number }[] = [];
  for (let i = 0; i < holds; i++) {
    m.move(900, { pelvisTiltDeg: 35, flexionDeg: 6 });
    const startMs = m.tMs;
    m.move(2500, { flexionDeg: 8 }, "linear");
    truth.push({ startMs, endMs: m.tMs });
    m.move(900, { pelvisTiltDeg: 0, flexionDeg: 0 }).hold(2000);
  }
  return { m, truth, frames: generateFrames(m, { endMs: m.tMs, noiseDeg: 0.3, seed }) };
}

let sink = 0;

function timeFrames(exercise: string, frames: readonly AngleFrame[]): number {
  const runs: number[] = [];
  for (let r = 0; r < 8; r++) {
    const an = new MovementAnalyzer({ exercise });
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < frames.length; i++) sink += an.next(frames[i]).length;
    const ns = Number(process.hrtime.bigint() - t0) / frames.length;
    if (r > 0) runs.push(ns); // run 0 is the warm-up
  }
  return median(runs);
}

// --- speed: 10 minutes of frames each ---
const swing10 = swingFrames(1, 40, 1400).frames.slice(0, 60_000);
const hold10 = holdFrames(2, 100).frames.slice(0, 60_000);
const swingNs = timeFrames("kettlebell-swing", swing10);
const holdNs = timeFrames("hip-hinge-holds", hold10);
const hourS = (Math.max(swingNs, holdNs) * 360_000) / 1e9;

// --- synthetic accuracy ---
let repCountError = 0;
let maxPeakErr = 0;
let maxLatencyMs = 0;
let maxWarnStartErr = 0;
for (const [seed, periodMs] of [[11, 1250], [12, 1500], [13, 1900], [14, 1250]] as const) {
  const { m, truth, frames } = swingFrames(seed, 5, periodMs);
  const an = new MovementAnalyzer({ exercise: "kettlebell-swing" });
  const events: MovementEvent[] = [];
  for (const f of frames) events.push(...an.next(f));
  events.push(...an.finish());
  const { reps, warnings } = an.results();
  repCountError += Math.abs(reps.length - truth.length);
  reps.forEach((r, i) => {
    if (truth[i]) maxPeakErr = Math.max(maxPeakErr, Math.abs(r.peakFlexionDeg - truth[i].peakFlexionDeg));
  });
  for (const w of warnings) {
    // Truth exceedance of the 20° limit in the warning's rep, by dense sampling.
    const rep = truth[(w.rep ?? 1) - 1];
    let truthMs = Number.NaN;
    for (let t = rep.startMs; t <= rep.endMs && Number.isNaN(truthMs); t += 0.1) if (m.at("flexionDeg", t) > 20) truthMs = t;
    const ev = events.find((e) => e.kind === "range" && e.level === "warning" && e.rep === w.rep);
    if (ev) maxLatencyMs = Math.max(maxLatencyMs, ev.tMs - truthMs);
    maxWarnStartErr = Math.max(maxWarnStartErr, Math.abs(w.startMs - truthMs));
  }
}
let maxHoldStartErr = 0;
let maxHoldEndErr = 0;
let holdMisses = 0;
{
  const { truth, frames } = holdFrames(21, 40);
  const an = new MovementAnalyzer({ exercise: "hip-hinge-holds" });
  for (const f of frames) an.next(f);
  an.finish();
  const { holds } = an.results();
  holdMisses = Math.abs(holds.length - truth.length);
  holds.forEach((h, i) => {
    maxHoldStartErr = Math.max(maxHoldStartErr, Math.abs(h.startMs - truth[i].startMs));
    maxHoldEndErr = Math.max(maxHoldEndErr, Math.abs(h.endMs - truth[i].endMs));
  });
}

console.log(`MovementAnalyzer: ${swingNs.toFixed(0)} ns/frame (kettlebell-swing), ${holdNs.toFixed(0)} ns/frame (hip-hinge-holds)`);
console.log(`  one hour at 100 Hz (360,000 frames): ${hourS.toFixed(3)} s of detector time`);
console.log(`Synthetic accuracy: rep count error ${repCountError} over 4 sessions of 50 swings;`);
console.log(`  peak flexion max error ${maxPeakErr.toFixed(2)}°; warning latency max ${maxLatencyMs.toFixed(1)} ms (dwell 100 ms + 10 ms frame);`);
console.log(`  warning start max error ${maxWarnStartErr.toFixed(1)} ms; holds missed ${holdMisses}/40, start/end max error ${maxHoldStartErr.toFixed(0)}/${maxHoldEndErr.toFixed(0)} ms`);
console.log(`BENCH analysis_frame_ns ${swingNs.toFixed(1)} ns`);
console.log(`BENCH analysis_holds_frame_ns ${holdNs.toFixed(1)} ns`);
console.log(`BENCH analysis_1h_s ${hourS.toFixed(3)} s`);
console.log(`BENCH analysis_synthetic_rep_count_error ${repCountError} reps`);
console.log(`BENCH analysis_synthetic_peak_flexion_max_err_deg ${maxPeakErr.toFixed(2)} deg`);
console.log(`BENCH analysis_synthetic_warning_latency_max_ms ${maxLatencyMs.toFixed(1)} ms`);
console.log(`BENCH analysis_synthetic_hold_start_max_err_ms ${maxHoldStartErr.toFixed(0)} ms`);
console.log(`BENCH analysis_synthetic_hold_end_max_err_ms ${maxHoldEndErr.toFixed(0)} ms`);
if (sink < 0) console.log(sink);

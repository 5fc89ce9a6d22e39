/**
 * Lists every rep whose peak flexion is more than 1.5° off the truth and every required warning
 * later than the dwell plus one frame (70 ms), with scenario, device, seed and time, and the facts
 * (angles as the detectors see them: less the frame's restNeutral when it carries one)
 * that classify it (issue 4 residuals): the longest sensor gap near it, the flexion error at the
 * estimated peak / at the crossing, the truth's rate at the crossing (a slow crossing turns a small
 * angle error into a long delay: Δt = e / rate), the error at rep start (a static offset).
 * Usage: node --import tsx bench/diagnose-residuals.ts [--seeds 3] [--duration-s 600] [--scenarios a,b] [--devices d] [--declared-latency] [--error-model '{"gyrScaleSd":0}']
 * Matching as bench/lib/event-eval.ts does (reps by overlap; its truth and detected warnings).
 */
import type { MovementEvent } from "@spinewatch/protocol";
import { RANGE_DEFAULTS } from "@spinewatch/analysis";
import { SCENARIO_NAMES } from "@spinewatch/simulator";
import { matchIntervals } from "./lib/event-matching.js";
import { AXIS_SIGN, detectedWarnings, truthWarnings } from "./lib/event-eval.js";
import { runSimulated } from "./lib/sim-run.js";
import { ERROR_MODEL_OPTION, errorModelArg, parseSweepArgs } from "./lib/sweep-args.js";

const { sweep, values } = parseSweepArgs({ scenarios: [...SCENARIO_NAMES], devices: ["witmotion-wt901ble", "movella-dot"], seeds: 3, durationS: 600 }, {
  "lat-ms": { type: "string", default: "70" }, "err-deg": { type: "string", default: "1.5" },
  "declared-latency": { type: "boolean", default: false },
  // Overrides of the simulator's error model, JSON (e.g. '{"gyrScaleSd":0}'): which error a residual comes from.
  ...ERROR_MODEL_OPTION,
});
const latLimit = Number(values["lat-ms"]), errLimit = Number(values["err-deg"]);
const errorModel = errorModelArg(values);
const allLat: number[] = [], allErr: number[] = [];
for (const scenario of sweep.scenarios) for (const device of sweep.devices) for (let seed = 1; seed <= sweep.seeds; seed++) {
  const fr: { t: number; est: Record<string, number>; tr: Float64Array }[] = [];
  const run = runSimulated({ scenario, device, seed, durationS: sweep.durationS, declareLinkLatency: values["declared-latency"] === true, errorModel }, { onCompared: (f, tr) => {
    // The angles as the detectors see them: less the rest the exercise counts from (bird dog), if any.
    const r = f.restNeutral;
    fr.push({ t: f.tMs, est: { flexionDeg: f.flexionDeg - (r?.flexionDeg ?? 0), lateralBendDeg: f.lateralBendDeg - (r?.lateralBendDeg ?? 0), axialRotationDeg: f.axialRotationDeg - (r?.axialRotationDeg ?? 0), pelvisTiltDeg: f.pelvisTiltDeg, thoraxInclinationDeg: f.thoraxInclinationDeg }, tr: Float64Array.from(tr) });
  } });
  const ts = fr.map((f) => f.t);
  const idx = (t: number) => { let lo = 0, hi = ts.length; while (lo < hi) { const m = (lo + hi) >> 1; if (ts[m] < t) lo = m + 1; else hi = m; } return Math.min(lo, ts.length - 1); };
  const gaps = run.events.filter((e): e is Extract<MovementEvent, { kind: "sensor-gap" }> => e.kind === "sensor-gap");
  const gapNear = (a: number, b: number) => gaps.filter((g) => g.endMs > a && g.startMs < b).map((g) => `${g.sensor}:${Math.round(g.endMs - g.startMs)}ms@${Math.round(g.startMs)}`).join(" ");
  const frameHole = (a: number, b: number) => { let m = 0; for (let i = idx(a); i < fr.length && fr[i].t <= b; i++) if (i > 0) m = Math.max(m, fr[i].t - fr[i - 1].t); return m; };
  const tag = `${scenario} ${device === "movella-dot" ? "dot" : "wit"} s${seed}`;
  // Reps.
  const truthReps = run.truthEvents.filter((e) => e.kind === "rep");
  for (const { truth: t, detected: d } of matchIntervals(truthReps, run.summary.reps).matches) {
    const err = d.peakFlexionDeg - Number(t.peakFlexionDeg);
    allErr.push(Math.abs(err));
    if (Math.abs(err) <= errLimit) continue;
    // Estimated peak frame inside the detected rep; error there and at rep start.
    let ip = idx(d.startMs); for (let i = ip; i < fr.length && fr[i].t <= d.endMs; i++) if (fr[i].est.flexionDeg > fr[ip].est.flexionDeg) ip = i;
    const i0 = idx(d.startMs);
    console.log(`REP ${tag} t=${Math.round(d.startMs)}..${Math.round(d.endMs)} err=${err.toFixed(2)} peakT=${Math.round(fr[ip].t)} errAtPeak=${(fr[ip].est.flexionDeg - fr[ip].tr[0]).toFixed(2)} errAtStart=${(fr[i0].est.flexionDeg - fr[i0].tr[0]).toFixed(2)} hole=${frameHole(d.startMs - 1000, d.endMs)}ms gaps=[${gapNear(d.startMs - 1500, d.endMs)}]`);
  }
  // Warnings, by event-eval's rules (truth merged unless re-armed; latency from the event).
  const tw = truthWarnings(run.truthEvents, run.truthTrace);
  const dw = detectedWarnings(run.events);
  for (const axis of new Set(tw.map((w) => w.axis))) {
    const { channel: ch, sign } = AXIS_SIGN[axis]; const k = ch === "flexionDeg" ? 0 : ch === "lateralBendDeg" ? 1 : 2;
    for (const { truth: t, detected: d } of matchIntervals(tw.filter((w) => w.axis === axis), dw.filter((w) => w.axis === axis), 150).matches) {
      if (!(t.endMs - t.startMs >= RANGE_DEFAULTS.dwellMs && t.peakDeg - t.limitDeg >= 1)) continue;
      const lat = d.eventMs - t.startMs; allLat.push(lat);
      if (lat <= latLimit && lat >= 0) continue; // early ones too: an early match is a warning the truth does not explain
      const i = idx(t.startMs), j = Math.min(i + 5, fr.length - 1), h = Math.max(i - 5, 0);
      const rate = (sign * (fr[j].tr[k] - fr[h].tr[k])) / ((fr[j].t - fr[h].t) / 1000);
      const e0 = sign * (fr[i].est[ch] - fr[i].tr[k]);
      // Where the estimate itself crossed the limit (first frame ≥ limit at/after truth start − 500 ms, staying until event).
      let ic = idx(d.eventMs); while (ic > 0 && sign * fr[ic - 1].est[ch] >= t.limitDeg && fr[ic - 1].t > t.startMs - 1000) ic--;
      console.log(`WARN ${tag} ${axis} t=${Math.round(t.startMs)} lat=${Math.round(lat)} estCross=${Math.round(fr[ic].t - t.startMs)} rate=${rate.toFixed(1)}dps errAtCross=${e0.toFixed(2)} (Δt=${(e0 / rate * -1000).toFixed(0)}ms) dur=${Math.round(t.endMs - t.startMs)} over=${(t.peakDeg - t.limitDeg).toFixed(1)} hole=${frameHole(t.startMs - 500, d.eventMs)}ms gaps=[${gapNear(t.startMs - 1000, d.eventMs)}] pelvis err/rate ${(fr[i].est.pelvisTiltDeg - fr[i].tr[3]).toFixed(2)}/${((fr[j].tr[3] - fr[h].tr[3]) / ((fr[j].t - fr[h].t) / 1000)).toFixed(0)} thorax ${(fr[i].est.thoraxInclinationDeg - fr[i].tr[4]).toFixed(2)}/${((fr[j].tr[4] - fr[h].tr[4]) / ((fr[j].t - fr[h].t) / 1000)).toFixed(0)}`);
    }
  }
}
const q = (a: number[], p: number) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))]; };
console.log(`reps ${allErr.length}: within ${errLimit}° ${(allErr.filter((x) => x <= errLimit).length / allErr.length).toFixed(4)} p95 ${q(allErr, 0.95).toFixed(2)} max ${Math.max(...allErr).toFixed(2)}`);
console.log(`warnings ${allLat.length}: within ${latLimit} ms ${(allLat.filter((x) => x <= latLimit).length / allLat.length).toFixed(4)} p50 ${q(allLat, 0.5)} p90 ${q(allLat, 0.9)} max ${Math.max(...allLat)} min ${Math.min(...allLat)}`);

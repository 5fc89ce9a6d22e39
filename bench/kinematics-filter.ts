/**
 * Orientation-filter speed: ns per 6-axis update (OrientationFilter.updateImu) over the x-io
 * Fusion reference recording (fixtures/fusion/sensor_data.csv, 13,514 samples), and per update
 * of the gyro-bias estimator followed by the filter (the per-sensor work of the pipeline).
 * Method: inputs pre-converted to arrays (no parsing or allocation in the timed loop), a warm-up
 * so V8 has optimised the code, then several runs of many passes over the data; the median run
 * is reported. Goal (issue 2): ≤ 35 ns per update (Fusion's C takes 22-24 ns on this machine class).
 * Three settings: the spine settings the pipeline runs (`filter_update_ns`, with the feedback
 * window of tilt-feedback-window.ts), the same without the window, and Fusion's defaults, the
 * algorithm the C figure is for (`filter_update_fusion_defaults_ns`).
 *
 * Usage: node --import tsx bench/kinematics-filter.ts
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Vec3 } from "@spinewatch/protocol";
import { FUSION_DEFAULT_SETTINGS, GyroBiasEstimator, OrientationFilter, SPINE_FILTER_SETTINGS } from "@spinewatch/kinematics";

const G_MPS2 = 9.80665;
const path = fileURLToPath(new URL("../fixtures/fusion/sensor_data.csv", import.meta.url));
const rows = readFileSync(path, "utf8").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
const n = rows.length;
const gyr: Vec3[] = rows.map((r) => [r[1], r[2], r[3]]);
const acc: Vec3[] = rows.map((r) => [r[4] * G_MPS2, r[5] * G_MPS2, r[6] * G_MPS2]);
const dtS = new Float64Array(n);
for (let i = 1; i < n; i++) dtS[i] = rows[i][0] - rows[i - 1][0];
dtS[0] = 0.01;

const PASSES = 40; // 40 × 13,514 = 540k updates per run
const RUNS = 9;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

let sink = 0; // keeps results observable so nothing is optimised away

/** The spine settings without the feedback window (TiltFeedbackWindow): Fusion's per-sample path. */
const NO_WINDOW = { ...SPINE_FILTER_SETTINGS, accelerationWindowS: 0 };

function runFilter(settings = SPINE_FILTER_SETTINGS): number {
  const f = new OrientationFilter(settings);
  const t0 = process.hrtime.bigint();
  for (let p = 0; p < PASSES; p++) {
    for (let i = 0; i < n; i++) f.updateImu(gyr[i], acc[i], dtS[i]);
  }
  const t1 = process.hrtime.bigint();
  sink += f.quatWxyz[0];
  return Number(t1 - t0) / (PASSES * n);
}

function runBiasAndFilter(): number {
  const f = new OrientationFilter(SPINE_FILTER_SETTINGS);
  const b = new GyroBiasEstimator();
  const t0 = process.hrtime.bigint();
  for (let p = 0; p < PASSES; p++) {
    for (let i = 0; i < n; i++) {
      const dt = dtS[i];
      const g = b.next(gyr[i], acc[i], dt);
      f.setStill(b.isStill);
      f.updateImu(g, acc[i], dt);
    }
  }
  const t1 = process.hrtime.bigint();
  sink += f.quatWxyz[0] + b.biasDps[0];
  return Number(t1 - t0) / (PASSES * n);
}

for (let w = 0; w < 3; w++) {
  runFilter();
  runFilter(NO_WINDOW);
  runFilter(FUSION_DEFAULT_SETTINGS);
  runBiasAndFilter();
}
const filterNs: number[] = [];
const noWindowNs: number[] = [];
const fusionNs: number[] = [];
const bothNs: number[] = [];
for (let r = 0; r < RUNS; r++) {
  filterNs.push(runFilter());
  noWindowNs.push(runFilter(NO_WINDOW));
  fusionNs.push(runFilter(FUSION_DEFAULT_SETTINGS));
  bothNs.push(runBiasAndFilter());
}
const fMed = median(filterNs);
const nMed = median(noWindowNs);
const bMed = median(bothNs);
const fuMed = median(fusionNs);
const fmt = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(" ");
console.log(`orientation filter (6-axis, spine settings), ${n} samples × ${PASSES} passes, ${RUNS} runs`);
console.log(`  updateImu:               median ${fMed.toFixed(1)} ns/update, min ${Math.min(...filterNs).toFixed(1)}  (runs: ${fmt(filterNs)})  goal ≤ 35 ns`);
console.log(`  updateImu, no window:    median ${nMed.toFixed(1)} ns/update, min ${Math.min(...noWindowNs).toFixed(1)}  (runs: ${fmt(noWindowNs)})`);
console.log(`  updateImu, Fusion's defaults (the algorithm Fusion's C runs in 22-24 ns): median ${fuMed.toFixed(1)} ns/update, min ${Math.min(...fusionNs).toFixed(1)}  (runs: ${fmt(fusionNs)})`);
console.log(`  bias estimator + filter: median ${bMed.toFixed(1)} ns/update, min ${Math.min(...bothNs).toFixed(1)}  (runs: ${fmt(bothNs)})`);
if (!Number.isFinite(sink)) console.log("(sink)", sink);
console.log(`BENCH filter_update_ns ${fMed.toFixed(1)} ns`);
console.log(`BENCH filter_update_no_window_ns ${nMed.toFixed(1)} ns`);
console.log(`BENCH filter_with_bias_update_ns ${bMed.toFixed(1)} ns`);
console.log(`BENCH filter_update_fusion_defaults_ns ${fuMed.toFixed(1)} ns`);

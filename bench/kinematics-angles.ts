/**
 * Angle-frame speed (issue 2 goal: ≤ 150 ns per full frame). Two figures for a frame:
 * - the issue's definition ("two filter updates, relative rotation, decomposition"): two
 *   OrientationFilter.updateImu calls, quatRelative of their outputs, decomposeLumbarQuatInto
 *   (`angle_frame_issue_ns`);
 * - what the pipeline does per paired sample (`angle_frame_ns`): the two updates, then
 *   LumbarAngles.nextInto: calibration products, relative-heading tracking, R = R_pelvisᵀ R_thorax,
 *   the Z-X-Y decomposition, pelvis tilt and thorax inclination.
 * Also timed alone: the Z-X-Y decomposition (decomposeLumbarQuatInto) and LumbarAngles.nextInto
 * without the filters.
 *
 * Inputs: the x-io Fusion reference recording (fixtures/fusion/sensor_data.csv, 13,514 samples)
 * feeds the sacrum filter; the same data 5,000 samples later with its axes permuted feeds the
 * thoracic filter, so the two orientations differ. Method as bench/kinematics-filter.ts:
 * pre-converted arrays, warm-up, several runs of many passes, median run reported.
 *
 * Usage: node --import tsx bench/kinematics-angles.ts
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { AngleFrame, QuatWxyz, Vec3 } from "@spinewatch/protocol";
import {
  composeLumbarQuat,
  decomposeLumbarQuatInto,
  LumbarAngles,
  OrientationFilter,
  quatRelative,
  SPINE_FILTER_SETTINGS,
  type SegmentCalibration,
} from "@spinewatch/kinematics";

const G_MPS2 = 9.80665;
const path = fileURLToPath(new URL("../fixtures/fusion/sensor_data.csv", import.meta.url));
const rows = readFileSync(path, "utf8").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
const n = rows.length;
const gyrA: Vec3[] = rows.map((r) => [r[1], r[2], r[3]]);
const accA: Vec3[] = rows.map((r) => [r[4] * G_MPS2, r[5] * G_MPS2, r[6] * G_MPS2]);
const shift = (i: number): number => (i + 5000) % n;
const gyrB: Vec3[] = rows.map((_, i) => [gyrA[shift(i)][1], gyrA[shift(i)][2], gyrA[shift(i)][0]]);
const accB: Vec3[] = rows.map((_, i) => [accA[shift(i)][1], accA[shift(i)][2], accA[shift(i)][0]]);
const dtS = new Float64Array(n);
for (let i = 1; i < n; i++) dtS[i] = rows[i][0] - rows[i - 1][0];
dtS[0] = 0.01;

// A plausible calibration: WitMotion-like mounts ({up: +x, out: +z}) and a heading alignment.
const cal: SegmentCalibration = {
  sacrum: { sensorToSegment: [0.5, -0.5, -0.5, -0.5] },
  thoracic: { sensorToSegment: [0.5, -0.5, -0.5, -0.5] },
  thoracicWorldAlign: [Math.cos(0.3), 0, 0, Math.sin(0.3)],
  pelvisNeutralWorld: [1, 0, 0, 0],
  quality: { stillnessDps: 0.2 },
};

const PASSES = 20; // 20 × 13,514 = 270k frames per run
const RUNS = 9;
let sink = 0; // keeps results observable so nothing is optimised away

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function newFrame(): AngleFrame {
  return { tMs: 0, flexionDeg: 0, lateralBendDeg: 0, axialRotationDeg: 0, pelvisTiltDeg: 0, thoraxInclinationDeg: 0, pelvisObliquityDeg: 0, relQuatWxyz: [1, 0, 0, 0] };
}

function runFullFrame(): number {
  const fa = new OrientationFilter(SPINE_FILTER_SETTINGS);
  const fb = new OrientationFilter(SPINE_FILTER_SETTINGS);
  const angles = new LumbarAngles(cal);
  const frame = newFrame();
  let tMs = 0;
  const t0 = process.hrtime.bigint();
  for (let p = 0; p < PASSES; p++) {
    for (let i = 0; i < n; i++) {
      fa.updateImu(gyrA[i], accA[i], dtS[i]);
      fb.updateImu(gyrB[i], accB[i], dtS[i]);
      tMs += dtS[i] * 1000;
      angles.nextInto(tMs, fa.quatWxyz, fb.quatWxyz, frame);
    }
  }
  const t1 = process.hrtime.bigint();
  sink += frame.flexionDeg;
  return Number(t1 - t0) / (PASSES * n);
}

/** The issue's frame: two filter updates, relative rotation, decomposition (nothing else). */
function runIssueFrame(): number {
  const fa = new OrientationFilter(SPINE_FILTER_SETTINGS);
  const fb = new OrientationFilter(SPINE_FILTER_SETTINGS);
  const rel: QuatWxyz = [0.5, 0.5, 0.5, 0.5];
  const out = { flexionDeg: 0, lateralBendDeg: 0, axialRotationDeg: 0 };
  const t0 = process.hrtime.bigint();
  for (let p = 0; p < PASSES; p++) {
    for (let i = 0; i < n; i++) {
      fa.updateImu(gyrA[i], accA[i], dtS[i]);
      fb.updateImu(gyrB[i], accB[i], dtS[i]);
      decomposeLumbarQuatInto(quatRelative(fa.quatWxyz, fb.quatWxyz, rel), out);
    }
  }
  const t1 = process.hrtime.bigint();
  sink += out.flexionDeg;
  return Number(t1 - t0) / (PASSES * n);
}

// Orientation pairs for the angles-only loops, recorded once from the filters.
const qa: QuatWxyz[] = [];
const qb: QuatWxyz[] = [];
{
  const fa = new OrientationFilter(SPINE_FILTER_SETTINGS);
  const fb = new OrientationFilter(SPINE_FILTER_SETTINGS);
  for (let i = 0; i < n; i++) {
    fa.updateImu(gyrA[i], accA[i], dtS[i]);
    fb.updateImu(gyrB[i], accB[i], dtS[i]);
    qa.push([...fa.quatWxyz] as QuatWxyz);
    qb.push([...fb.quatWxyz] as QuatWxyz);
  }
}
const rel: QuatWxyz[] = qa.map((_, i) => composeLumbarQuat(60 * Math.sin(i * 0.01), 20 * Math.sin(i * 0.013), 8 * Math.sin(i * 0.017)));

function runAnglesOnly(): number {
  const angles = new LumbarAngles(cal);
  const frame = newFrame();
  const t0 = process.hrtime.bigint();
  for (let p = 0; p < PASSES; p++) {
    for (let i = 0; i < n; i++) angles.nextInto(i * 10, qa[i], qb[i], frame);
  }
  const t1 = process.hrtime.bigint();
  sink += frame.axialRotationDeg;
  return Number(t1 - t0) / (PASSES * n);
}

function runDecompose(): number {
  const out = { flexionDeg: 0, lateralBendDeg: 0, axialRotationDeg: 0 };
  const passes = PASSES * 4;
  const t0 = process.hrtime.bigint();
  for (let p = 0; p < passes; p++) {
    for (let i = 0; i < n; i++) decomposeLumbarQuatInto(rel[i], out);
  }
  const t1 = process.hrtime.bigint();
  sink += out.lateralBendDeg;
  return Number(t1 - t0) / (passes * n);
}

for (let w = 0; w < 3; w++) {
  runIssueFrame();
  runFullFrame();
  runAnglesOnly();
  runDecompose();
}
const issueNs: number[] = [];
const fullNs: number[] = [];
const anglesNs: number[] = [];
const decNs: number[] = [];
for (let r = 0; r < RUNS; r++) {
  issueNs.push(runIssueFrame());
  fullNs.push(runFullFrame());
  anglesNs.push(runAnglesOnly());
  decNs.push(runDecompose());
}
const fmt = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(" ");
const issue = median(issueNs), full = median(fullNs), ang = median(anglesNs), dec = median(decNs);
const min = (xs: number[]) => Math.min(...xs).toFixed(1);
console.log(`angle frame, ${n} frames × ${PASSES} passes, ${RUNS} runs`);
console.log(`  issue's frame (2 × updateImu + quatRelative + decomposition):`);
console.log(`                          median ${issue.toFixed(1)} ns/frame, min ${min(issueNs)}  (runs: ${fmt(issueNs)})  goal ≤ 150 ns`);
console.log(`  full frame (2 × updateImu + LumbarAngles.nextInto with heading tracking, pelvis tilt, thorax inclination):`);
console.log(`                          median ${full.toFixed(1)} ns/frame, min ${min(fullNs)}  (runs: ${fmt(fullNs)})`);
console.log(`  LumbarAngles.nextInto:  median ${ang.toFixed(1)} ns/frame, min ${min(anglesNs)}  (runs: ${fmt(anglesNs)})`);
console.log(`  Z-X-Y decomposition:    median ${dec.toFixed(1)} ns/call, min ${min(decNs)}   (runs: ${fmt(decNs)})`);
console.log(`BENCH angle_frame_issue_ns ${issue.toFixed(1)} ns`);
console.log(`BENCH angle_frame_ns ${full.toFixed(1)} ns`);
console.log(`BENCH lumbar_angles_ns ${ang.toFixed(1)} ns`);
console.log(`BENCH decompose_ns ${dec.toFixed(1)} ns`);
if (!Number.isFinite(sink)) console.log("(sink)", sink);

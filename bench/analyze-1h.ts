/**
 * `spinewatch analyze` on a 1-hour, 2-sensor, 100 Hz recording (issue 3 / CONTRACTS.md §2):
 * wall time of the whole command (process start to exit, as a person experiences it) and its
 * peak RSS. Goals: ≤ 2 s and ≤ 200 MB. The recording is generated once with the simulator
 * (kettlebell-swing, seed 1) into the temp directory and reused by later runs.
 *
 * Prints `BENCH analyze_1h_s`, `BENCH analyze_1h_peak_rss_mb`, `BENCH analyze_1h_samples_per_s`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, renameSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { loadavg } from "node:os";
import { analyzeRecording, writeSimulation } from "@spinewatch/gateway";

const ROOT = resolve(import.meta.dirname, "..");
const BIN = join(ROOT, "apps/gateway/bin/spinewatch.js");
const DURATION_S = 3600;
const file = join(tmpdir(), `spinewatch-bench-analyze-1h-seed1.ndjson`);

if (!existsSync(file)) {
  process.stdout.write(`generating a ${DURATION_S / 60}-minute simulated recording into ${file} (once) ...\n`);
  const t0 = performance.now();
  await writeSimulation(file + ".part", { scenario: "kettlebell-swing", durationS: DURATION_S, seed: 1, device: "witmotion-wt901ble" } as Parameters<typeof writeSimulation>[1]);
  renameSync(file + ".part", file);
  process.stdout.write(`  generated in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
const sizeMb = statSync(file).size / 1e6;

// The child reports its own peak RSS at exit (getrusage ru_maxrss, KiB on Linux).
const reportRss = 'data:text/javascript,process.on("exit",()=>process.stderr.write("MAXRSS_KB "+process.resourceUsage().maxRSS+"\\n"))';
const runs: { s: number; rssMb: number }[] = [];
let summary: { frames?: number; sensors: { samples: number }[]; reps: unknown[] } | null = null;
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--import", reportRss, BIN, "analyze", file, "--json"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`analyze exited ${r.status}`);
  }
  const kb = Number(/MAXRSS_KB (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  runs.push({ s, rssMb: kb / 1024 });
  summary = JSON.parse(r.stdout);
}
// The same work inside this process: the pipeline alone, without Node and tsx starting up and
// compiling the TypeScript sources (the CLI runs from source, with no build step).
const t0 = performance.now();
await analyzeRecording(file);
const inProcessS = (performance.now() - t0) / 1000;

const best = Math.min(...runs.map((r) => r.s));
const median = runs.map((r) => r.s).sort((a, b) => a - b)[1];
const rss = Math.max(...runs.map((r) => r.rssMb));
const samples = summary!.sensors.reduce((n, x) => n + x.samples, 0);

process.stdout.write(
  `analyze of a 1-hour recording (${sizeMb.toFixed(0)} MB, ${samples} samples, ${summary!.frames ?? "?"} frames, ${summary!.reps.length} reps):\n` +
    `  machine load average ${loadavg()[0].toFixed(1)} (2 cores, shared)\n` +
    `  wall time ${runs.map((r) => r.s.toFixed(2)).join(", ")} s (median ${median.toFixed(2)} s; goal ≤ 2 s), peak RSS ${rss.toFixed(0)} MB (goal ≤ 200 MB)\n`,
);
process.stdout.write(`  in-process (no start-up): ${inProcessS.toFixed(2)} s\n`);
process.stdout.write(`BENCH analyze_1h_s ${median.toFixed(2)} s\n`);
process.stdout.write(`BENCH analyze_1h_inprocess_s ${inProcessS.toFixed(2)} s\n`);
process.stdout.write(`BENCH analyze_1h_best_s ${best.toFixed(2)} s\n`);
process.stdout.write(`BENCH analyze_1h_peak_rss_mb ${rss.toFixed(0)} MB\n`);
process.stdout.write(`BENCH analyze_1h_samples_per_s ${(samples / median).toFixed(0)} samples/s\n`);

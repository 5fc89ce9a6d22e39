/**
 * `spinewatch analyze` on a 1-hour, 2-sensor, 100 Hz recording (issue 3 / CONTRACTS.md §2):
 * wall time of the whole command (process start to exit, as a person experiences it) and its
 * peak RSS. Goals: ≤ 2 s and ≤ 200 MB. The recording is generated once with the simulator
 * (kettlebell-swing, seed 1) into the temp directory and reused by later runs.
 *
 * The bin runs analyze from a cached bundle of the CLI (apps/gateway/bin/cli-bundle.js), built
 * on the first run after a source change. Timed here, in one sitting:
 * - cold: the first run with an empty bundle cache (a fresh cache directory), build included;
 * - warm: 3 more runs (the usual case), median reported as `analyze_1h_s`; the recording is
 *   parsed on a second thread (analyze's default for a file this size);
 * - one-thread: 3 runs parsing on the main thread (SPINEWATCH_PARSE_THREAD=0), alternating with
 *   the warm ones so that both see the same machine; the ratio of the medians is printed;
 * - tsx: one run through tsx instead of the bundle (SPINEWATCH_NO_BUNDLE=1, tsx cache warm);
 * - in-process: the analysis alone inside this process (no start-up at all).
 * Each child reports its own peak RSS and CPU time (user + system) at exit; CPU time depends
 * less on the machine's load than wall time does (2 shared cores: load average printed).
 *
 * Prints `BENCH analyze_1h_s`, `analyze_1h_one_thread_s`, `analyze_1h_two_thread_speedup`,
 * `analyze_1h_cold_s`, `analyze_1h_tsx_s`, `analyze_1h_cpu_s`,
 * `analyze_1h_peak_rss_mb`, `analyze_1h_inprocess_s`, `analyze_1h_samples_per_s`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
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

// The child reports its own peak RSS (getrusage ru_maxrss, KiB on Linux) and CPU time at exit.
const report =
  'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("CHILD_USAGE "+u.maxRSS+" "+(u.userCPUTime+u.systemCPUTime)+"\\n")})';
interface Run {
  s: number;
  cpuS: number;
  rssMb: number;
  stdout: string;
}
function runCli(env: Record<string, string>): Run {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--import", report, BIN, "analyze", file, "--json"], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 << 20,
    env: { ...process.env, ...env },
  });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`analyze exited ${r.status}`);
  }
  const m = /CHILD_USAGE (\d+) (\d+)/.exec(r.stderr);
  return { s, rssMb: Number(m?.[1] ?? NaN) / 1024, cpuS: Number(m?.[2] ?? NaN) / 1e6, stdout: r.stdout };
}

const load0 = loadavg()[0];
// A fresh bundle cache inside the repository (bare imports of the bundle must resolve there).
const cacheParent = join(ROOT, "node_modules", ".cache");
mkdirSync(cacheParent, { recursive: true });
const cache = mkdtempSync(join(cacheParent, "spinewatch-cli-bench-"));
let cold: Run;
const warm: Run[] = [];
const oneThread: Run[] = [];
try {
  cold = runCli({ SPINEWATCH_CLI_CACHE: cache });
  for (let i = 0; i < 3; i++) {
    warm.push(runCli({ SPINEWATCH_CLI_CACHE: cache }));
    oneThread.push(runCli({ SPINEWATCH_CLI_CACHE: cache, SPINEWATCH_PARSE_THREAD: "0" }));
  }
} finally {
  rmSync(cache, { recursive: true, force: true });
}
const viaTsx = runCli({ SPINEWATCH_NO_BUNDLE: "1" });
if (viaTsx.stdout !== warm[0]!.stdout || cold.stdout !== warm[0]!.stdout) throw new Error("analyze gave different JSON bundled and through tsx");
if (oneThread.some((r) => r.stdout !== warm[0]!.stdout)) throw new Error("analyze gave different JSON parsing on one thread and on two");

// The same work inside this process: the pipeline alone, without Node starting up and loading
// the code.
const t0 = performance.now();
await analyzeRecording(file);
const inProcessS = (performance.now() - t0) / 1000;
const load1 = loadavg()[0];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const wallS = median(warm.map((r) => r.s));
const cpuS = median(warm.map((r) => r.cpuS));
const oneThreadS = median(oneThread.map((r) => r.s));
const rss = Math.max(cold.rssMb, ...warm.map((r) => r.rssMb));
const summary = JSON.parse(warm[0]!.stdout) as { frames?: number; sensors: { samples: number }[]; reps: unknown[] };
const samples = summary.sensors.reduce((n, x) => n + x.samples, 0);
const f2 = (x: number) => x.toFixed(2);

process.stdout.write(
  `analyze of a 1-hour recording (${sizeMb.toFixed(0)} MB, ${samples} samples, ${summary.frames ?? "?"} frames, ${summary.reps.length} reps):\n` +
    `  machine load average ${load0.toFixed(1)} before, ${load1.toFixed(1)} after (2 cores, shared)\n` +
    `  warm (bundle cached): wall ${warm.map((r) => f2(r.s)).join(", ")} s (median ${f2(wallS)} s; goal ≤ 2 s), CPU ${warm.map((r) => f2(r.cpuS)).join(", ")} s\n` +
    `  parsing on the main thread (SPINEWATCH_PARSE_THREAD=0): wall ${oneThread.map((r) => f2(r.s)).join(", ")} s (median ${f2(oneThreadS)} s), CPU ${oneThread.map((r) => f2(r.cpuS)).join(", ")} s, peak RSS ${Math.max(...oneThread.map((r) => r.rssMb)).toFixed(0)} MB; two threads ${(oneThreadS / wallS).toFixed(2)}x as fast\n` +
    `  cold (bundle built first): wall ${f2(cold.s)} s, CPU ${f2(cold.cpuS)} s\n` +
    `  through tsx (no bundle, tsx cache warm): wall ${f2(viaTsx.s)} s, CPU ${f2(viaTsx.cpuS)} s, peak RSS ${viaTsx.rssMb.toFixed(0)} MB\n` +
    `  peak RSS ${rss.toFixed(0)} MB (goal ≤ 200 MB)\n` +
    `  in-process (no start-up): ${f2(inProcessS)} s\n`,
);
process.stdout.write(`BENCH analyze_1h_s ${f2(wallS)} s\n`);
process.stdout.write(`BENCH analyze_1h_one_thread_s ${f2(oneThreadS)} s\n`);
process.stdout.write(`BENCH analyze_1h_two_thread_speedup ${(oneThreadS / wallS).toFixed(2)} x\n`);
process.stdout.write(`BENCH analyze_1h_cpu_s ${f2(cpuS)} s\n`);
process.stdout.write(`BENCH analyze_1h_cold_s ${f2(cold.s)} s\n`);
process.stdout.write(`BENCH analyze_1h_tsx_s ${f2(viaTsx.s)} s\n`);
process.stdout.write(`BENCH analyze_1h_peak_rss_mb ${rss.toFixed(0)} MB\n`);
process.stdout.write(`BENCH analyze_1h_inprocess_s ${f2(inProcessS)} s\n`);
process.stdout.write(`BENCH analyze_1h_samples_per_s ${(samples / wallS).toFixed(0)} samples/s\n`);

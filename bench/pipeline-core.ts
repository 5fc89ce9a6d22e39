/**
 * Pipeline core without file parsing (issue 4, Speed): a simulated two-sensor session is turned
 * into SourceEvents in memory first; then the timed part runs them through one SpineCore (the
 * processor behind spinePipeline) and measures
 * - frames per second of processing (angle frames produced / wall time),
 * - per-packet latency from arrival (the call with the packet) to the emission of what it
 *   caused, i.e. the duration of each call, as p50 / p99 (goal p99 ≤ 1 ms).
 *
 * Usage: node --import tsx bench/pipeline-core.ts [durationS=600] [device=witmotion-wt901ble]
 */
import { performance } from "node:perf_hooks";
import { hexToBytes } from "@spinewatch/recording";
import { simulateSession } from "@spinewatch/simulator";
import { SpineCore, type PipelineOutput } from "@spinewatch/pipeline";
import type { SessionInfo, SourceEvent } from "@spinewatch/protocol";

const durationS = Number(process.argv[2] ?? 600);
const device = (process.argv[3] ?? "witmotion-wt901ble") as "witmotion-wt901ble" | "movella-dot";

let info: SessionInfo | null = null;
const events: SourceEvent[] = [];
for (const line of simulateSession({ scenario: "kettlebell-swing", durationS, device, seed: 1 })) {
  switch (line.type) {
    case "header":
      info = { sensors: line.sensors, exercise: line.exercise, limits: line.limits };
      break;
    case "packet": {
      const bytes = hexToBytes(line.hex);
      if (bytes) events.push({ type: "packet", sensorId: line.sensor, hostTimeMs: line.tMs, char: line.char, bytes });
      break;
    }
    case "sample":
      events.push({ type: "sample", sensorId: line.sensor, hostTimeMs: line.tMs, sample: line });
      break;
    case "event":
      events.push({ type: "mark", hostTimeMs: line.tMs, event: line });
      break;
    case "status":
      events.push({ type: "status", sensorId: line.sensor, hostTimeMs: line.tMs, state: line.state });
      break;
  }
}
if (info === null) throw new Error("simulator produced no header");

function runOnce(measure: boolean): { frames: number; wallMs: number; latenciesMs: Float64Array } {
  const core = new SpineCore(info as SessionInfo);
  let frames = 0;
  const emit = (o: PipelineOutput) => {
    if (o.type === "frame") frames++;
  };
  const latencies = new Float64Array(measure ? events.length : 0);
  const t0 = performance.now();
  if (measure) {
    for (let i = 0; i < events.length; i++) {
      const a = performance.now();
      core.next(events[i], emit);
      latencies[i] = performance.now() - a;
    }
  } else {
    for (let i = 0; i < events.length; i++) core.next(events[i], emit);
  }
  core.flush(emit);
  return { frames, wallMs: performance.now() - t0, latenciesMs: latencies };
}

runOnce(false); // warm-up: JIT
const throughput = runOnce(false);
const latency = runOnce(true);
const packetLatencies = Array.from(latency.latenciesMs).filter((_, i) => events[i].type === "packet" || events[i].type === "sample").sort((a, b) => a - b);
const pct = (p: number) => packetLatencies[Math.min(packetLatencies.length - 1, Math.floor(p * packetLatencies.length))];

const framesPerS = throughput.frames / (throughput.wallMs / 1000);
console.log(`pipeline core, ${device}, ${durationS} s simulated kettlebell swing: ${events.length} source events, ${throughput.frames} frames`);
console.log(`  ${throughput.wallMs.toFixed(0)} ms wall: ${(framesPerS / 1000).toFixed(0)} k frames/s, ${((events.length / throughput.wallMs) * 1000 / 1e6).toFixed(2)} M events/s`);
console.log(`  per-packet latency p50 ${(pct(0.5) * 1000).toFixed(1)} µs, p99 ${(pct(0.99) * 1000).toFixed(1)} µs, max ${(pct(1) * 1000).toFixed(0)} µs`);
console.log(`BENCH pipeline_frames_per_s ${framesPerS.toFixed(0)} frames/s`);
console.log(`BENCH pipeline_latency_p50_ms ${pct(0.5).toFixed(4)} ms`);
console.log(`BENCH pipeline_latency_p99_ms ${pct(0.99).toFixed(4)} ms`);

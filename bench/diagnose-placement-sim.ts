/**
 * Where the pipeline's sensor clock places each sample of a simulated session against when it
 * was really taken (the simulator's `onDelivered`: every delivered notification with its
 * samples' true times). Unlike bench/diagnose-placement.ts (a still sensor through the link model
 * alone), the samples carry the session's motion, so the clockless clock's loss-or-delay calls
 * (motion-verdict.ts) are made as in the real pipeline: each sensor's source events go through the
 * pipeline's own decode stage and SensorClock, set up as SensorLane sets them up.
 *
 * Per sensor stream, after the first 30 s (the clock locking on): the median placement error
 * (placed − true, ms; the link's constant latency when it is not declared) and the samples more
 * than 5 ms from it ("misplaced": 5 ms is half a 100 Hz period; a whole-sample misplacement is
 * 10 ms, a lost WitMotion batch taken for a delay 40 ms).
 *
 * Usage: node --import tsx bench/diagnose-placement-sim.ts [--scenarios a,b] [--devices d]
 *   [--seeds 3] [--duration-s 600] [--declared-latency] [--error-model '{"lossProbability":0.05}']
 *   [--list-ms 5]   (print every sample misplaced by more than this, with its true time)
 * Prints `BENCH placement_misplaced_samples N count` and `BENCH placement_misplaced_fraction`.
 */
import { SensorClock, SensorDecoder, sensorTransportLatencyMs } from "@spinewatch/pipeline";
import type { PacketSample } from "@spinewatch/pipeline";
import type { SensorInfo } from "@spinewatch/protocol";
import { lineToSourceEvent, simulateSession, type DeliveredNotification } from "@spinewatch/simulator";
import { ERROR_MODEL_OPTION, errorModelArg, parseSweepArgs } from "./lib/sweep-args.js";

const { sweep, values } = parseSweepArgs(
  { scenarios: ["kettlebell-swing", "kettlebell-swing-rounding", "hip-hinge-holds", "sensor-dropout"], devices: ["witmotion-wt901ble"], seeds: 3, durationS: 600 },
  { "declared-latency": { type: "boolean", default: false }, "list-ms": { type: "string", default: "" }, ...ERROR_MODEL_OPTION },
);
const errorModel = errorModelArg(values);
const listMs = values["list-ms"] === "" ? Infinity : Number(values["list-ms"]);
if (!(listMs >= 0)) {
  process.stderr.write(`diagnose-placement-sim.ts: --list-ms: expected milliseconds ≥ 0, got ${JSON.stringify(values["list-ms"])}\n`);
  process.exit(2);
}
const SKIP_MS = 30_000;
const MISPLACED_MS = 5;

let misplaced = 0;
let compared = 0;
let unmatched = 0;
for (const scenario of sweep.scenarios) for (const device of sweep.devices) for (let seed = 1; seed <= sweep.seeds; seed++) {
  // Delivered notifications per sensor, in the order sent (= received: BLE keeps a link in order).
  const delivered = new Map<string, DeliveredNotification[]>();
  const next = new Map<string, number>();
  const onDelivered = (d: DeliveredNotification) => {
    let q = delivered.get(d.sensor);
    if (!q) delivered.set(d.sensor, (q = []));
    q.push(d);
  };
  const lanes = new Map<string, { decoder: SensorDecoder; clock: SensorClock; errors: Array<{ trueMs: number; errMs: number }> }>();
  const sim = { scenario, device, seed, durationS: sweep.durationS, declareLinkLatency: values["declared-latency"] === true, errorModel, onDelivered };
  for (const line of simulateSession(sim)) {
    if (line.type === "header") {
      for (const info of line.sensors as SensorInfo[]) {
        lanes.set(info.id, { decoder: new SensorDecoder(info), clock: new SensorClock(info.id, info.rateHz, { transportLatencyMs: sensorTransportLatencyMs(info) }), errors: [] });
      }
      continue;
    }
    const ev = lineToSourceEvent(line);
    if (ev === null || !("sensorId" in ev) || ev.sensorId === undefined) continue;
    const lane = lanes.get(ev.sensorId);
    if (!lane) continue;
    if (ev.type === "status") {
      if (ev.state === "reconnected") lane.decoder.restart();
      continue;
    }
    if (ev.type !== "packet" && ev.type !== "sample") continue;
    const k = next.get(ev.sensorId) ?? 0;
    next.set(ev.sensorId, k + 1);
    const d = delivered.get(ev.sensorId)?.[k];
    const placed: number[] = [];
    lane.decoder.next(ev, (s: PacketSample) => {
      const t = lane.clock.next(s, () => {});
      if (t !== null) placed.push(t.tMs);
    }, () => {});
    // (The trailing flushed batch is not reported; a packet the clock dropped places nothing.)
    if (d === undefined || d.sampleTrueMs.length !== placed.length) {
      unmatched++;
      continue;
    }
    placed.forEach((tMs, i) => lane.errors.push({ trueMs: d.sampleTrueMs[i], errMs: tMs - d.sampleTrueMs[i] }));
  }
  for (const [id, lane] of lanes) {
    const e = lane.errors.filter((x) => x.trueMs >= SKIP_MS);
    if (e.length === 0) continue;
    const sorted = e.map((x) => x.errMs).sort((a, b) => a - b);
    const median = sorted[sorted.length >> 1];
    const bad = e.filter((x) => Math.abs(x.errMs - median) > MISPLACED_MS);
    misplaced += bad.length;
    compared += e.length;
    console.log(`${scenario} ${device} seed ${seed} ${id}: median ${median.toFixed(2)} ms, misplaced ${bad.length} of ${e.length}`);
    for (const x of e) if (Math.abs(x.errMs - median) > listMs) console.log(`  ${(x.trueMs / 1000).toFixed(3)} s: ${(x.errMs - median).toFixed(1)} ms`);
  }
}
console.log(`total: ${misplaced} of ${compared} samples misplaced by more than ${MISPLACED_MS} ms (${unmatched} notifications not compared)`);
console.log(`BENCH placement_misplaced_samples ${misplaced} count`);
console.log(`BENCH placement_misplaced_fraction ${(misplaced / Math.max(1, compared)).toPrecision(3)} fraction`);

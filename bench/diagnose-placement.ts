/**
 * Where the pipeline's sensor clock places each sample against when it was really taken: a
 * stream of packets through the simulator's BLE link model (packages/simulator ble-link.ts:
 * constant latency, delivery at connection events, retransmissions, jitter, losses) into a
 * SensorClock that knows the link's constant latency, so that the error left is the clock's own.
 * Clockless (WitMotion-like, `--batch` frames per notification, placed on a sample counter) by
 * default; `--timestamped` gives every sample its own notification and a sensor timestamp
 * (Movella DOT-like). Errors after the first 60 s, per drift and seed, then pooled.
 *
 * Usage: node --import tsx bench/diagnose-placement.ts [--drifts-ppm -400,0,480] [--seeds 3]
 *   [--duration-s 240] [--rate-hz 100] [--batch 4] [--ci-ms 15] [--loss 0] [--burst 0]
 *   [--retransmit 0.02] [--timestamped]
 * Issue 4: a clock 7000 ppm slow (WitMotion's measured 0.7 %, BLE-PROTOCOLS.md §1.3) was placed
 * 9-35 ms early before the drift window was centred on the locked drift (lower-envelope-clock.ts).
 */
import { parseArgs } from "node:util";
import { DEFAULT_ERROR_MODEL, SeededRandom } from "@spinewatch/simulator";
import { SensorClock } from "../packages/pipeline/src/sensor-clock.js";
import type { PacketSample } from "../packages/pipeline/src/types.js";
import { BleLink } from "../packages/simulator/src/ble-link.js";

const SKIP_MS = 60_000;
const LATENCY_MS = DEFAULT_ERROR_MODEL.latencyMs;

function numbers(name: string, text: string): number[] {
  const out = text.split(",").map(Number);
  if (out.length === 0 || out.some((x) => !Number.isFinite(x))) throw new Error(`--${name}: expected comma-separated numbers, got ${JSON.stringify(text)}`);
  return out;
}
function number(name: string, text: string, min: number): number {
  const x = Number(text);
  if (!(Number.isFinite(x) && x >= min)) throw new Error(`--${name}: expected a number ≥ ${min}, got ${JSON.stringify(text)}`);
  return x;
}

let o: { drifts: number[]; seeds: number; durationS: number; rateHz: number; batch: number; ciMs: number; loss: number; burst: number; retransmit: number; timestamped: boolean };
try {
  const { values: v } = parseArgs({
    options: {
      "drifts-ppm": { type: "string", default: "-400,-150,-30,0,60,250,480" },
      seeds: { type: "string", default: "3" },
      "duration-s": { type: "string", default: "240" },
      "rate-hz": { type: "string", default: "100" },
      batch: { type: "string", default: "4" },
      "ci-ms": { type: "string", default: String(DEFAULT_ERROR_MODEL.connectionIntervalMs) },
      loss: { type: "string", default: "0" },
      burst: { type: "string", default: "0" },
      retransmit: { type: "string", default: String(DEFAULT_ERROR_MODEL.retransmitProbability) },
      timestamped: { type: "boolean", default: false },
    },
    strict: true,
  });
  o = {
    drifts: numbers("drifts-ppm", v["drifts-ppm"]!),
    seeds: Math.floor(number("seeds", v.seeds!, 1)),
    durationS: number("duration-s", v["duration-s"]!, SKIP_MS / 1000 + 1),
    rateHz: number("rate-hz", v["rate-hz"]!, 1),
    batch: Math.floor(number("batch", v.batch!, 1)),
    ciMs: number("ci-ms", v["ci-ms"]!, 0),
    loss: number("loss", v.loss!, 0),
    burst: number("burst", v.burst!, 0),
    retransmit: number("retransmit", v.retransmit!, 0),
    timestamped: v.timestamped === true,
  };
} catch (err) {
  process.stderr.write(`diagnose-placement.ts: ${(err as Error).message}\n`);
  process.exit(2);
}

const pooled: number[] = [];
const stats = (e: number[]) => {
  const mean = e.reduce((a, b) => a + b, 0) / e.length;
  const rms = Math.sqrt(e.reduce((a, b) => a + b * b, 0) / e.length);
  return `mean ${mean.toFixed(2)} rms ${rms.toFixed(2)} min ${Math.min(...e).toFixed(2)} max ${Math.max(...e).toFixed(2)} ms`;
};
const perPacket = o.timestamped ? 1 : o.batch;
for (const driftPpm of o.drifts) for (let seed = 1; seed <= o.seeds; seed++) {
  const rng = new SeededRandom(seed * 7919 + 13);
  const link = new BleLink({ ...DEFAULT_ERROR_MODEL, connectionIntervalMs: o.ciMs, lossProbability: o.loss, burstProbability: o.burst, retransmitProbability: o.retransmit }, rng);
  const clock = new SensorClock("pelvis", o.rateHz, { transportLatencyMs: LATENCY_MS });
  // A clock `driftPpm` fast samples every period / (1 + drift) of true time (as the simulator's sensors do).
  const periodMs = 1000 / o.rateHz / (1 + driftPpm * 1e-6);
  const t0 = 1000 + rng.uniform() * 50;
  const errors: number[] = [];
  let batch: number[] = [];
  for (let k = 0; k < o.rateHz * o.durationS; k++) {
    batch.push(t0 + k * periodMs);
    if (batch.length < perPacket) continue;
    // A batched notification leaves when its last frame is taken (simulated-sensor.ts).
    const rx = link.deliver(batch[batch.length - 1]);
    if (rx !== null) {
      batch.forEach((tMs, i) => {
        const sample: PacketSample = { sensorId: "pelvis", hostTimeMs: rx, indexInPacket: i, countInPacket: batch.length, gyrDps: [0, 0, 0], accMps2: [0, 0, 9.81] };
        if (o.timestamped) sample.sensorTimeUs = Math.round((tMs - t0) * 1000 * (1 + driftPpm * 1e-6));
        const placed = clock.next(sample, () => {});
        if (placed && tMs > t0 + SKIP_MS) errors.push(placed.tMs - tMs);
      });
    }
    batch = [];
  }
  pooled.push(...errors);
  console.log(`drift ${driftPpm} ppm seed ${seed}: ${stats(errors)}, lost counted ${clock.counters.lostPackets}, link lost ${link.lost * perPacket}`);
}
console.log(`all: ${stats(pooled)} (${pooled.length} samples)`);

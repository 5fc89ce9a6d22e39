/**
 * Where the pipeline's sensor clock places each sample against when it was really taken: a
 * stream of packets through the simulator's BLE link model (packages/simulator ble-link.ts:
 * constant latency, delivery at connection events, retransmissions, jitter, losses) into a
 * SensorClock that knows the link's constant latency, so that the error left is the clock's own.
 * Clockless (WitMotion-like, `--batch` frames per notification, placed on a sample counter) by
 * default; `--timestamped` gives every sample its own notification and a sensor timestamp
 * (Movella DOT-like). Errors after the first 60 s, per drift and seed, then pooled.
 *
 * Usage: node --import tsx bench/diagnose-placement.ts [--drifts-ppm=-400,0,480] [--seeds 3]
 *   [--duration-s 240] [--rate-hz 100] [--batch 4] [--ci-ms 15] [--loss 0] [--burst 0]
 *   [--retransmit 0.02] [--timestamped]   (a list starting with a minus needs the `=` form)
 * Issue 4: a clock 7000 ppm slow (WitMotion's measured 0.7 %, BLE-PROTOCOLS.md §1.3) was placed
 * 9-35 ms early before the envelope's drift window was centred on the locked drift, and with
 * 1 % loss its losses went unseen for minutes before the mean latency restarted at the first
 * drift fit (lower-envelope-clock.ts, sensor-clock.ts; tests/pipeline-clock-drift.test.ts).
 */
import { parseArgs } from "node:util";
import { DEFAULT_ERROR_MODEL } from "@spinewatch/simulator";
import { runPlacement } from "./lib/placement-run.js";

const SKIP_MS = 60_000;

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
  process.stderr.write(`diagnose-placement.ts: ${(err as Error).message.replace(/\s*\n\s*/g, " ")}\n`);
  process.exit(2);
}

const pooled: number[] = [];
const stats = (e: number[]) => {
  let sum = 0, sum2 = 0, min = Infinity, max = -Infinity;
  for (const x of e) {
    sum += x;
    sum2 += x * x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  return `mean ${(sum / e.length).toFixed(2)} rms ${Math.sqrt(sum2 / e.length).toFixed(2)} min ${min.toFixed(2)} max ${max.toFixed(2)} ms`;
};
for (const driftPpm of o.drifts) for (let seed = 1; seed <= o.seeds; seed++) {
  const r = runPlacement({
    driftPpm, seed, durationS: o.durationS, rateHz: o.rateHz, batch: o.batch, timestamped: o.timestamped, skipMs: SKIP_MS,
    link: { connectionIntervalMs: o.ciMs, lossProbability: o.loss, burstProbability: o.burst, retransmitProbability: o.retransmit },
  });
  for (const e of r.errorsMs) pooled.push(e);
  console.log(`drift ${driftPpm} ppm seed ${seed}: ${stats(r.errorsMs)}, lost counted ${r.lostCounted}, link lost ${r.linkLostSamples}`);
}
console.log(`all: ${stats(pooled)} (${pooled.length} samples)`);

import { DEFAULT_ERROR_MODEL, SeededRandom, type ErrorModelSettings } from "@spinewatch/simulator";
import { SensorClock } from "../../packages/pipeline/src/sensor-clock.js";
import type { PacketSample } from "../../packages/pipeline/src/types.js";
import { BleLink } from "../../packages/simulator/src/ble-link.js";

export interface PlacementRunOptions {
  driftPpm: number;
  seed: number;
  durationS: number;
  rateHz: number;
  /** Frames per notification (clockless); ignored when timestamped (one sample per notification). */
  batch: number;
  timestamped: boolean;
  /** Overrides of the simulator's link settings (connection interval, loss, bursts, retransmissions). */
  link?: Partial<ErrorModelSettings>;
  /** Errors of samples taken before this are left out (the clock locking on), ms. */
  skipMs: number;
}

export interface PlacementRun {
  /** Placed time − true sample time, ms, per sample after skipMs. */
  errorsMs: number[];
  lostCounted: number;
  /** Samples the link lost. */
  linkLostSamples: number;
}

/**
 * One sensor's stream through the simulator's BLE link (packages/simulator ble-link.ts) into a
 * SensorClock told the link's constant latency, so that what is left is the clock's own
 * placement error. A clock `driftPpm` fast samples every period / (1 + drift) of true time, as
 * the simulator's sensors do; a batched notification leaves when its last frame is taken.
 */
export function runPlacement(o: PlacementRunOptions): PlacementRun {
  const rng = new SeededRandom(o.seed * 7919 + 13);
  const link = new BleLink({ ...DEFAULT_ERROR_MODEL, ...o.link }, rng);
  const clock = new SensorClock("pelvis", o.rateHz, { transportLatencyMs: o.link?.latencyMs ?? DEFAULT_ERROR_MODEL.latencyMs });
  const perPacket = o.timestamped ? 1 : o.batch;
  const periodMs = 1000 / o.rateHz / (1 + o.driftPpm * 1e-6);
  const t0 = 1000 + rng.uniform() * 50;
  const errorsMs: number[] = [];
  let batch: number[] = [];
  for (let k = 0; k < o.rateHz * o.durationS; k++) {
    batch.push(t0 + k * periodMs);
    if (batch.length < perPacket) continue;
    const rx = link.deliver(batch[batch.length - 1]);
    if (rx !== null) {
      batch.forEach((tMs, i) => {
        const sample: PacketSample = { sensorId: "pelvis", hostTimeMs: rx, indexInPacket: i, countInPacket: batch.length, gyrDps: [0, 0, 0], accMps2: [0, 0, 9.81] };
        if (o.timestamped) sample.sensorTimeUs = Math.round((tMs - t0) * 1000 * (1 + o.driftPpm * 1e-6));
        const placed = clock.next(sample, () => {});
        if (placed && tMs > t0 + o.skipMs) errorsMs.push(placed.tMs - tMs);
      });
    }
    batch = [];
  }
  return { errorsMs, lostCounted: clock.counters.lostPackets, linkLostSamples: link.lost * perPacket };
}

import { SeededRandom, type ErrorModelSettings } from "@spinewatch/simulator";
// Simulator internals, for diagnostics only (the pipeline never sees them): the BLE link model,
// replayed to know which notification each received packet was.
import { BleLink } from "../../packages/simulator/src/ble-link.js";

/**
 * True sample times, reconstructed as simulate-session.ts/simulated-sensor.ts draw them: sample k
 * of sensor `id` is taken at firstSampleMs + k·period/(1 + drift); the sensor clock reads
 * sensorClockStartUs + k·1e6/rate. WitMotion's notifications carry `batch` samples each and
 * leave when their last sample is taken.
 */
export class TrueTimes {
  readonly firstMs: number;
  readonly startUs: number;
  readonly periodTrueMs: number;
  readonly periodUs: number;
  readonly rateHz: number;
  readonly link: BleLink | null;
  #lastJ = -1;
  #batch = 0;
  constructor(seed: number, id: string, rateHz: number, driftPpm: number, errorModel: ErrorModelSettings, batched: boolean) {
    const clock = SeededRandom.derive(seed, `clock:${id}`);
    this.firstMs = clock.uniform() * (1000 / rateHz);
    this.startUs = Math.floor(clock.uniform() * 2 ** 32);
    this.periodTrueMs = 1000 / rateHz / (1 + driftPpm * 1e-6);
    this.periodUs = 1e6 / rateHz;
    this.rateHz = rateHz;
    this.link = batched ? new BleLink(errorModel, SeededRandom.derive(seed, `link:${id}`)) : null;
  }
  fromSensorUs(us: number): number {
    let d = us - this.startUs;
    if (d < 0) d += 2 ** 32;
    return this.firstMs + Math.round(d / this.periodUs) * this.periodTrueMs;
  }
  /**
   * Sample `index` of a `count`-sample notification: the simulator's own BLE link replayed with the
   * same seed gives every notification's fate in order, so the n-th packet received is the n-th
   * delivered one (sensor-dropout sessions re-batch after the reconnect: not handled here).
   */
  fromBatch(index: number, count: number): number {
    // The session's last notification (the encoder's flush) may be shorter: batches keep their size.
    if (this.#batch === 0) this.#batch = count;
    count = this.#batch;
    if (index === 0) {
      for (;;) {
        const j = ++this.#lastJ;
        if (this.link!.deliver(this.firstMs + (j * count + count - 1) * this.periodTrueMs) !== null) break;
      }
    }
    return this.firstMs + (this.#lastJ * count + index) * this.periodTrueMs;
  }
}

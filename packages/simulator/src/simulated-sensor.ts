import type { DataLine, DeviceKind, DeviceSample, QuatWxyz } from "@spinewatch/protocol";
import type { SampleEncoder } from "@spinewatch/devices";
import { bytesToHex } from "@spinewatch/devices";
import { quatMultiply } from "@spinewatch/kinematics";
import type { BleLink } from "./ble-link.js";
import type { SensorErrors } from "./sensor-errors.js";
import type { DeliveredNotification } from "./simulation-options.js";
import type { SensorPlacement, TrunkModel } from "./trunk-model.js";

/**
 * BLE supervision timeout after which the host declares a silent link lost: 420 ms, noble's
 * HCI default (BLE-PROTOCOLS.md §6.4, `timeout 0x002a`).
 */
export const SUPERVISION_TIMEOUT_MS = 420;

export interface SimulatedSensorConfig {
  id: string;
  device: DeviceKind;
  rateHz: number;
  placement: SensorPlacement;
  errors: SensorErrors;
  link: BleLink;
  /** Encoder factory (device packets); null for `generic` sample lines. */
  createEncoder: (() => SampleEncoder) | null;
  /** True time of the first sample, ms (the sensor started sampling before the session). */
  firstSampleMs: number;
  /** Sensor clock at the first sample, µs. */
  sensorClockStartUs: number;
  /** Heading of the device's own orientation output relative to our world, rad (6-axis fusion has an arbitrary heading). */
  deviceHeadingRad: number;
  /** Link lost over [startMs, endMs) of true time, or null. */
  dropout: { startMs: number; endMs: number } | null;
  /** Told of each delivered notification with its samples' true times (SimulationOptions.onDelivered), or null. */
  onDelivered: ((d: DeliveredNotification) => void) | null;
}

/** Rounds to `d` decimals (sample lines do not need more than the sensor's resolution). */
function roundTo(x: number, d: number): number {
  const k = 10 ** d;
  return Math.round(x * k) / k;
}
const roundMs = (t: number) => Math.round(t * 1000) / 1000;

/**
 * One simulated sensor: samples the trunk model on its own (drifting) clock, applies its error
 * model, encodes through its device module and sends through its BLE link. `step()` handles one
 * sample and returns the lines it produced with their keys (host receive times).
 */
export class SimulatedSensor {
  readonly config: SimulatedSensorConfig;
  readonly #periodTrueMs: number;
  readonly #periodSensorUs: number;
  readonly #deviceHeading: QuatWxyz;
  #encoder: SampleEncoder | null;
  #k = 0;
  #inDropout = false;
  /** True times of the samples the encoder holds (for onDelivered). */
  #heldTrueMs: number[] = [];
  /** Samples taken, and notifications lost to the dropout. */
  samples = 0;
  droppedNotifications = 0;

  constructor(config: SimulatedSensorConfig) {
    this.config = config;
    const drift = config.errors.drawn.clockDriftPpm * 1e-6;
    // The sensor samples every 1/rate of its own clock; a fast clock (drift > 0) samples sooner in true time.
    this.#periodTrueMs = 1000 / config.rateHz / (1 + drift);
    this.#periodSensorUs = 1e6 / config.rateHz;
    const h = config.deviceHeadingRad / 2;
    this.#deviceHeading = [Math.cos(h), 0, 0, Math.sin(h)];
    this.#encoder = config.createEncoder ? config.createEncoder() : null;
  }

  /** True time of the next sample, ms. */
  get nextSampleMs(): number {
    return this.config.firstSampleMs + this.#k * this.#periodTrueMs;
  }

  step(model: TrunkModel): Array<{ key: number; line: DataLine }> {
    const c = this.config;
    const tMs = this.nextSampleMs;
    const sensorTimeUs = Math.round(c.sensorClockStartUs + this.#k * this.#periodSensorUs);
    this.#k++;
    this.samples++;
    const out: Array<{ key: number; line: DataLine }> = [];
    const truth = model.trueImuAt(tMs, c.placement);
    const measured = c.errors.apply(truth, this.#periodTrueMs / 1000);

    const dropped = c.dropout !== null && tMs >= c.dropout.startMs && tMs < c.dropout.endMs;
    if (dropped && !this.#inDropout) {
      this.#inDropout = true;
      const at = c.dropout!.startMs + SUPERVISION_TIMEOUT_MS;
      out.push({ key: at, line: { type: "status", tMs: roundMs(at), sensor: c.id, state: "lost", detail: "simulated dropout: no notifications" } });
    } else if (!dropped && this.#inDropout) {
      this.#inDropout = false;
      out.push({ key: tMs, line: { type: "status", tMs: roundMs(tMs), sensor: c.id, state: "reconnected", detail: "simulated dropout ended" } });
      // A reconnected device starts a fresh stream: frames batched before the loss are gone.
      this.#encoder = c.createEncoder ? c.createEncoder() : null;
      this.#heldTrueMs = [];
    }

    if (this.#encoder === null) {
      if (dropped) {
        this.droppedNotifications++;
        return out;
      }
      const rx = c.link.deliver(tMs);
      if (rx !== null) {
        c.onDelivered?.({ sensor: c.id, rxMs: rx, sampleTrueMs: [tMs] });
        out.push({
          key: rx,
          line: {
            type: "sample",
            tMs: roundMs(rx),
            sensor: c.id,
            sensorTimeUs,
            accMps2: [roundTo(measured.accMps2[0], 5), roundTo(measured.accMps2[1], 5), roundTo(measured.accMps2[2], 5)],
            gyrDps: [roundTo(measured.gyrDps[0], 4), roundTo(measured.gyrDps[1], 4), roundTo(measured.gyrDps[2], 4)],
          },
        });
      }
      return out;
    }

    const sample: DeviceSample = {
      sensorTimeUs,
      accMps2: measured.accMps2,
      gyrDps: measured.gyrDps,
      // The device's own fusion output: the true orientation in a world of its own heading.
      // (Its fusion errors are not modelled; our pipeline runs its own filter on acc + gyro.)
      quatWxyz: quatMultiply(this.#deviceHeading, truth.quatWxyz),
    };
    if (c.onDelivered) this.#heldTrueMs.push(tMs);
    const notifications = this.#encoder.push(sample);
    // The encoders complete at most one notification per sample: the first carries every held sample.
    let held = notifications.length > 0 && c.onDelivered ? this.#heldTrueMs.splice(0) : [];
    for (const n of notifications) {
      const carried = held;
      held = [];
      // A batched notification leaves when its last frame is complete, i.e. now.
      if (dropped) {
        this.droppedNotifications++;
        continue;
      }
      const rx = c.link.deliver(tMs);
      if (rx === null) continue;
      c.onDelivered?.({ sensor: c.id, rxMs: rx, sampleTrueMs: carried });
      out.push({ key: rx, line: { type: "packet", tMs: roundMs(rx), sensor: c.id, char: n.char, hex: bytesToHex(n.bytes) } });
    }
    return out;
  }

  /** Notifications still held by the encoder at the end of the session. */
  flush(lastMs: number): Array<{ key: number; line: DataLine }> {
    if (this.#encoder === null || this.#inDropout) return [];
    const out: Array<{ key: number; line: DataLine }> = [];
    for (const n of this.#encoder.flush()) {
      const rx = this.config.link.deliver(lastMs);
      if (rx === null) continue;
      out.push({ key: rx, line: { type: "packet", tMs: roundMs(rx), sensor: this.config.id, char: n.char, hex: bytesToHex(n.bytes) } });
    }
    return out;
  }
}

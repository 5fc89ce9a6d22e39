import type { DeviceModule, StreamDecoder } from "@spinewatch/devices";
import { getDeviceModule } from "@spinewatch/devices";
import type { DeviceSample, ProblemReport, SensorInfo, SourceEvent } from "@spinewatch/protocol";
import type { Emit, PacketSample } from "./types.js";

/** Per-sensor counts of the decode stage. */
export interface DecodeCounters {
  packets: number;
  samples: number;
  /** Packets (or sample lines) that carried a problem the decoder reported. */
  badPackets: number;
  /** Identical notifications repeated at once, dropped (clockless devices only). */
  duplicatePackets: number;
  batteryPercent?: number;
}

/**
 * Decode stage for one sensor (DESIGN.md data flow "decode"): packet events go through the
 * device module's stream decoder (one decoder per sensor: WitMotion frames can straddle
 * notifications, BLE-PROTOCOLS.md §1), each sample tagged with the packet's host time and its
 * index within the packet so that the clock can spread batches; sample events pass through.
 * Decoder problems become ProblemReports, counted per sensor.
 */
export class SensorDecoder {
  readonly info: SensorInfo;
  readonly counters: DecodeCounters = { packets: 0, samples: 0, badPackets: 0, duplicatePackets: 0 };
  readonly #module: DeviceModule | null;
  readonly #decoder: StreamDecoder | null;
  readonly #dedupeBytes: boolean;
  readonly #periodMs: number;
  #lastChar = "";
  #lastBytes: Uint8Array | null = null;
  #lastHostMs = -Infinity;

  constructor(info: SensorInfo) {
    this.info = info;
    this.#periodMs = 1000 / info.rateHz;
    if (info.device === "generic") {
      // CONTRACTS.md §1: generic devices have no packets, samples only.
      this.#module = null;
      this.#decoder = null;
    } else {
      this.#module = getDeviceModule(info.device, { rateHz: info.rateHz, ...(info.deviceOptions ?? {}) });
      this.#decoder = this.#module.createDecoder({ rateHz: info.rateHz, ...(info.deviceOptions ?? {}) });
    }
    // A device with its own clock reveals a repeated packet by its timestamp (sensor clock);
    // one without can only be recognised by identical bytes arriving within one period.
    this.#dedupeBytes = this.#module !== null && !this.#module.hasSensorClock;
  }

  /** Decodes one source event of this sensor; samples go to `emit`, problems to `problem`. */
  next(ev: SourceEvent, emit: Emit<PacketSample>, problem: Emit<ProblemReport>): void {
    if (ev.type === "sample") {
      this.counters.packets++;
      this.#emitSample(ev.sample, ev.hostTimeMs, 0, 1, emit);
      return;
    }
    if (ev.type !== "packet") return;
    this.counters.packets++;
    if (this.#decoder === null) {
      this.counters.badPackets++;
      problem({ tMs: ev.hostTimeMs, sensor: this.info.id, code: "unexpected-packet", message: `sensor ${this.info.id}: device "generic" has no packet decoder (samples only)` });
      return;
    }
    if (this.#dedupeBytes && this.#isRepeat(ev.char, ev.bytes, ev.hostTimeMs)) {
      this.counters.duplicatePackets++;
      problem({ tMs: ev.hostTimeMs, sensor: this.info.id, code: "duplicate-packet", message: `sensor ${this.info.id}: identical notification repeated, dropped` });
      return;
    }
    const items = this.#decoder.next(ev.char, ev.bytes);
    let count = 0;
    for (let i = 0; i < items.length; i++) if (items[i].kind === "sample") count++;
    // A batch's samples, for the clock to read a late batch's motion (none for single samples).
    let packet: DeviceSample[] | undefined;
    if (count > 1) {
      packet = [];
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        if (item.kind === "sample") packet.push(item.sample);
      }
    }
    let index = 0;
    let bad = false;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item.kind === "sample") {
        this.#emitSample(item.sample, ev.hostTimeMs, index++, count, emit, packet);
      } else if (item.kind === "problem") {
        bad = true;
        problem({ tMs: ev.hostTimeMs, sensor: this.info.id, code: item.code, message: `sensor ${this.info.id}: ${item.message}` });
      } else if (item.kind === "battery" && item.percent !== undefined) {
        this.counters.batteryPercent = item.percent;
      }
    }
    if (bad) this.counters.badPackets++;
  }

  /** After a reconnect the byte stream starts over (StreamDecoder.reset). */
  restart(): void {
    this.#decoder?.reset();
    this.#lastBytes = null;
  }

  reset(): void {
    this.restart();
    this.#lastHostMs = -Infinity;
    this.counters.packets = this.counters.samples = this.counters.badPackets = this.counters.duplicatePackets = 0;
    delete this.counters.batteryPercent;
  }

  #emitSample(d: DeviceSample, hostTimeMs: number, index: number, count: number, emit: Emit<PacketSample>, packet?: readonly DeviceSample[]): void {
    this.counters.samples++;
    const s: PacketSample & ClockFieldSlots = {
      sensorId: this.info.id,
      hostTimeMs,
      indexInPacket: index,
      countInPacket: count,
      packet,
      sensorTimeUs: d.sensorTimeUs,
      accMps2: d.accMps2,
      gyrDps: d.gyrDps,
      magUt: d.magUt,
      quatWxyz: d.quatWxyz,
      eulerDeg: d.eulerDeg,
      tMs: Number.NaN,
      stepMs: undefined,
      stepRevisionMs: undefined,
    };
    emit(s);
  }

  #isRepeat(char: string, bytes: Uint8Array, hostTimeMs: number): boolean {
    const prev = this.#lastBytes;
    const repeat =
      prev !== null && char === this.#lastChar && hostTimeMs - this.#lastHostMs < this.#periodMs &&
      prev.length === bytes.length && bytesEqual(prev, bytes);
    this.#lastChar = char;
    this.#lastBytes = bytes;
    this.#lastHostMs = hostTimeMs;
    return repeat;
  }
}

/**
 * The fields the sensor clock writes onto the same object (TimedSample: tMs always, stepMs and
 * stepRevisionMs when known), declared in the literal: every sample then has one hidden class
 * with in-object slots. Added later (and only sometimes), they gave each sample a property
 * backing store allocation and 2-3 shapes for the orientation stage to dispatch on (profile of
 * the 1-hour `analyze`, bench/analyze-1h.ts).
 */
interface ClockFieldSlots {
  tMs: number;
  stepMs: number | undefined;
  stepRevisionMs: number | undefined;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

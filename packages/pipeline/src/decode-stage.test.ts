import { describe, expect, it } from "vitest";
import { getDeviceModule } from "@spinewatch/devices";
import type { DeviceSample, ProblemReport, SensorInfo, SourceEvent } from "@spinewatch/protocol";
import { SensorDecoder } from "./decode-stage.js";
import type { PacketSample } from "./types.js";

function info(device: SensorInfo["device"], deviceOptions?: Record<string, unknown>): SensorInfo {
  return { id: "a", role: "sacrum", device, rateHz: 100, mount: { up: "+x", out: "+z" }, ...(deviceOptions ? { deviceOptions } : {}) };
}

function sample(i: number): DeviceSample {
  return { sensorTimeUs: i * 10_000, accMps2: [0.1 * i, 0, 9.8], gyrDps: [1, -2, 0.5 * i] };
}

function encode(device: SensorInfo["device"], options: Record<string, unknown>, n: number) {
  const enc = getDeviceModule(device).createEncoder({ rateHz: 100, ...options });
  const notes = [];
  for (let i = 0; i < n; i++) notes.push(...enc.push(sample(i)));
  notes.push(...enc.flush());
  return notes;
}

function run(dec: SensorDecoder, events: SourceEvent[]) {
  const out: PacketSample[] = [];
  const problems: ProblemReport[] = [];
  for (const ev of events) dec.next(ev, (s) => out.push(s), (p) => problems.push(p));
  return { out, problems };
}

describe("SensorDecoder", () => {
  it("decodes Movella DOT packets with the packet's host time and sensor time", () => {
    // Payload mode 21: rate quantities (acc + gyro), BLE-PROTOCOLS.md §2.4.
    const notes = encode("movella-dot", { payloadMode: 21 }, 5);
    const dec = new SensorDecoder(info("movella-dot", { payloadMode: 21 }));
    const { out, problems } = run(dec, notes.map((n, k) => ({ type: "packet", sensorId: "a", hostTimeMs: 100 + k, char: n.char, bytes: n.bytes })));
    expect(problems).toEqual([]);
    expect(out.map((s) => s.sensorTimeUs)).toEqual([0, 10_000, 20_000, 30_000, 40_000]);
    expect(out.map((s) => s.hostTimeMs)).toEqual([100, 101, 102, 103, 104]);
    expect(out.every((s) => s.indexInPacket === 0 && s.countInPacket === 1)).toBe(true);
  });

  it("numbers the frames of a batched WitMotion notification and drops an immediate repeat", () => {
    const notes = encode("witmotion-wt901ble", { batchFrames: 4 }, 8);
    expect(notes).toHaveLength(2);
    const dec = new SensorDecoder(info("witmotion-wt901ble"));
    const events: SourceEvent[] = [
      { type: "packet", sensorId: "a", hostTimeMs: 40, char: notes[0].char, bytes: notes[0].bytes },
      { type: "packet", sensorId: "a", hostTimeMs: 40.5, char: notes[0].char, bytes: notes[0].bytes },
      { type: "packet", sensorId: "a", hostTimeMs: 80, char: notes[1].char, bytes: notes[1].bytes },
    ];
    const { out, problems } = run(dec, events);
    expect(out.map((s) => [s.hostTimeMs, s.indexInPacket, s.countInPacket])).toEqual([
      [40, 0, 4], [40, 1, 4], [40, 2, 4], [40, 3, 4], [80, 0, 4], [80, 1, 4], [80, 2, 4], [80, 3, 4],
    ]);
    expect(dec.counters.duplicatePackets).toBe(1);
    expect(problems.map((p) => p.code)).toEqual(["duplicate-packet"]);
    // WitMotion frames carry no sensor clock (BLE-PROTOCOLS.md §1).
    expect(out[0].sensorTimeUs).toBeUndefined();
    expect(out[5].accMps2![0]).toBeCloseTo(0.5, 2);
  });

  it("turns decoder problems into counted ProblemReports", () => {
    const dec = new SensorDecoder(info("movella-dot"));
    const { problems } = run(dec, [{ type: "packet", sensorId: "a", hostTimeMs: 5, char: "15172003494711e98646d663bd873d93", bytes: new Uint8Array([1, 2, 3]) }]);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ sensor: "a", tMs: 5 });
    expect(dec.counters.badPackets).toBe(1);
  });

  it("passes sample events through", () => {
    const dec = new SensorDecoder(info("generic"));
    const { out } = run(dec, [{ type: "sample", sensorId: "a", hostTimeMs: 7, sample: sample(3) }]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ hostTimeMs: 7, sensorTimeUs: 30_000, indexInPacket: 0, countInPacket: 1 });
  });
});

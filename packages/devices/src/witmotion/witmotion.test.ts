import { describe, expect, it } from "vitest";
import type { DeviceSample } from "@spinewatch/protocol";
import { hexToBytes, concatBytes } from "../common/bytes.js";
import { STANDARD_GRAVITY_MPS2 } from "@spinewatch/protocol";
import { loadDeviceFixture, maxAbsDiff } from "../testing/fixtures.js";
import type { DecodedItem, SetupStep } from "../types.js";
import { WitMotionStreamDecoder } from "./stream-decoder.js";
import { encodeWitBatteryReply, encodeWitQuaternionReply, WitMotionEncoder, witDefaultBatchFrames } from "./encoder.js";
import { witMotionModule } from "./module.js";
import { isWitDataChar, WIT_DATA_CHAR_UUID } from "./uuids.js";
import { witEulerDegToQuat, witQuatToEulerDeg } from "./euler-convention.js";
import { bytesToHex } from "../common/bytes.js";

const fx = loadDeviceFixture("witmotion");
const CHAR = WIT_DATA_CHAR_UUID;
const capture = hexToBytes(fx.vectors[0].hex);
const samplesOf = (items: DecodedItem[]) =>
  items.filter((i): i is { kind: "sample"; sample: DeviceSample } => i.kind === "sample").map((i) => i.sample);
const problemsOf = (items: DecodedItem[]) => items.filter((i) => i.kind === "problem");

function expectBalanced(d: WitMotionStreamDecoder): void {
  const c = d.counters;
  expect(c.bytes).toBe(c.decodedBytes + c.badBytes + c.pendingBytes);
}

describe("WitMotion decoder: byte vectors of BLE-PROTOCOLS.md", () => {
  it("decodes the real 0x61 capture field by field (tolerance: the document's printed digits)", () => {
    const v = fx.vectors[0];
    const d = new WitMotionStreamDecoder();
    const items = d.next(CHAR, capture);
    expect(items).toHaveLength(1);
    const s = samplesOf(items)[0];
    const accG = s.accMps2!.map((a) => a / STANDARD_GRAVITY_MPS2);
    // exact from the raw integers
    expect(maxAbsDiff(accG, v.raw.acc.map((r: number) => (r * 16) / 32768))).toBeLessThan(1e-12);
    expect(maxAbsDiff(s.eulerDeg!, v.raw.angle.map((r: number) => (r * 180) / 32768))).toBeLessThan(1e-12);
    // against the document's values
    for (let k = 0; k < 3; k++) {
      expect(Math.abs(accG[k] - v.expect.accG[k])).toBeLessThanOrEqual(v.tolerance.accG);
      expect(s.gyrDps![k]).toBe(v.expect.gyrDps[k]);
      expect(Math.abs(s.eulerDeg![k] - v.expect.eulerDeg[k])).toBeLessThanOrEqual(v.tolerance.eulerDeg);
    }
    // the test suite the capture comes from asserts "Az≈1.008g, yaw≈70.26°"
    expect(accG[2]).toBeCloseTo(1.008, 3);
    expect(s.eulerDeg![2]).toBeCloseTo(70.27, 2);
    expect(d.counters).toMatchObject({ notifications: 1, samples: 1, problems: 0, badBytes: 0, bytes: 20, decodedBytes: 20 });
  });

  it("decodes the datasheet magnetometer reply: raw counts without a chip type, µT with type 2 (×0.15, exact)", () => {
    const v = fx.vectors[1];
    const raw = new WitMotionStreamDecoder().next(CHAR, hexToBytes(v.hex));
    expect(raw).toContainEqual({ kind: "info", key: "witmotion.magRaw", value: v.expect.magRaw });
    expect(raw).toContainEqual({ kind: "info", key: "temperatureC", value: 0 });
    const typed = new WitMotionStreamDecoder({ magType: 2 }).next(CHAR, hexToBytes(v.hex));
    const ut = typed.find((i) => i.kind === "info" && i.key === "magUt") as { value: number[] };
    expect(maxAbsDiff(ut.value, [54, 15.75, 18.3])).toBeLessThan(1e-9);
  });

  it("learns the chip type from a 0x72 reply and then scales the magnetometer (type 6 -> /120, disputed)", () => {
    const d = new WitMotionStreamDecoder();
    const typeReply = hexToBytes("55 71 72 00 06 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");
    expect(d.next(CHAR, typeReply)).toContainEqual({ kind: "info", key: "witmotion.magType", value: 6 });
    const items = d.next(CHAR, hexToBytes(fx.vectors[1].hex));
    const ut = items.find((i) => i.kind === "info" && i.key === "magUt") as { value: number[] };
    expect(maxAbsDiff(ut.value, [3, 105 / 120, 122 / 120])).toBeLessThan(1e-12);
  });

  it("decodes a 0x71 quaternion reply as an info item (renormalised; tolerance 1e-4 = i16 quantisation)", () => {
    const q = witEulerDegToQuat([10, -20, 30]);
    const items = new WitMotionStreamDecoder().next(CHAR, encodeWitQuaternionReply(q));
    const info = items.find((i) => i.kind === "info" && i.key === "quatWxyz") as { value: number[] };
    expect(maxAbsDiff(info.value, q)).toBeLessThan(1e-4);
    expect(Math.hypot(...info.value)).toBeCloseTo(1, 12);
    // identity cannot be sent exactly (max i16 = 32767): still decodes to identity after renormalising
    const id = new WitMotionStreamDecoder().next(CHAR, encodeWitQuaternionReply([1, 0, 0, 0]));
    expect(id).toContainEqual({ kind: "info", key: "quatWxyz", value: [1, 0, 0, 0] });
  });

  it("decodes battery volts (register 0x64 / 100, exact) and flags an implausible voltage", () => {
    expect(new WitMotionStreamDecoder().next(CHAR, encodeWitBatteryReply(3.87))).toEqual([{ kind: "battery", volts: 3.87 }]);
    const d = new WitMotionStreamDecoder();
    const bad = d.next(CHAR, encodeWitBatteryReply(0.12));
    expect(problemsOf(bad)).toHaveLength(1);
    expect(d.counters.problems).toBe(1);
  });
});

describe("WitMotion decoder: the byte stream", () => {
  const frames = [capture, capture.slice(), capture.slice(), capture.slice()];
  frames[1][2] = 0x10; // make frames distinguishable
  frames[2][3] = 0x01;
  frames[3][19] = 0x01;
  const four = frames.reduce((a, b) => concatBytes(a, b));
  const reference = samplesOf(new WitMotionStreamDecoder().next(CHAR, four));

  it("decodes 4 frames in one 80-byte notification (the capture's batching)", () => {
    expect(reference).toHaveLength(4);
  });

  it("gives the same samples for every split of the stream into two notifications", () => {
    for (let cut = 0; cut <= four.length; cut++) {
      const d = new WitMotionStreamDecoder();
      const got = [...d.next(CHAR, four.slice(0, cut)), ...d.next(CHAR, four.slice(cut))];
      expect(samplesOf(got)).toEqual(reference);
      expect(d.counters.problems).toBe(cut === 0 || cut === four.length ? 1 : 0); // one empty notification
      expectBalanced(d);
    }
  });

  it("gives the same samples when fed byte by byte", () => {
    const d = new WitMotionStreamDecoder();
    const got: DecodedItem[] = [];
    for (const b of four) got.push(...d.next(CHAR, Uint8Array.of(b)));
    expect(samplesOf(got)).toEqual(reference);
    expect(d.counters.problems).toBe(0);
  });

  it("resyncs after garbage before, between and inside notifications, counting every discarded byte", () => {
    const garbage = hexToBytes("01 02 55 03 55 61 07");
    const stream = concatBytes(concatBytes(concatBytes(garbage, frames[0]), concatBytes(frames[1], garbage)), concatBytes(frames[2], frames[3]));
    const d = new WitMotionStreamDecoder();
    const items = [...d.next(CHAR, stream.slice(0, 30)), ...d.next(CHAR, stream.slice(30))];
    expect(samplesOf(items)).toEqual(reference);
    expect(problemsOf(items)).toHaveLength(2);
    expect(d.counters.badBytes).toBe(2 * garbage.length);
    expectBalanced(d);
  });

  it("does not take a fake 55 61 header inside garbage for a frame", () => {
    // 55 61 + 18 bytes, then a byte that is not a header: rejected while resynchronising
    const fake = concatBytes(hexToBytes("aa 55 61"), new Uint8Array(19).fill(0x11));
    const d = new WitMotionStreamDecoder();
    const items = d.next(CHAR, concatBytes(fake, frames[0]));
    expect(samplesOf(items)).toEqual([reference[0]]);
    expect(d.counters.badBytes).toBe(fake.length);
  });

  it("a truncated frame: the misalignment it causes is discarded and counted, and the stream recovers", () => {
    const d = new WitMotionStreamDecoder();
    const items = [...d.next(CHAR, frames[0].slice(0, 12)), ...d.next(CHAR, concatBytes(frames[1], frames[2]))];
    // The 12 pending bytes + 8 bytes of frames[1] look like a frame (no checksum: undetectable),
    // the remaining 12 bytes of frames[1] cannot start a frame -> one problem, 12 bad bytes,
    // and frames[2] decodes intact.
    expect(samplesOf(items)).toHaveLength(2);
    expect(samplesOf(items)[1]).toEqual(reference[2]);
    expect(problemsOf(items)).toHaveLength(1);
    expect(d.counters.badBytes).toBe(12);
    expectBalanced(d);
  });

  it("reports a notification on a foreign characteristic as a problem", () => {
    const d = new WitMotionStreamDecoder();
    expect(problemsOf(d.next("2a19", capture))).toHaveLength(1);
    expect(d.counters.badBytes).toBe(20);
  });

  it("reset() discards a partial frame and counts its bytes as bad", () => {
    const d = new WitMotionStreamDecoder();
    d.next(CHAR, capture.slice(0, 7));
    expect(d.counters.pendingBytes).toBe(7);
    d.reset();
    expect(d.counters).toMatchObject({ pendingBytes: 0, badBytes: 7 });
    expect(samplesOf(d.next(CHAR, capture))).toHaveLength(1);
    expectBalanced(d);
  });
});

describe("WitMotion encoder", () => {
  it("round-trips random samples within half an LSB per field", () => {
    // tolerances: acc 16 g/32768/2 × 9.80665 = 0.0024 m/s²; gyro 2000/32768/2 = 0.031 °/s; angle 180/32768/2 = 0.0028°
    const tol = { acc: (16 / 32768 / 2) * STANDARD_GRAVITY_MPS2 + 1e-12, gyr: 2000 / 32768 / 2 + 1e-12, ang: 180 / 32768 / 2 + 1e-12 };
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    const enc = new WitMotionEncoder({ rateHz: 100 });
    const dec = new WitMotionStreamDecoder();
    const sent: DeviceSample[] = [];
    const got: DeviceSample[] = [];
    for (let k = 0; k < 400; k++) {
      const s: DeviceSample = {
        accMps2: [rnd() * 150, rnd() * 150, rnd() * 150],
        gyrDps: [rnd() * 1990, rnd() * 1990, rnd() * 1990],
        eulerDeg: [rnd() * 179.9, rnd() * 89, rnd() * 179.9],
      };
      sent.push(s);
      for (const n of enc.push(s)) got.push(...samplesOf(dec.next(n.char, n.bytes)));
    }
    for (const n of enc.flush()) got.push(...samplesOf(dec.next(n.char, n.bytes)));
    expect(got).toHaveLength(sent.length);
    for (let k = 0; k < sent.length; k++) {
      expect(maxAbsDiff(got[k].accMps2!, sent[k].accMps2!)).toBeLessThanOrEqual(tol.acc);
      expect(maxAbsDiff(got[k].gyrDps!, sent[k].gyrDps!)).toBeLessThanOrEqual(tol.gyr);
      expect(maxAbsDiff(got[k].eulerDeg!, sent[k].eulerDeg!)).toBeLessThanOrEqual(tol.ang);
    }
  });

  it("re-encodes the real capture byte for byte", () => {
    const s = samplesOf(new WitMotionStreamDecoder().next(CHAR, capture))[0];
    const [n] = new WitMotionEncoder({ batchFrames: 1 }).push(s);
    expect(bytesToHex(n.bytes)).toBe(bytesToHex(capture));
  });

  it("batches 4 frames per notification at 100 Hz, 2 at 50 Hz (the capture), 1 at 10 Hz", () => {
    expect([witDefaultBatchFrames(100), witDefaultBatchFrames(50), witDefaultBatchFrames(10), witDefaultBatchFrames(200)]).toEqual([4, 2, 1, 8]);
    const enc = new WitMotionEncoder({ rateHz: 100 });
    const out = [0, 1, 2, 3].flatMap(() => enc.push({ accMps2: [0, 0, 9.8], gyrDps: [0, 0, 0], eulerDeg: [0, 0, 0] }));
    expect(out).toHaveLength(1);
    expect(out[0].bytes.length).toBe(80);
  });

  it("saturates beyond ±16 g and wraps angles (180° -> -180°)", () => {
    const [n] = new WitMotionEncoder({ batchFrames: 1 }).push({ accMps2: [400, -400, 0], gyrDps: [3000, 0, 0], eulerDeg: [180, 0, 0] });
    const s = samplesOf(new WitMotionStreamDecoder().next(CHAR, n.bytes))[0];
    expect(s.accMps2![0]).toBeCloseTo((32767 * 16 / 32768) * STANDARD_GRAVITY_MPS2, 9);
    expect(s.accMps2![1]).toBeCloseTo(-16 * STANDARD_GRAVITY_MPS2, 9);
    expect(s.gyrDps![0]).toBeCloseTo(32767 * 2000 / 32768, 9);
    expect(s.eulerDeg![0]).toBe(-180);
  });

  it("uses the assumed Z-Y-X convention consistently (quat -> Euler -> quat within 1e-12)", () => {
    const q = witEulerDegToQuat([25, -40, 120]);
    expect(maxAbsDiff(witQuatToEulerDeg(q), [25, -40, 120])).toBeLessThan(1e-9);
  });
});

describe("WitMotion module: UUIDs and setup order", () => {
  it("matches the data characteristic on both bases and in short form", () => {
    for (const u of ["0000ffe400001000800000805f9a34fb", "0000ffe400001000800000805f9b34fb", "ffe4", "0000FFE4-0000-1000-8000-00805F9A34FB"]) {
      expect(isWitDataChar(u)).toBe(true);
    }
    for (const u of ["0000ffe900001000800000805f9a34fb", "ffe40", "0000ffe400001000800000805f9c34fb"]) expect(isWitDataChar(u)).toBe(false);
  });

  it("subscribes first, then unlock -> 100 ms -> rate -> 100 ms -> 6-axis -> 100 ms -> save, then reads 0x72", () => {
    const steps = witMotionModule.setup({ rateHz: 100 });
    const brief = steps.map((s: SetupStep) => (s.kind === "write" ? bytesToHex(s.bytes) : s.kind === "wait" ? `wait${s.ms}` : s.kind));
    expect(brief).toEqual([
      "subscribe", fx.commands.unlock.replaceAll(" ", ""), "wait100", fx.commands.rate100Hz.replaceAll(" ", ""), "wait100",
      fx.commands.sixAxis.replaceAll(" ", ""), "wait100", fx.commands.save.replaceAll(" ", ""), "wait100", fx.commands.readMagType.replaceAll(" ", ""),
    ]);
  });

  it("picks the nearest supported rate (60 -> 50 Hz) and avoids the disputed 0x0A code", () => {
    const steps = witMotionModule.setup({ rateHz: 60 });
    expect(steps.some((s) => s.kind === "write" && bytesToHex(s.bytes) === fx.commands.rate50Hz.replaceAll(" ", ""))).toBe(true);
    const all = [1, 5, 10, 20, 50, 100, 150, 200, 500].flatMap((r) => witMotionModule.setup({ rateHz: r }));
    expect(all.some((s) => s.kind === "write" && s.bytes[2] === 0x03 && s.bytes[3] === 0x0a)).toBe(false);
  });

  it("matches advertisements by the WT name prefix", () => {
    expect(witMotionModule.matches({ localName: "WT901BLE68", serviceUuids: [] })).toBe(true);
    expect(witMotionModule.matches({ localName: "Thingy", serviceUuids: [] })).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import type { DeviceSample, QuatWxyz } from "@spinewatch/protocol";
import { bytesToHex, hexToBytes } from "../common/bytes.js";
import { loadDeviceFixture, maxAbsDiff } from "../testing/fixtures.js";
import type { DecodedItem } from "../types.js";
import { U32MicrosUnwrapper } from "./clock-unwrap.js";
import { MovellaDotDecoder } from "./decoder.js";
import { DOT_ENCODABLE_MODES, MovellaDotEncoder } from "./encoder.js";
import { movellaDotModule } from "./module.js";
import { DOT_PAYLOAD_MODES, dotPayloadMode } from "./payload-modes.js";
import { DOT_BATTERY_CHAR_UUID, DOT_CONTROL_CHAR_UUID, DOT_DEVICE_CONTROL_CHAR_UUID, DOT_MEDIUM_PAYLOAD_CHAR_UUID, DOT_SHORT_PAYLOAD_CHAR_UUID } from "./uuids.js";

const fx = loadDeviceFixture("movella-dot");
const samplesOf = (items: DecodedItem[]) =>
  items.filter((i): i is { kind: "sample"; sample: DeviceSample } => i.kind === "sample").map((i) => i.sample);
const problemsOf = (items: DecodedItem[]) => items.filter((i) => i.kind === "problem");
const balanced = (d: MovellaDotDecoder) => {
  const c = d.counters;
  expect(c.bytes).toBe(c.decodedBytes + c.badBytes + c.pendingBytes);
};

describe("Movella DOT decoder", () => {
  const v = fx.vectors[0];
  const bytes = hexToBytes(v.hex);

  it("decodes the BLE-PROTOCOLS.md §2.8 vector (mode 3): timestamp exact, floats within 1e-7", () => {
    const d = new MovellaDotDecoder(dotPayloadMode(3));
    const items = d.next(v.char, bytes);
    const [s] = samplesOf(items);
    expect(s.sensorTimeUs).toBe(v.expect.sensorTimeUs);
    expect(maxAbsDiff(s.quatWxyz!, v.expect.quatWxyz)).toBeLessThanOrEqual(v.tolerance.quatWxyz);
    const extra = items.find((i) => i.kind === "info" && i.key === "movella.extra") as { value: { freeAccMps2: number[] } };
    expect(maxAbsDiff(extra.value.freeAccMps2, v.expect.freeAccMps2)).toBeLessThanOrEqual(v.tolerance.freeAccMps2);
    expect(d.counters).toMatchObject({ samples: 1, problems: 0 });
    balanced(d);
  });

  it("accepts zero padding up to the characteristic length (40 B medium) without a problem", () => {
    const padded = new Uint8Array(40);
    padded.set(bytes);
    const d = new MovellaDotDecoder(dotPayloadMode(3));
    expect(samplesOf(d.next(v.char, padded))).toHaveLength(1);
    expect(d.counters.problems).toBe(0);
    balanced(d);
  });

  it("counts non-zero trailing bytes and over-long notifications as problems (sample kept)", () => {
    const trailing = new Uint8Array(40);
    trailing.set(bytes);
    trailing[39] = 7;
    const d = new MovellaDotDecoder(dotPayloadMode(3));
    const items = d.next(v.char, trailing);
    expect(samplesOf(items)).toHaveLength(1);
    expect(problemsOf(items)).toHaveLength(1);
    const tooLong = new Uint8Array(64); // > 40 B, even if zero
    tooLong.set(bytes);
    expect(problemsOf(d.next(v.char, tooLong))).toHaveLength(1);
    balanced(d);
  });

  it("rejects a truncated payload, a NaN quaternion and a non-unit quaternion, each a counted problem", () => {
    const d = new MovellaDotDecoder(dotPayloadMode(3));
    expect(problemsOf(d.next(v.char, bytes.slice(0, 31)))).toHaveLength(1);
    const nan = bytes.slice();
    nan.set([0x00, 0x00, 0xc0, 0x7f], 4); // w = NaN
    expect(samplesOf(d.next(v.char, nan))).toHaveLength(0);
    const big = bytes.slice();
    big.set([0x00, 0x00, 0x00, 0x40], 4); // w = 2
    expect(samplesOf(d.next(v.char, big))).toHaveLength(0);
    expect(d.counters).toMatchObject({ notifications: 3, samples: 0, problems: 3 });
    balanced(d);
  });

  it("reports a payload on the characteristic of another mode, and battery level + charging", () => {
    const d = new MovellaDotDecoder(dotPayloadMode(3));
    expect(problemsOf(d.next(DOT_SHORT_PAYLOAD_CHAR_UUID, new Uint8Array(20)))).toHaveLength(1);
    expect(d.next(DOT_BATTERY_CHAR_UUID, Uint8Array.of(87, 1))).toEqual([{ kind: "battery", percent: 87, charging: true }]);
    expect(problemsOf(d.next(DOT_BATTERY_CHAR_UUID, Uint8Array.of(187, 0)))).toHaveLength(1);
    balanced(d);
  });

  it("accepts canonical (dashed, upper-case) UUIDs too", () => {
    const d = new MovellaDotDecoder(dotPayloadMode(3));
    expect(samplesOf(d.next("15172003-4947-11E9-8646-D663BD873D93", bytes))).toHaveLength(1);
  });
});

describe("Movella DOT encoder/decoder round trip (every encodable mode; tolerance: f32 rounding, relative 2^-24)", () => {
  let seed = 3;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const unitQuat = (): QuatWxyz => {
    const q = [rnd(), rnd(), rnd(), rnd()];
    const n = Math.hypot(...q);
    return q.map((c) => c / n) as QuatWxyz;
  };
  for (const id of DOT_ENCODABLE_MODES) {
    it(`mode ${id} (${DOT_PAYLOAD_MODES.get(id)!.name})`, () => {
      const mode = dotPayloadMode(id);
      const enc = new MovellaDotEncoder(mode, { rateHz: 60 });
      const dec = new MovellaDotDecoder(mode);
      for (let k = 0; k < 50; k++) {
        const s: DeviceSample = {
          sensorTimeUs: 4294967295 - 20000 + k * 16667, // crosses the u32 wrap
          quatWxyz: unitQuat(),
          accMps2: [rnd() * 100, rnd() * 100, rnd() * 100],
          gyrDps: [rnd() * 1500, rnd() * 1500, rnd() * 1500],
        };
        const [n] = enc.push(s);
        expect(n.bytes.length).toBe({ short: 20, medium: 40, long: 63 }[mode.char]);
        const [got] = samplesOf(dec.next(n.char, n.bytes));
        expect(got.sensorTimeUs).toBe(s.sensorTimeUs! % 2 ** 32);
        const rel = 2 ** -24;
        if (mode.fields.includes("quat")) expect(maxAbsDiff(got.quatWxyz!, s.quatWxyz!)).toBeLessThanOrEqual(rel);
        if (mode.fields.includes("acc")) expect(maxAbsDiff(got.accMps2!, s.accMps2!)).toBeLessThanOrEqual(100 * rel);
        if (mode.fields.includes("gyr")) expect(maxAbsDiff(got.gyrDps!, s.gyrDps!)).toBeLessThanOrEqual(1500 * rel);
      }
      expect(dec.counters.problems).toBe(0);
    });
  }

  it("says clearly that Euler / delta modes are not encodable", () => {
    expect(() => new MovellaDotEncoder(dotPayloadMode(16))).toThrow(/not implemented: Movella DOT encoder for payload mode 16/);
    expect(() => dotPayloadMode(25)).toThrow(/payloadMode: 25 is not one of/);
  });
});

describe("Movella DOT setup", () => {
  it("sets the rate, subscribes the payload char BEFORE writing start; stops before unsubscribing", () => {
    const steps = movellaDotModule.setup({ payloadMode: 20, rateHz: 30 });
    const iSub = steps.findIndex((s) => s.kind === "subscribe" && s.char === DOT_MEDIUM_PAYLOAD_CHAR_UUID);
    const iStart = steps.findIndex((s) => s.kind === "write" && s.char === DOT_CONTROL_CHAR_UUID);
    const iRate = steps.findIndex((s) => s.kind === "write" && s.char === DOT_DEVICE_CONTROL_CHAR_UUID);
    expect(iSub).toBeGreaterThanOrEqual(0);
    expect(iRate).toBeLessThan(iSub);
    expect(iSub).toBeLessThan(iStart);
    const start = steps[iStart] as { bytes: Uint8Array };
    expect(bytesToHex(start.bytes)).toBe("010114");
    const rate = steps[iRate] as { bytes: Uint8Array };
    expect(rate.bytes.length).toBe(32);
    expect(rate.bytes[0]).toBe(0x10);
    expect(bytesToHex(rate.bytes.slice(24, 26))).toBe(fx.commands.outputRate30HzBytes24to25.replace(" ", ""));
    const down = movellaDotModule.teardown({ payloadMode: 20 });
    expect(down[0]).toMatchObject({ kind: "write", char: DOT_CONTROL_CHAR_UUID });
    expect(bytesToHex((down[0] as { bytes: Uint8Array }).bytes)).toBe("010014");
    expect(down[1]).toEqual({ kind: "unsubscribe", char: DOT_MEDIUM_PAYLOAD_CHAR_UUID });
  });

  it("writes the §2.3 start/stop bytes for mode 3 and the heading reset 01 00", () => {
    const steps = movellaDotModule.setup({ payloadMode: 3 });
    expect(steps.some((s) => s.kind === "write" && bytesToHex(s.bytes) === fx.commands.startMode3.replaceAll(" ", ""))).toBe(true);
    const [reset] = movellaDotModule.headingReset!({});
    expect(bytesToHex((reset as { bytes: Uint8Array }).bytes)).toBe("0100");
  });

  it("rounds the rate to a supported one (50 -> 60 Hz) and knows which modes carry acc + gyro", () => {
    const rate = movellaDotModule.setup({ rateHz: 50 })[0] as { bytes: Uint8Array };
    expect(rate.bytes[24]).toBe(60);
    expect([20, 21, 26, 3, 5, 24].map((m) => movellaDotModule.providesImu({ payloadMode: m }))).toEqual([true, true, true, false, false, false]);
  });

  it("matches by name or by the Movella company id", () => {
    expect(movellaDotModule.matches({ localName: "Movella DOT", serviceUuids: [] })).toBe(true);
    expect(movellaDotModule.matches({ localName: "Xsens DOT", serviceUuids: [] })).toBe(true);
    expect(movellaDotModule.matches({ serviceUuids: [], manufacturerData: Uint8Array.of(0x86, 0x08, 1) })).toBe(true);
    expect(movellaDotModule.matches({ localName: "WT901", serviceUuids: [] })).toBe(false);
  });
});

describe("U32MicrosUnwrapper", () => {
  it("unwraps across 2^32 µs and places a late pre-wrap sample before the wrap", () => {
    const u = new U32MicrosUnwrapper();
    expect(u.next(4294967000)).toBe(4294967000);
    expect(u.next(200)).toBe(2 ** 32 + 200);
    expect(u.next(4294967100)).toBe(4294967100); // late, reordered
    expect(u.next(16867)).toBe(2 ** 32 + 16867);
    expect(u.next(100)).toBe(2 ** 32 + 100); // small backward step: not a wrap
  });
});

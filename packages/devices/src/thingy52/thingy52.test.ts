import { describe, expect, it } from "vitest";
import type { DeviceSample } from "@spinewatch/protocol";
import { bytesToHex, hexToBytes } from "../common/bytes.js";
import { STANDARD_GRAVITY_MPS2 } from "@spinewatch/protocol";
import { loadDeviceFixture, maxAbsDiff } from "../testing/fixtures.js";
import type { DecodedItem } from "../types.js";
import { Thingy52Decoder } from "./decoder.js";
import { Thingy52Encoder } from "./encoder.js";
import { thingy52Module } from "./module.js";
import { THINGY_MOTION_CONFIG_CHAR_UUID, THINGY_QUAT_CHAR_UUID, THINGY_RAW_CHAR_UUID } from "./uuids.js";

const fx = loadDeviceFixture("thingy52");
const samplesOf = (items: DecodedItem[]) =>
  items.filter((i): i is { kind: "sample"; sample: DeviceSample } => i.kind === "sample").map((i) => i.sample);

describe("Thingy:52 decoder", () => {
  it("decodes the §3.7 quaternion vector (tolerance 1e-7: Q2.30 rounding)", () => {
    const v = fx.vectors[0];
    const [s] = samplesOf(new Thingy52Decoder().next(v.char, hexToBytes(v.hex)));
    expect(maxAbsDiff(s.quatWxyz!, v.expect.quatWxyz)).toBeLessThanOrEqual(v.tolerance.quatWxyz);
  });

  it("decodes the §3.7 raw vector exactly (1 g, 90 °/s, 20/0/-40 µT)", () => {
    const v = fx.vectors[1];
    const [s] = samplesOf(new Thingy52Decoder().next(v.char, hexToBytes(v.hex)));
    expect(s.accMps2!.map((a) => a / STANDARD_GRAVITY_MPS2)).toEqual(v.expect.accG);
    expect(s.gyrDps).toEqual(v.expect.gyrDps);
    expect(s.magUt).toEqual(v.expect.magUt);
  });

  it("counts wrong lengths, a non-unit quaternion and a foreign characteristic as problems", () => {
    const d = new Thingy52Decoder();
    d.next(THINGY_QUAT_CHAR_UUID, new Uint8Array(15));
    d.next(THINGY_RAW_CHAR_UUID, new Uint8Array(19));
    d.next(THINGY_QUAT_CHAR_UUID, new Uint8Array(16)); // all zero: norm 0
    d.next("2a19", Uint8Array.of(50));
    expect(d.counters).toMatchObject({ notifications: 4, samples: 0, problems: 4, badBytes: 15 + 19 + 16 + 1 });
  });
});

describe("Thingy:52 encoder round trip", () => {
  it("within half an LSB: acc 0.0048 m/s², gyro 0.016 °/s, mag 0.031 µT, quaternion 1e-9", () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
    const enc = new Thingy52Encoder();
    const dec = new Thingy52Decoder();
    for (let k = 0; k < 200; k++) {
      const q = [rnd(), rnd(), rnd(), rnd()];
      const n = Math.hypot(...q);
      const s: DeviceSample = {
        accMps2: [rnd() * 300, rnd() * 300, rnd() * 300],
        gyrDps: [rnd() * 1000, rnd() * 1000, rnd() * 1000],
        magUt: [rnd() * 100, rnd() * 100, rnd() * 100],
        quatWxyz: [q[0] / n, q[1] / n, q[2] / n, q[3] / n],
      };
      const got = samplesOf(enc.push(s).flatMap((x) => dec.next(x.char, x.bytes)));
      expect(got).toHaveLength(2);
      expect(maxAbsDiff(got[0].accMps2!, s.accMps2!)).toBeLessThanOrEqual((0.5 / 1024) * STANDARD_GRAVITY_MPS2 + 1e-12);
      expect(maxAbsDiff(got[0].gyrDps!, s.gyrDps!)).toBeLessThanOrEqual(0.5 / 32);
      expect(maxAbsDiff(got[0].magUt!, s.magUt!)).toBeLessThanOrEqual(0.5 / 16);
      expect(maxAbsDiff(got[1].quatWxyz!, s.quatWxyz!)).toBeLessThanOrEqual(1e-9);
    }
  });
});

describe("Thingy:52 setup", () => {
  it("writes the 9-byte config (100 Hz = the §3.5 derived bytes) before subscribing raw and quaternion", () => {
    const steps = thingy52Module.setup({ rateHz: 100 });
    expect(steps[0]).toMatchObject({ kind: "write", char: THINGY_MOTION_CONFIG_CHAR_UUID, withoutResponse: false });
    expect(bytesToHex((steps[0] as { bytes: Uint8Array }).bytes)).toBe(fx.commands.config100Hz.replaceAll(" ", ""));
    expect(steps.slice(1)).toEqual([{ kind: "subscribe", char: THINGY_RAW_CHAR_UUID }, { kind: "subscribe", char: THINGY_QUAT_CHAR_UUID }]);
    const dflt = thingy52Module.setup({ rateHz: 10, streams: "quat" });
    expect(bytesToHex((dflt[0] as { bytes: Uint8Array }).bytes)).toBe(fx.commands.defaultConfig.replaceAll(" ", ""));
    expect(dflt).toHaveLength(2);
    expect(() => thingy52Module.setup({ streams: "all" })).toThrow(/option streams/);
  });
});

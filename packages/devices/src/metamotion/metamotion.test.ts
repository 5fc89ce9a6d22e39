import { describe, expect, it } from "vitest";
import type { DeviceSample } from "@spinewatch/protocol";
import { bytesToHex, hexToBytes } from "../common/bytes.js";
import { loadDeviceFixture, maxAbsDiff } from "../testing/fixtures.js";
import type { DecodedItem } from "../types.js";
import { MetaMotionDecoder } from "./decoder.js";
import { MetaMotionEncoder } from "./encoder.js";
import { metaMotionModule } from "./module.js";
import { MW_NOTIFY_CHAR_UUID } from "./uuids.js";

const fx = loadDeviceFixture("metamotion");
const samplesOf = (items: DecodedItem[]) =>
  items.filter((i): i is { kind: "sample"; sample: DeviceSample } => i.kind === "sample").map((i) => i.sample);
const hexSteps = (o: Record<string, unknown>) =>
  metaMotionModule.setup(o).map((s) => (s.kind === "write" ? bytesToHex(s.bytes) : s.kind));

describe("MetaMotion decoder", () => {
  for (const v of fx.vectors) {
    it(`decodes ${v.name} (tolerance ${v.tolerance.quatWxyz})`, () => {
      const [s] = samplesOf(new MetaMotionDecoder("bmi160").next(v.char, hexToBytes(v.hex)));
      expect(maxAbsDiff(s.quatWxyz!, v.expect.quatWxyz)).toBeLessThanOrEqual(v.tolerance.quatWxyz);
    });
  }

  it("pairs corrected acc + gyro into one sample; a repeated kind goes out alone", () => {
    const enc = new MetaMotionEncoder({ imu: true });
    const d = new MetaMotionDecoder("bmi160");
    const [acc, gyr] = enc.push({ accMps2: [0, 0, 9.80665], gyrDps: [1, 2, 3] });
    expect(d.next(acc.char, acc.bytes)).toEqual([]);
    expect(d.holding).toBe(true);
    const [s] = samplesOf(d.next(gyr.char, gyr.bytes));
    expect(maxAbsDiff(s.accMps2!, [0, 0, 9.80665])).toBeLessThan(1e-5);
    expect(s.gyrDps).toEqual([1, 2, 3]);
    d.next(acc.char, acc.bytes);
    const lone = samplesOf(d.next(acc.char, acc.bytes));
    expect(lone).toHaveLength(1);
    expect(lone[0].gyrDps).toBeUndefined();
  });

  it("reports module info and a BMI160/BMI270 mismatch", () => {
    const d = new MetaMotionDecoder("bmi160");
    const items = d.next(MW_NOTIFY_CHAR_UUID, Uint8Array.of(0x03, 0x80, 0x04, 0x01));
    expect(items[0]).toEqual({ kind: "info", key: "metamotion.moduleInfo", value: { module: 3, implementation: 4, revision: 1 } });
    expect(items[1]).toMatchObject({ kind: "problem", code: "metamotion.imu-chip-mismatch" });
    expect((items[1] as { message: string }).message).toMatch(/imuChip to "bmi270"/);
  });

  it("counts bad lengths, unknown packets, NaN and foreign characteristics as problems", () => {
    const d = new MetaMotionDecoder("bmi160");
    const quat = hexToBytes(fx.vectors[0].hex);
    d.next(MW_NOTIFY_CHAR_UUID, quat.slice(0, 17));
    d.next(MW_NOTIFY_CHAR_UUID, Uint8Array.of(0x19));
    d.next(MW_NOTIFY_CHAR_UUID, Uint8Array.of(0x19, 0x0b, 0x00));
    const nan = quat.slice();
    nan.set([0, 0, 0xc0, 0x7f], 2);
    d.next(MW_NOTIFY_CHAR_UUID, nan);
    d.next("ffe4", quat);
    expect(d.counters).toMatchObject({ notifications: 5, samples: 0, problems: 5 });
    expect(d.counters.bytes).toBe(d.counters.badBytes);
  });

  it("round-trips quaternion, acc, gyro (tolerance: f32, 1e-6 relative)", () => {
    const enc = new MetaMotionEncoder({ imu: true });
    const d = new MetaMotionDecoder("bmi160");
    const s: DeviceSample = { accMps2: [1.5, -2.25, 9.7], gyrDps: [100.5, -3, 0.01], quatWxyz: [0.5, 0.5, -0.5, 0.5] };
    const got = samplesOf(enc.push(s).flatMap((n) => d.next(n.char, n.bytes)));
    expect(got).toHaveLength(2);
    expect(maxAbsDiff(got[0].accMps2!, s.accMps2!)).toBeLessThan(1e-5);
    expect(maxAbsDiff(got[0].gyrDps!, s.gyrDps!)).toBeLessThan(1e-4);
    expect(got[1].quatWxyz).toEqual(s.quatWxyz);
  });
});

describe("MetaMotion setup", () => {
  it("configures, subscribes, starts the sensors, then enables output and starts fusion (IMU_PLUS, BMI160)", () => {
    expect(hexSteps({})).toEqual([
      "subscribe", "0380", "19020213", fx.commands.accConfigBmi160.replaceAll(" ", ""), fx.commands.gyroConfig.replaceAll(" ", ""),
      "190401", "190501", "190701", "03020100", "13020100", "030101", "130101", "19030b00", fx.commands.fusionStart.replaceAll(" ", ""),
    ]);
  });

  it("NDOF quaternion only on a BMI270: the §4.2 config bytes 19 02 01 13, 19 03 08 00, mag set-up", () => {
    const steps = hexSteps({ fusionMode: "ndof", imuChip: "bmi270", imu: false });
    expect(steps).toContain(fx.commands.fusionConfigNdof16g2000dps.replaceAll(" ", ""));
    expect(steps).toContain(fx.commands.accConfigBmi270.replaceAll(" ", ""));
    expect(steps).toContain(fx.commands.outputQuaternion.replaceAll(" ", ""));
    expect(steps.indexOf("150101")).toBeLessThan(steps.indexOf("19030800"));
    expect(steps.at(-1)).toBe("190101");
  });

  it("stops fusion first, then clears outputs, as §4.2 says", () => {
    const down = metaMotionModule.teardown({}).map((s) => (s.kind === "write" ? bytesToHex(s.bytes) : s.kind));
    expect(down.slice(0, 2)).toEqual([fx.commands.fusionStop.replaceAll(" ", ""), fx.commands.outputClear.replaceAll(" ", "")]);
    expect(down.at(-1)).toBe("unsubscribe");
    expect(() => metaMotionModule.setup({ fusionMode: "m4g" })).toThrow(/fusionMode/);
  });
});

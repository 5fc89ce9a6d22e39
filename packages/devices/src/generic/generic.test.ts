import { describe, expect, it } from "vitest";
import type { DeviceSample } from "@spinewatch/protocol";
import { maxAbsDiff } from "../testing/fixtures.js";
import type { DecodedItem } from "../types.js";
import { createGenericModule } from "./module.js";
import { EXAMPLE_GENERIC_CONFIG } from "../testing/example-generic-config.js";
import { getDeviceModule } from "../registry.js";

const samplesOf = (items: DecodedItem[]) =>
  items.filter((i): i is { kind: "sample"; sample: DeviceSample } => i.kind === "sample").map((i) => i.sample);

describe("createGenericModule", () => {
  const m = createGenericModule(EXAMPLE_GENERIC_CONFIG);

  it("round-trips a sample (tolerance: acc half an i16 LSB = 0.0012 m/s², gyro f32 relative 1e-6, quaternion 1e-7)", () => {
    const s: DeviceSample = { sensorTimeUs: 123456, accMps2: [0.5, -9.81, 3], gyrDps: [10, -200, 0.5], quatWxyz: [0.5, 0.5, 0.5, 0.5] };
    const notes = m.createEncoder({}).push(s);
    expect(notes.map((n) => n.bytes.length)).toEqual([22, 16]);
    const d = m.createDecoder({});
    const [a, q] = samplesOf(notes.flatMap((n) => d.next(n.char, n.bytes)));
    expect(a.sensorTimeUs).toBe(123456);
    expect(maxAbsDiff(a.accMps2!, s.accMps2!)).toBeLessThanOrEqual((0.5 * 9.80665) / 4096 + 1e-12);
    expect(maxAbsDiff(a.gyrDps!, s.gyrDps!)).toBeLessThan(200 * 1e-6);
    expect(maxAbsDiff(q.quatWxyz!, s.quatWxyz!)).toBeLessThan(1e-7);
    expect(d.counters.problems).toBe(0);
  });

  it("counts wrong lengths, unknown characteristics and non-unit quaternions", () => {
    const d = m.createDecoder({});
    d.next("19b10001e8f2537e4f6cd104768a1214", new Uint8Array(21));
    d.next("2a19", new Uint8Array(1));
    d.next("19b10004e8f2537e4f6cd104768a1214", new Uint8Array(16));
    expect(d.counters).toMatchObject({ notifications: 3, samples: 0, problems: 3, badBytes: 38 });
  });

  it("subscribes all characteristics, then writes the configured bytes; matches by name prefix", () => {
    expect(m.setup({}).map((s) => s.kind)).toEqual(["subscribe", "subscribe", "write"]);
    expect(m.matches({ localName: "SpineIMU-7", serviceUuids: [] })).toBe(true);
    expect(m.providesImu({})).toBe(true);
    expect(m.hasSensorClock).toBe(true);
  });

  it("rejects a bad config with one line naming the field", () => {
    const bad = structuredClone(EXAMPLE_GENERIC_CONFIG);
    (bad.characteristics[0].fields[1] as { type: string }).type = "i17le";
    expect(() => createGenericModule(bad)).toThrow(/^generic device config: characteristics\[0\]\.fields\[1\]\.type "i17le" is not one of/);
    expect(() => createGenericModule({ ...EXAMPLE_GENERIC_CONFIG, characteristics: [] })).toThrow(/characteristics must be a non-empty list/);
  });
});

describe("the registry's generic kind", () => {
  it("without a config: every packet is a clear counted problem, and there is no encoder", () => {
    const m = getDeviceModule("generic");
    const d = m.createDecoder({});
    const items = d.next("ffe4", new Uint8Array(20));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: "problem", code: "generic.no-config" });
    expect(d.counters).toMatchObject({ problems: 1, badBytes: 20 });
    expect(() => m.createEncoder({})).toThrow(/no packets: write sample lines/);
  });

  it("with deviceOptions.generic: the configured module", () => {
    const m = getDeviceModule("generic", { generic: EXAMPLE_GENERIC_CONFIG });
    expect(m.serviceUuids).toEqual(["19b10000e8f2537e4f6cd104768a1214"]);
  });
});

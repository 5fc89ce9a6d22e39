import { describe, expect, it } from "vitest";
import { DEVICE_KINDS, type DeviceKind } from "@spinewatch/protocol";
import { DEVICE_MODULES, getDeviceModule, matchAdvertisement } from "./registry.js";

describe("registry", () => {
  it("has one module per DeviceKind, each with its own kind", () => {
    for (const k of DEVICE_KINDS) expect(getDeviceModule(k).kind).toBe(k);
    expect(Object.keys(DEVICE_MODULES).sort()).toEqual([...DEVICE_KINDS].sort());
  });

  it("names the known kinds when given an unknown one", () => {
    expect(() => getDeviceModule("polar-h10" as DeviceKind)).toThrow(/unknown device kind "polar-h10"; known: witmotion-wt901ble/);
  });

  it("matches advertisements to families", () => {
    const kindOf = (adv: Parameters<typeof matchAdvertisement>[0]) => matchAdvertisement(adv)?.kind;
    expect(kindOf({ localName: "WT901BLE68", serviceUuids: [] })).toBe("witmotion-wt901ble");
    expect(kindOf({ localName: "Movella DOT", serviceUuids: [] })).toBe("movella-dot");
    expect(kindOf({ localName: "Thingy", serviceUuids: [] })).toBe("nordic-thingy52");
    expect(kindOf({ serviceUuids: ["ef6801009b3549339b1052ffa9740042"] })).toBe("nordic-thingy52");
    expect(kindOf({ serviceUuids: ["326a900085cb9195d9dd464cfbbae75a"] })).toBe("mbientlab-metamotion");
    expect(kindOf({ localName: "JBL Flip", serviceUuids: ["180f"] })).toBeUndefined();
  });

  it("every module's setup starts or ends with a subscription of a data characteristic, and each decoder never throws on empty input", () => {
    for (const k of DEVICE_KINDS.filter((x) => x !== "generic")) {
      const m = getDeviceModule(k);
      const steps = m.setup({});
      expect(steps.some((s) => s.kind === "subscribe" && m.isDataChar(s.char))).toBe(true);
      const d = m.createDecoder({});
      expect(() => d.next("", new Uint8Array(0))).not.toThrow();
      expect(d.counters.problems).toBe(1);
    }
  });
});

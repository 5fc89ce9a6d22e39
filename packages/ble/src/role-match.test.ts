import { describe, expect, it } from "vitest";
import type { BleFoundSensor } from "./found-sensors.js";
import { normaliseAddress, resolveRoles } from "./role-match.js";

const f = (address: string, name: string): BleFoundSensor => ({ id: address.replace(/:/g, ""), address, name, model: "m", rssiDbm: -60, device: "witmotion-wt901ble" });

describe("resolveRoles", () => {
  const found = [f("c8:a1:00:00:00:01", "WT901BLE68"), f("c8:a1:00:00:00:02", "WT901BLE69"), f("d4:22:00:00:00:03", "Movella DOT")];

  it("matches addresses in any spelling and names case-insensitively, whole name only", () => {
    expect(normaliseAddress(" C8-A1-00-00-00-01 ")).toBe("c8a100000001");
    const r = resolveRoles(found, { sacrum: "C8A100000002", thoracic: "movella dot" });
    expect(r.sensors.sacrum?.address).toBe("c8:a1:00:00:00:02");
    expect(r.sensors.thoracic?.address).toBe("d4:22:00:00:00:03");
    expect(r.byName).toEqual(["thoracic"]);
    expect(resolveRoles(found, { sacrum: "WT901", thoracic: "Movella" }).sensors).toEqual({});
  });

  it("an address wins over a name that happens to equal it", () => {
    const odd = [f("c8:a1:00:00:00:01", "d4:22:00:00:00:03"), f("d4:22:00:00:00:03", "x")];
    expect(resolveRoles(odd, { sacrum: "d4:22:00:00:00:03", thoracic: "c8:a1:00:00:00:01" }).sensors.sacrum?.name).toBe("x");
  });

  it("ambiguity and double use are errors naming the candidates", () => {
    const twins = [f("c8:a1:00:00:00:01", "WT901BLE68"), f("c8:a1:00:00:00:02", "WT901BLE68")];
    expect(() => resolveRoles(twins, { sacrum: "wt901ble68", thoracic: "c8:a1:00:00:00:02" })).toThrow(
      "--sacrum 'wt901ble68' matches 2 sensors (WT901BLE68 c8:a1:00:00:00:01, WT901BLE68 c8:a1:00:00:00:02): give the address instead (spinewatch scan lists them)",
    );
    expect(() => resolveRoles(found, { sacrum: "WT901BLE68", thoracic: "c8:a1:00:00:00:01" })).toThrow(/are the same sensor/);
  });
});

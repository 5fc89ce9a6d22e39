import { describe, expect, it } from "vitest";
import type { BleFoundSensor } from "./found-sensors.js";
import { createPairing, type Pairing } from "./pairing.js";
import { addFakeMovellaDot, addFakeOtherPeripheral, addFakeWitMotion } from "./testing/fake-devices.js";
import { FakeNoble } from "./testing/fake-noble.js";
import { FakeScheduler } from "./testing/fake-scheduler.js";

describe("createPairing (dashboard pairing step)", () => {
  async function start() {
    const scheduler = new FakeScheduler();
    const noble = new FakeNoble(scheduler);
    addFakeWitMotion(noble, { address: "c8:a1:00:00:00:01", rssi: -60 });
    addFakeWitMotion(noble, { address: "c8:a1:00:00:00:02", rssi: -50, appearsAtMs: 1000 });
    addFakeMovellaDot(noble, { address: "d4:22:00:00:00:03", rssi: -70, appearsAtMs: 2000 });
    addFakeOtherPeripheral(noble, { address: "aa:00:00:00:00:04" });
    const pairing: Pairing = await createPairing({ noble, scheduler });
    return { scheduler, noble, pairing };
  }

  it("lists supported sensors as they appear, strongest first, until assigned", async () => {
    const { scheduler, noble, pairing } = await start();
    const updates: BleFoundSensor[][] = [];
    pairing.onFound((f) => updates.push(f));
    await scheduler.advanceBy(500);
    expect(pairing.found.map((f) => f.address)).toEqual(["c8:a1:00:00:00:01"]);
    await scheduler.advanceBy(2000);
    expect(pairing.found.map((f) => [f.address, f.model, f.rssiDbm])).toEqual([
      ["c8:a1:00:00:00:02", "WitMotion WT901BLE", -50],
      ["c8:a1:00:00:00:01", "WitMotion WT901BLE", -60],
      ["d4:22:00:00:00:03", "Movella DOT", -70],
    ]);
    expect(updates.map((u) => u.length)).toEqual([1, 2, 3]);
    expect(noble.scanning).toBe(true);

    const source = await pairing.assign("c8:a1:00:00:00:02", "D4-22-00-00-00-03");
    expect(noble.scanning).toBe(false);
    expect(source.info.sensors.map((s) => [s.id, s.role, s.device])).toEqual([
      ["sacrum", "sacrum", "witmotion-wt901ble"],
      ["thoracic", "thoracolumbar", "movella-dot"],
    ]);
    const events: string[] = [];
    const sub = source.events().subscribe({ next: (e) => e.type === "status" && events.push(`${e.sensorId} ${e.state}`) });
    await scheduler.advanceBy(1000);
    // The DOT is configured first: WitMotion setup has three 100 ms waits.
    expect(events).toEqual(["sacrum connecting", "thoracic connecting", "thoracic streaming", "sacrum streaming"]);
    sub.unsubscribe();
  });

  it("refuses an address it has not seen and an ambiguous name, keeps scanning", async () => {
    const { scheduler, noble, pairing } = await start();
    await scheduler.advanceBy(2500);
    await expect(pairing.assign("c8:a1:00:00:00:09", "d4:22:00:00:00:03")).rejects.toMatchObject({
      code: "roles",
      message: "pairing: sacrum 'c8:a1:00:00:00:09' is not among the 3 sensors found",
    });
    await expect(pairing.assign("WT901BLE68", "d4:22:00:00:00:03")).rejects.toMatchObject({ code: "roles", message: expect.stringContaining("matches 2 sensors") });
    expect(noble.scanning).toBe(true);
    await pairing.stop();
    expect(noble.scanning).toBe(false);
    expect(noble.listenerCount("discover")).toBe(0);
  });
});

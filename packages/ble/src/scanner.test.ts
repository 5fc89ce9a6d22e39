import { describe, expect, it } from "vitest";
import { scan } from "./scanner.js";
import { addFakeMovellaDot, addFakeOtherPeripheral, addFakeWitMotion } from "./testing/fake-devices.js";
import { FakeNoble } from "./testing/fake-noble.js";
import { FakeScheduler } from "./testing/fake-scheduler.js";

function setup() {
  const scheduler = new FakeScheduler();
  const noble = new FakeNoble(scheduler);
  return { scheduler, noble };
}

describe("scan", () => {
  it("finds and labels WitMotion and Movella DOT peripherals, ignores others, strongest first", async () => {
    const { scheduler, noble } = setup();
    addFakeWitMotion(noble, { address: "C8:A1:00:00:00:01", rssi: -71 });
    addFakeWitMotion(noble, { address: "c8:a1:00:00:00:02", localName: "WT9011DCL-BT50", rssi: -58 });
    addFakeMovellaDot(noble, { address: "d4:22:00:00:00:03", rssi: -64 });
    addFakeOtherPeripheral(noble, { address: "aa:bb:00:00:00:04", rssi: -40 });
    const result = scan({ seconds: 3, noble, scheduler });
    await scheduler.advanceBy(3000);
    expect(await result).toEqual([
      { address: "c8:a1:00:00:00:02", name: "WT9011DCL-BT50", model: "WitMotion WT9011DCL", rssiDbm: -58, device: "witmotion-wt901ble" },
      { address: "d4:22:00:00:00:03", name: "Movella DOT", model: "Movella DOT", rssiDbm: -64, device: "movella-dot" },
      { address: "c8:a1:00:00:00:01", name: "WT901BLE68", model: "WitMotion WT901BLE", rssiDbm: -71, device: "witmotion-wt901ble" },
    ].map((f) => ({ ...f, id: f.address.replace(/:/g, "") })));
    expect(noble.scanning).toBe(false);
    expect(noble.listenerCount("discover")).toBe(0);
  });

  it("deduplicates by address and keeps the strongest RSSI seen", async () => {
    const { scheduler, noble } = setup();
    addFakeWitMotion(noble, { address: "c8:a1:00:00:00:01", rssi: [-80, -62, -75, -90] });
    const result = scan({ seconds: 1, noble, scheduler });
    await scheduler.advanceBy(1000);
    const found = await result;
    expect(found).toHaveLength(1);
    expect(found[0].rssiDbm).toBe(-62);
  });

  it("recognises a DOT by Movella's company id when the name is not advertised", async () => {
    const { scheduler, noble } = setup();
    addFakeMovellaDot(noble, { address: "d4:22:00:00:00:09", localName: "", manufacturerData: Uint8Array.of(0x86, 0x08, 1, 2) });
    const result = scan({ seconds: 1, noble, scheduler });
    await scheduler.advanceBy(1000);
    expect((await result).map((f) => [f.device, f.name])).toEqual([["movella-dot", ""]]);
  });

  it("lasts exactly the requested time on the injected clock and sees late arrivals within it", async () => {
    const { scheduler, noble } = setup();
    addFakeWitMotion(noble, { address: "c8:a1:00:00:00:01", appearsAtMs: 1900 });
    addFakeMovellaDot(noble, { address: "d4:22:00:00:00:03", appearsAtMs: 2100 });
    let doneAt = -1;
    const result = scan({ seconds: 2, noble, scheduler }).then((f) => ((doneAt = scheduler.nowMs()), f));
    await scheduler.advanceBy(5000);
    expect(doneAt).toBe(2000);
    expect((await result).map((f) => f.address)).toEqual(["c8:a1:00:00:00:01"]);
  });

  it("adapter off -> the adapter-off BleError, no scan started", async () => {
    const scheduler = new FakeScheduler();
    const noble = new FakeNoble(scheduler, { state: "poweredOff" });
    await expect(scan({ seconds: 1, noble, scheduler })).rejects.toMatchObject({ name: "BleError", code: "adapter-off" });
    expect(noble.scanStarts).toBe(0);
  });

  it("no adapter on this machine's kind of failure, through the injected importer", async () => {
    const importer = () => Promise.reject(Object.assign(new Error("EAFNOSUPPORT, Address family not supported by protocol"), { code: "EAFNOSUPPORT" }));
    await expect(scan({ seconds: 1, importer, scheduler: new FakeScheduler() })).rejects.toMatchObject({ code: "no-adapter" });
  });
});

describe("FoundSensorList", () => {
  it("takes a local name that arrives after the first advertisement (scan response)", async () => {
    const { FoundSensorList } = await import("./found-sensors.js");
    const { noble } = setup();
    const p = addFakeMovellaDot(noble, { address: "d4:22:00:00:00:09", localName: "", manufacturerData: Uint8Array.of(0x86, 0x08) });
    const list = new FoundSensorList();
    expect(list.add(p)?.name).toBe("");
    expect(list.add(p)).toBeUndefined(); // nothing new
    p.advertisement.localName = "Movella DOT";
    expect(list.add(p)?.name).toBe("Movella DOT");
    p.advertisement.localName = "";
    list.add(p);
    expect(list.list()[0].name).toBe("Movella DOT"); // a nameless advertisement does not erase it
  });
});

import { describe, expect, it } from "vitest";
import type { SourceEvent } from "@spinewatch/protocol";
import type { BleSource } from "./ble-source.js";
import { createBleSource, type BleSourceOptions } from "./connect-sensors.js";
import { addFakeMovellaDot, addFakeWitMotion } from "./testing/fake-devices.js";
import { FakeNoble, type FakeGattOp } from "./testing/fake-noble.js";
import { FakeScheduler } from "./testing/fake-scheduler.js";
import { loadBleFixture } from "./testing/ble-fixtures.js";

const WIT = "c8:a1:00:00:00:01";
const DOT = "d4:22:00:00:00:02";
const WIT_CMD = "0000ffe900001000800000805f9a34fb";
const WIT_DATA = "0000ffe400001000800000805f9a34fb";
const dot = (short: string) => `1517${short}494711e98646d663bd873d93`;

function rig(options: { witAt?: number; dotAt?: number; fixture?: boolean } = {}) {
  const scheduler = new FakeScheduler(1000);
  const noble = new FakeNoble(scheduler);
  const fx = options.fixture ? loadBleFixture("two-sensor-packets.ndjson") : undefined;
  const wit = addFakeWitMotion(noble, {
    address: WIT,
    appearsAtMs: options.witAt,
    ...(fx ? { rateHz: 50, notifications: fx.packets.sacrum, intervalMs: 40 } : {}),
  });
  const dotP =
    options.dotAt === Infinity
      ? undefined
      : addFakeMovellaDot(noble, { address: DOT, appearsAtMs: options.dotAt, ...(fx ? { notifications: fx.packets.thoracic, intervalMs: 1000 / 60 } : {}) });
  return { scheduler, noble, wit, dot: dotP, fx };
}

async function open(r: ReturnType<typeof rig>, extra: Partial<BleSourceOptions> = {}): Promise<BleSource> {
  let source: BleSource | undefined;
  let error: unknown;
  createBleSource({ sacrum: "wt901ble68", thoracic: DOT.toUpperCase(), noble: r.noble, scheduler: r.scheduler, ...extra }).then(
    (s) => (source = s),
    (e: unknown) => (error = e),
  );
  await r.scheduler.runUntil(() => source !== undefined || error !== undefined);
  if (error) throw error;
  return source!;
}

function collect(source: BleSource) {
  const events: SourceEvent[] = [];
  const sub = source.events().subscribe({ next: (e) => events.push(e) });
  return { events, sub };
}

const ops = (log: FakeGattOp[], address: string) => log.filter((o) => o.address === address);
const statuses = (events: SourceEvent[], sensorId: string) =>
  events.filter((e): e is Extract<SourceEvent, { type: "status" }> => e.type === "status" && e.sensorId === sensorId);
const packets = (events: SourceEvent[], sensorId: string) =>
  events.filter((e): e is Extract<SourceEvent, { type: "packet" }> => e.type === "packet" && e.sensorId === sensorId);

describe("createBleSource: finding the two sensors", () => {
  it("matches the sacrum by name (case-insensitive) and the thorax by address; info lists both", async () => {
    const r = rig();
    const source = await open(r);
    expect(source.kind).toBe("ble");
    expect(source.info.sensors).toEqual([
      { id: "sacrum", role: "sacrum", device: "witmotion-wt901ble", rateHz: 100, mount: { up: "+x", out: "+z" }, deviceOptions: { axisMode: 6, rateHz: 100 }, name: `WT901BLE68 ${WIT}` },
      { id: "thoracic", role: "thoracolumbar", device: "movella-dot", rateHz: 60, mount: { up: "+x", out: "+z" }, deviceOptions: { payloadMode: 26, rateHz: 60 }, name: `Movella DOT ${DOT}` },
    ]);
    // Matched by name: 1.5 s more scanning for a namesake, then scanning stops before connecting.
    expect(r.scheduler.nowMs()).toBe(1000 + 1500);
    expect(r.noble.scanning).toBe(false);
  });

  it("a sensor that never appears: a one-line not-found error after exactly N s of fake time", async () => {
    const r = rig({ dotAt: Infinity });
    const start = r.scheduler.nowMs();
    const err = await open(r, { findTimeoutS: 5 }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: "BleError",
      code: "not-found",
      message: `sensor not found within 5 s: thoracic '${DOT.toUpperCase()}' (supported sensors seen: WT901BLE68 ${WIT})`,
    });
    expect(r.scheduler.nowMs() - start).toBe(5000);
    expect(r.noble.scanning).toBe(false);
  });

  it("a sensor appearing late is still found within the window", async () => {
    const r = rig({ dotAt: 4000 });
    const source = await open(r, { findTimeoutS: 5, sacrum: WIT });
    expect(source.sensors.map((s) => s.found.address)).toEqual([WIT, DOT]);
    expect(r.scheduler.nowMs()).toBe(4000); // both by address: no settle wait
  });

  it("adapter off: the adapter-off BleError before any scanning", async () => {
    const scheduler = new FakeScheduler();
    const noble = new FakeNoble(scheduler, { state: "poweredOff" });
    await expect(createBleSource({ sacrum: "a", thoracic: "b", noble, scheduler })).rejects.toMatchObject({ code: "adapter-off" });
    expect(noble.scanStarts).toBe(0);
  });

  it("role mistakes are one-line BleErrors: missing, same sensor twice, ambiguous name", async () => {
    const r = rig();
    await expect(createBleSource({ sacrum: "x", noble: r.noble, scheduler: r.scheduler })).rejects.toMatchObject({ code: "roles", message: expect.stringContaining("--thoracic") });
    await expect(open(rig(), { sacrum: WIT, thoracic: "WT901BLE68" })).rejects.toMatchObject({ code: "roles", message: expect.stringContaining("are the same sensor") });
    const twins = rig();
    addFakeWitMotion(twins.noble, { address: "c8:a1:00:00:00:09", appearsAtMs: 1800 }); // appears during the settle wait
    await expect(open(twins, { thoracic: DOT })).rejects.toMatchObject({ code: "roles", message: expect.stringContaining("matches 2 sensors") });
  });
});

describe("BleSource: setup, streaming, reconnect", () => {
  it("Movella DOT: rate, battery, subscribe to the payload BEFORE the start write; connection parameters requested", async () => {
    const r = rig();
    const source = await open(r);
    const { sub } = collect(source);
    await r.scheduler.advanceBy(500);
    const dotOps = ops(r.noble.log, DOT).map((o) => (o.op === "write" ? `write ${o.char.slice(4, 8)} ${o.hex}` : o.op === "subscribe" ? `subscribe ${o.char.slice(4, 8)}` : o.op));
    const rate = "10" + "00".repeat(23) + "3c00" + "00".repeat(6); // visit bit 0x10, 60 Hz at offset 24 (BLE-PROTOCOLS.md §2.6)
    expect(dotOps).toEqual(["connect", "discover", `write 1002 ${rate}`, "subscribe 3001", "subscribe 2002", "write 2001 01011a"]);
    // One fixed interval, 13.75 ms (11 × 1.25 ms), for both sensors: the DOT at 60 Hz and the
    // WitMotion at 100 Hz (4-frame batches, 40 ms) meet its events at finely spread phases.
    for (const address of [DOT, WIT]) {
      expect(r.noble.log.find((o) => o.op === "connect" && o.address === address)).toMatchObject({ parameters: { minInterval: 11, maxInterval: 11, latency: 0, timeout: 200 } });
    }
    sub.unsubscribe();
  });

  it("WitMotion: subscribe, then unlock -> rate -> 6-axis -> save with 100 ms waits, then read 0x72", async () => {
    const r = rig();
    const { sub } = collect(await open(r));
    await r.scheduler.advanceBy(1000);
    const setup = ops(r.noble.log, WIT).filter((o) => o.op !== "write" || !o.hex.startsWith("ffaa2764") && !o.hex.startsWith("ffaa2751"));
    expect(setup.map((o) => (o.op === "write" ? o.hex : o.op))).toEqual(["connect", "discover", "subscribe", "ffaa6988b5", "ffaa030900", "ffaa240100", "ffaa000000", "ffaa277200"]);
    const t = setup.map((o) => o.tMs);
    // Each GATT op answers after 5 ms, then the 100 ms wait (BLE-PROTOCOLS.md §1.5: unlock, 100 ms, write, 100 ms, save).
    expect([t[4] - t[3], t[5] - t[4], t[6] - t[5], t[7] - t[6]]).toEqual([105, 105, 105, 105]);
    expect(setup.filter((o) => o.op === "write").every((o) => o.op === "write" && o.char === WIT_CMD && o.withoutResponse)).toBe(true);
    sub.unsubscribe();
  });

  it("raw notifications arrive as packet events, unchanged and in order, with host time since subscription", async () => {
    const r = rig({ fixture: true });
    const source = await open(r);
    const subscribedAt = r.scheduler.nowMs();
    const { events, sub } = collect(source);
    await r.scheduler.advanceBy(2000);
    for (const [id, interval] of [["sacrum", 40], ["thoracic", 1000 / 60]] as const) {
      // WitMotion battery replies (0x71, polled) interleave with the stream; compare the stream.
      const got = packets(events, id).filter((p) => !(id === "sacrum" && p.bytes[1] === 0x71));
      const want = r.fx!.packets[id];
      expect(got.length).toBeGreaterThan(want.length); // looped past the end of the recording
      got.slice(0, want.length).forEach((p, k) => {
        expect(p.char).toBe(want[k].char);
        expect([...p.bytes]).toEqual([...want[k].bytes]);
      });
      for (let k = 1; k < got.length; k++) expect(got[k].hostTimeMs - got[k - 1].hostTimeMs).toBeCloseTo(interval, 9); // fake time: exact up to float rounding
      expect(got[0].hostTimeMs).toBeGreaterThan(0);
      expect(got.at(-1)!.hostTimeMs).toBeLessThanOrEqual(r.scheduler.nowMs() - subscribedAt);
    }
    expect(statuses(events, "sacrum").map((s) => s.state)).toEqual(["connecting", "streaming"]);
    expect(statuses(events, "thoracic").map((s) => s.state)).toEqual(["connecting", "streaming"]);
    expect(events.filter((e) => e.type === "problem")).toEqual([]);
    sub.unsubscribe();
  });

  it("WitMotion battery is polled every 500 ms and the 0x71 reply is recorded as a packet", async () => {
    const r = rig();
    const { events, sub } = collect(await open(r));
    await r.scheduler.advanceBy(2000);
    const reads = ops(r.noble.log, WIT).filter((o) => o.op === "write" && o.hex === "ffaa276400");
    expect(reads.length).toBeGreaterThanOrEqual(3);
    for (let k = 1; k < reads.length; k++) expect(reads[k].tMs - reads[k - 1].tMs).toBe(500);
    expect(packets(events, "sacrum").some((p) => p.char === WIT_DATA && p.bytes[0] === 0x55 && p.bytes[1] === 0x71 && p.bytes[2] === 0x64)).toBe(true);
    sub.unsubscribe();
  });

  it("a disconnect mid-session: lost, retry after 500 ms, reconnected when the sensor is back, streaming resumes", async () => {
    const r = rig();
    const source = await open(r);
    const t0 = r.scheduler.nowMs();
    const { events, sub } = collect(source);
    await r.scheduler.advanceBy(1000);
    const dropAt = r.scheduler.nowMs();
    r.wit.dropLink(2000);
    await r.scheduler.advanceBy(3000);

    const st = statuses(events, "sacrum");
    expect(st.map((s) => s.state)).toEqual(["connecting", "streaming", "lost", "reconnected"]);
    expect(st[2]).toMatchObject({ hostTimeMs: dropAt - t0, detail: "disconnected (reason 8); retrying in 0.5 s" });
    const connects = ops(r.noble.log, WIT).filter((o) => o.op === "connect");
    expect(connects.map((c) => c.tMs - dropAt).slice(1)).toEqual([500]); // one retry, pending until the sensor is back
    expect(st[3].hostTimeMs).toBe(dropAt + 2000 + 30 - t0); // back after 2 s, 30 ms to connect
    // The whole setup ran again on the new connection.
    expect(ops(r.noble.log, WIT).filter((o) => o.op === "write" && o.hex === "ffaa6988b5")).toHaveLength(2);
    const sacrum = packets(events, "sacrum");
    expect(sacrum.filter((p) => p.hostTimeMs > st[2].hostTimeMs && p.hostTimeMs < st[3].hostTimeMs)).toEqual([]);
    expect(sacrum.filter((p) => p.hostTimeMs > st[3].hostTimeMs + 500).length).toBeGreaterThan(10);
    // The other sensor never noticed.
    expect(statuses(events, "thoracic").map((s) => s.state)).toEqual(["connecting", "streaming"]);
    expect(packets(events, "thoracic").filter((p) => p.hostTimeMs > st[2].hostTimeMs && p.hostTimeMs < st[3].hostTimeMs).length).toBeGreaterThan(100);
    sub.unsubscribe();
  });

  it("backoff on the fake clock: retries at +0.5, +1, +2, +4 s after each timeout, then failed in-band", async () => {
    const r = rig();
    const source = await open(r, { timing: { connectTimeoutMs: 1000, backoff: { initialMs: 500, factor: 2, maxMs: 8000, maxAttempts: 4 } } });
    const { events, sub } = collect(source);
    const phases: string[] = [];
    source.onLinkChange((s) => s.sensorId === "sacrum" && phases.push(s.change.to));
    await r.scheduler.advanceBy(1000);
    const dropAt = r.scheduler.nowMs();
    r.wit.dropLink(); // gone for good
    await r.scheduler.advanceBy(30_000);
    const witOps = ops(r.noble.log, WIT).filter((o) => o.tMs >= dropAt);
    // lost at 0; retry 1 at 500 (times out at 1500), retry 2 at 1500 + 1000, retry 3 at 3500 + 2000, retry 4 at 6500 + 4000.
    expect(witOps.filter((o) => o.op === "connect").map((o) => o.tMs - dropAt)).toEqual([500, 2500, 5500, 10500]);
    expect(witOps.filter((o) => o.op === "cancelConnect").map((o) => o.tMs - dropAt)).toEqual([1500, 3500, 6500, 11500]);
    expect(phases.slice(phases.indexOf("lost"))).toEqual(["lost", "reconnecting", "lost", "reconnecting", "lost", "reconnecting", "lost", "reconnecting", "lost", "failed"]);
    const failed = events.filter((e) => e.type === "problem");
    expect(failed).toEqual([
      { type: "problem", sensorId: "sacrum", hostTimeMs: expect.any(Number), code: "ble-link-failed", message: "sacrum (WT901BLE68): gave up after 4 failed connection attempts; not retrying" },
    ]);
    expect(statuses(events, "sacrum").map((s) => s.state)).toEqual(["connecting", "streaming", "lost"]);
    sub.unsubscribe();
  });

  it("a silent link (no notifications, no disconnect) counts as lost after 5 s, and the reconnect restarts it", async () => {
    const r = rig();
    const source = await open(r);
    const t0 = r.scheduler.nowMs();
    const { events, sub } = collect(source);
    await r.scheduler.advanceBy(1000);
    r.dot!.silence();
    const lastPacket = packets(events, "thoracic").at(-1)!.hostTimeMs;
    await r.scheduler.advanceBy(8000);
    const st = statuses(events, "thoracic");
    expect(st.map((s) => s.state)).toEqual(["connecting", "streaming", "lost", "reconnected"]);
    expect(st[2].detail).toBe("no data for 5 s; retrying in 0.5 s");
    expect(st[2].hostTimeMs - lastPacket).toBe(5000);
    expect(packets(events, "thoracic").at(-1)!.hostTimeMs).toBeGreaterThan(st[3].hostTimeMs);
    expect(r.scheduler.nowMs() - t0).toBe(9000);
    sub.unsubscribe();
  });

  it("unsubscribing stops the DOT (stop write, then unsubscribe) and disconnects both; one subscriber at a time", async () => {
    const r = rig();
    const source = await open(r);
    const { events, sub } = collect(source);
    await r.scheduler.advanceBy(500);
    const errors: unknown[] = [];
    source.events().subscribe({ error: (e) => errors.push(e) });
    expect(errors).toHaveLength(1);
    const stopAt = r.scheduler.nowMs();
    sub.unsubscribe();
    const n = events.length;
    await r.scheduler.advanceBy(1000);
    expect(events.length).toBe(n);
    const after = ops(r.noble.log, DOT).filter((o) => o.tMs >= stopAt).map((o) => (o.op === "write" ? `write ${o.hex}` : `${o.op}${"char" in o ? " " + o.char.slice(4, 8) : ""}`));
    expect(after).toEqual(["write 01001a", "unsubscribe 2002", "unsubscribe 3001", "disconnect"]);
    expect(r.dot!.streaming).toBe(false);
    expect(r.wit.state).toBe("disconnected");
    expect(r.scheduler.pendingTimers).toBe(0);
    // It can be started again.
    const again = collect(source);
    await r.scheduler.advanceBy(500);
    expect(packets(again.events, "thoracic").length).toBeGreaterThan(0);
    again.sub.unsubscribe();
  });

  it("runs on a protocol Clock too (the gateway passes `clock`, not a scheduler)", async () => {
    const r = rig();
    let source: BleSource | undefined;
    void createBleSource({ sacrum: WIT, thoracic: DOT, noble: r.noble, clock: r.scheduler }).then((s) => (source = s));
    await r.scheduler.runUntil(() => source !== undefined);
    const t0 = r.scheduler.nowMs();
    const { events, sub } = collect(source!);
    await r.scheduler.advanceBy(1000);
    const dot = packets(events, "thoracic");
    expect(dot.length).toBeGreaterThan(40);
    expect(dot.at(-1)!.hostTimeMs).toBeLessThanOrEqual(r.scheduler.nowMs() - t0);
    expect(statuses(events, "sacrum").map((s) => s.state)).toEqual(["connecting", "streaming"]);
    sub.unsubscribe();
  });

  it("emits stamps while nothing arrives", async () => {
    const r = rig();
    const source = await open(r);
    const { events, sub } = collect(source);
    r.wit.dropLink();
    r.dot!.dropLink();
    await r.scheduler.advanceBy(1000);
    const stamps = events.filter((e) => e.type === "stamp").map((e) => e.hostTimeMs);
    // Both links report lost at 30 ms (the fake fails a connect begun in range), so the first
    // 250 ms tick is too soon after it; from then on nothing arrives.
    expect(stamps).toEqual([500, 750, 1000]);
    sub.unsubscribe();
  });
});

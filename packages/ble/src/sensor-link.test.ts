import { getDeviceModule, WIT_DATA_CHAR_UUID, WIT_SERVICE_UUID } from "@spinewatch/devices";
import { describe, expect, it } from "vitest";
import { connectParametersFor, DEFAULT_CONNECT_PARAMETERS, SensorLink, type PhaseChange } from "./sensor-link.js";
import { addFakeWitMotion } from "./testing/fake-devices.js";
import { FakeNoble, type FakePeripheral } from "./testing/fake-noble.js";
import { FakeScheduler } from "./testing/fake-scheduler.js";

function linkFor(p: FakePeripheral, scheduler: FakeScheduler, maxAttempts = 3) {
  const changes: PhaseChange[] = [];
  const problems: string[] = [];
  const link = new SensorLink({
    label: "sacrum (test)",
    peripheral: p,
    module: getDeviceModule("witmotion-wt901ble"),
    deviceOptions: { rateHz: 100 },
    scheduler,
    timing: { backoff: { initialMs: 500, factor: 2, maxMs: 8000, maxAttempts } },
    onPacket: () => undefined,
    onPhase: (c) => changes.push(c),
    onProblem: (code, message) => problems.push(`${code}: ${message}`),
  });
  return { link, changes, problems };
}

/** stop() runs GATT teardown on fake time: let the clock run while it does. */
async function stopOnFakeTime(link: SensorLink, scheduler: FakeScheduler): Promise<void> {
  let done = false;
  void link.stop().then(() => (done = true));
  await scheduler.runUntil(() => done);
}

describe("SensorLink failures during setup", () => {
  it("a missing command characteristic: setup fails naming the step, retried, then failed", async () => {
    const scheduler = new FakeScheduler();
    const noble = new FakeNoble(scheduler);
    const p = noble.addPeripheral({
      address: "c8:a1:00:00:00:01",
      localName: "WT901BLE68",
      services: [{ uuid: WIT_SERVICE_UUID, characteristics: [{ uuid: WIT_DATA_CHAR_UUID, properties: ["notify"] }] }],
    });
    const { link, changes } = linkFor(p, scheduler);
    link.start();
    await scheduler.runUntil(() => link.phase === "failed");
    expect(changes.map((c) => c.to)).toEqual(["connecting", "configuring", "lost", "reconnecting", "configuring", "lost", "reconnecting", "configuring", "lost", "failed"]);
    expect(changes[2].detail).toBe(
      "setup failed: sacrum (test): step 2 (write ffaa6988b5 to 0000ffe900001000800000805f9a34fb (unlock configuration)): the sensor has no characteristic 0000ffe900001000800000805f9a34fb",
    );
    expect(changes.filter((c) => c.to === "lost").map((c) => c.failures)).toEqual([1, 2, 3]);
    // Our side dropped each half-configured connection before retrying.
    expect(noble.log.filter((o) => o.op === "disconnect")).toHaveLength(3);
    await stopOnFakeTime(link, scheduler);
    expect(link.phase).toBe("idle");
  });

  it("a GATT operation that never answers times out after 5 s instead of hanging", async () => {
    const scheduler = new FakeScheduler();
    const noble = new FakeNoble(scheduler);
    const p = addFakeWitMotion(noble, { address: "c8:a1:00:00:00:01", gattDelayMs: 60_000 });
    const { link, changes } = linkFor(p, scheduler);
    link.start();
    await scheduler.runUntil(() => link.phase === "lost");
    expect(changes.at(-1)!.detail).toBe("setup failed: service discovery timed out after 5 s");
    expect(scheduler.nowMs()).toBe(30 + 5000);
    await stopOnFakeTime(link, scheduler);
  });

  it("a failed link can be started again, with a fresh attempt count", async () => {
    const scheduler = new FakeScheduler();
    const noble = new FakeNoble(scheduler);
    const p = addFakeWitMotion(noble, { address: "c8:a1:00:00:00:01" });
    p.dropLink();
    const { link, changes } = linkFor(p, scheduler, 2);
    link.start();
    await scheduler.runUntil(() => link.phase === "failed");
    p.comeBack();
    link.start();
    await scheduler.runUntil(() => link.phase === "streaming");
    expect(changes.slice(-3).map((c) => [c.from, c.to, c.failures])).toEqual([
      ["failed", "connecting", 0],
      ["connecting", "configuring", 0],
      ["configuring", "streaming", 0],
    ]);
    await stopOnFakeTime(link, scheduler);
    expect(scheduler.pendingTimers).toBe(0);
  });
});

describe("SensorLink defaults", () => {
  it("a sensor switched off for good is retried for 155.5 s (10 attempts, 10 s connect timeout, backoff to 8 s), then failed", async () => {
    const scheduler = new FakeScheduler();
    const noble = new FakeNoble(scheduler);
    const p = addFakeWitMotion(noble, { address: "c8:a1:00:00:00:01" });
    const changes: PhaseChange[] = [];
    const link = new SensorLink({
      label: "sacrum",
      peripheral: p,
      module: getDeviceModule("witmotion-wt901ble"),
      deviceOptions: {},
      scheduler,
      onPacket: () => undefined,
      onPhase: (c) => changes.push(c),
      onProblem: () => undefined,
    });
    link.start();
    await scheduler.runUntil(() => link.phase === "streaming");
    const lostAt = scheduler.nowMs();
    p.dropLink();
    await scheduler.runUntil(() => link.phase === "failed", 300_000);
    expect(scheduler.nowMs() - lostAt).toBe(155_500);
    expect(noble.log.filter((o) => o.op === "connect" && o.tMs > lostAt)).toHaveLength(10);
    expect(changes.at(-1)).toMatchObject({ to: "failed", failures: 10, detail: "gave up after 10 failed connection attempts" });
  });

  it("asks for one fixed interval when the notification period is known, the 7.5-15 ms range when not", () => {
    const wit = getDeviceModule("witmotion-wt901ble");
    // 100 Hz in 4-frame batches: 40 ms; 13.75 ms (11 units) meets it at phases 1.25 ms apart.
    expect(connectParametersFor(wit, { rateHz: 100 })).toEqual({ minInterval: 11, maxInterval: 11, latency: 0, timeout: 200 });
    // No rate: the device streams at whatever it has stored.
    expect(connectParametersFor(wit, {})).toEqual(DEFAULT_CONNECT_PARAMETERS);
    expect(connectParametersFor(getDeviceModule("nordic-thingy52"), { rateHz: 100 })).toEqual(DEFAULT_CONNECT_PARAMETERS);
  });
});

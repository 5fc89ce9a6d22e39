import { describe, expect, it } from "vitest";
import { getDeviceModule } from "@spinewatch/devices";
import { spinePipeline, type PipelineOutput } from "@spinewatch/pipeline";
import { createBleSource, type BleSource } from "@spinewatch/ble";
import { addFakeWitMotion, FakeNoble, FakeScheduler, type FakeNotification } from "@spinewatch/ble/testing";

/** A WitMotion standing still with its x axis up (the default mount's `up`): 1 s of notifications, looped by the fake. */
function standingStill(rateHz: number): FakeNotification[] {
  const enc = getDeviceModule("witmotion-wt901ble").createEncoder({ rateHz });
  const out: FakeNotification[] = [];
  for (let k = 0; k < rateHz; k++) out.push(...enc.push({ accMps2: [9.80665, 0, 0], gyrDps: [0, 0, 0], eulerDeg: [0, 90, 0] }));
  return [...out, ...enc.flush()];
}

describe("BLE source -> pipeline (fake noble, fake time)", () => {
  it("decodes both sensors' raw packets, calibrates on quiet standing, reports a reconnect", async () => {
    const scheduler = new FakeScheduler();
    const noble = new FakeNoble(scheduler);
    const notifications = standingStill(100);
    addFakeWitMotion(noble, { address: "c8:a1:00:00:00:01", notifications });
    const thorax = addFakeWitMotion(noble, { address: "c8:a1:00:00:00:02", notifications });
    let source: BleSource | undefined;
    void createBleSource({ sacrum: "c8:a1:00:00:00:01", thoracic: "c8:a1:00:00:00:02", noble, scheduler }).then((s) => (source = s));
    await scheduler.runUntil(() => source !== undefined);

    const outs: PipelineOutput[] = [];
    const sub = source!.events().pipe(spinePipeline(source!.info)).subscribe({ next: (o) => outs.push(o) });
    await scheduler.advanceBy(6000);
    thorax.dropLink(1000);
    await scheduler.advanceBy(4000);
    sub.unsubscribe();

    const frames = outs.flatMap((o) => (o.type === "frame" ? [o.frame] : []));
    expect(frames.length).toBeGreaterThan(300);
    // Both sensors still and upright: every angle within 1° of neutral.
    for (const f of frames) {
      expect(Math.abs(f.flexionDeg)).toBeLessThan(1);
      expect(Math.abs(f.lateralBendDeg)).toBeLessThan(1);
    }
    const states = outs.flatMap((o) => (o.type === "event" && o.event.kind === "sensor-state" ? [`${o.event.sensor} ${o.event.state}`] : []));
    expect(states).toEqual(expect.arrayContaining(["thoracic lost", "thoracic reconnected"]));
    expect(states.indexOf("thoracic lost")).toBeLessThan(states.indexOf("thoracic reconnected"));
    const lastSensors = outs.filter((o) => o.type === "sensors").at(-1);
    expect(lastSensors?.type === "sensors" && lastSensors.sensors.map((s) => [s.id, s.badPackets ?? 0])).toEqual([
      ["sacrum", 0],
      ["thoracic", 0],
    ]);
    expect(outs.filter((o) => o.type === "problem").map((o) => o.type === "problem" && o.problem.code)).not.toContain("unknown-sensor");
  });

  it("a measured latency (deviceOptions.transportLatencyMs, serve --latency-ms) reaches the session header", async () => {
    const scheduler = new FakeScheduler();
    const noble = new FakeNoble(scheduler);
    const notifications = standingStill(100);
    addFakeWitMotion(noble, { address: "c8:a1:00:00:00:01", notifications });
    addFakeWitMotion(noble, { address: "c8:a1:00:00:00:02", notifications });
    const latency = { transportLatencyMs: 12.5 };
    let source: BleSource | undefined;
    void createBleSource({ sacrum: "c8:a1:00:00:00:01", thoracic: "c8:a1:00:00:00:02", noble, scheduler, deviceOptions: { sacrum: latency, thoracic: latency } }).then((s) => (source = s));
    await scheduler.runUntil(() => source !== undefined);
    expect(source!.info.sensors.map((s) => s.deviceOptions?.transportLatencyMs)).toEqual([12.5, 12.5]);
  });
});

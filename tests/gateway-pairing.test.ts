/**
 * issue 6: `serve --source ble` without --sacrum/--thoracic: the dashboard lists the sensors
 * found (pairing messages, and in the snapshot) and assigns the roles (assign-roles), which
 * starts the session on those sensors. A fake noble on fake time stands in for the adapter;
 * the gateway, its WebSocket and recording are real.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ServerMessage, Snapshot } from "@spinewatch/protocol";
import { getDeviceModule } from "@spinewatch/devices";
import { addFakeWitMotion, FakeNoble, FakeScheduler, type FakeNotification } from "@spinewatch/ble/testing";
import type { RunningGateway } from "@spinewatch/gateway";
import { startProbedGateway, type ProbedGateway, type WsProbe } from "./gateway-helpers.js";

/** A WitMotion standing still, x axis up (the default mount): 1 s of notifications, looped by the fake. */
function standingStill(rateHz: number): FakeNotification[] {
  const enc = getDeviceModule("witmotion-wt901ble").createEncoder({ rateHz });
  const out: FakeNotification[] = [];
  for (let k = 0; k < rateHz; k++) out.push(...enc.push({ accMps2: [9.80665, 0, 0], gyrDps: [0, 0, 0], eulerDeg: [0, 90, 0] }));
  return [...out, ...enc.flush()];
}

type Pairing = Extract<ServerMessage, { type: "pairing" }>;
type Frames = Extract<ServerMessage, { type: "frames" }>;

let running: ProbedGateway;
let dir: string;
let gw: RunningGateway;
let probe: WsProbe;
const scheduler = new FakeScheduler();
const noble = new FakeNoble(scheduler);

beforeAll(async () => {
  const notifications = standingStill(100);
  addFakeWitMotion(noble, { address: "c8:a1:00:00:00:01", rssi: -60, notifications });
  addFakeWitMotion(noble, { address: "c8:a1:00:00:00:02", rssi: -50, appearsAtMs: 1000, notifications });
  running = await startProbedGateway("sw-pairing-", () => ({ source: { kind: "ble" }, record: true, ble: { noble, scheduler } }));
  ({ dir, gw, probe } = running);
}, 60_000);

afterAll(async () => {
  await running?.close();
});

describe("gateway: pairing from the dashboard", () => {
  it("lists the sensors found, refuses commands and unknown sensors until paired, then streams the assigned pair", async () => {
    const first = await probe.waitFor<Snapshot>((m) => m.type === "snapshot");
    expect(first.source.kind).toBe("ble");
    expect(first.sensors).toEqual([]);
    expect(first.pairing?.required).toBe(true);
    expect(first.recording.active).toBe(false);
    expect(noble.scanning).toBe(true);

    const both = probe.next<Pairing>((m) => m.type === "pairing" && m.found.length === 2);
    await scheduler.advanceBy(1500);
    expect((await both).found).toEqual([
      { address: "c8:a1:00:00:00:02", name: "WT901BLE68", model: "WitMotion WT901BLE", rssiDbm: -50 },
      { address: "c8:a1:00:00:00:01", name: "WT901BLE68", model: "WitMotion WT901BLE", rssiDbm: -60 },
    ]);
    expect((await probe.request({ type: "calibrate-neutral" })) as object).toMatchObject({ type: "error", code: "failed", message: expect.stringContaining("assign-roles") });
    expect((await probe.request({ type: "assign-roles", sacrum: "c8:a1:00:00:00:09", thoracolumbar: "c8:a1:00:00:00:02" })) as object).toMatchObject({
      type: "error",
      code: "bad-field",
      message: expect.stringContaining("sacrum 'c8:a1:00:00:00:09'"),
    });
    expect(noble.scanning).toBe(true);

    const paired = probe.next<Pairing>((m) => m.type === "pairing" && !m.required);
    const snapshot = probe.next<Snapshot>((m) => m.type === "snapshot");
    const ack = await probe.request({ type: "assign-roles", sacrum: "c8:a1:00:00:00:01", thoracolumbar: "c8:a1:00:00:00:02" });
    expect(ack).toMatchObject({ type: "ack", result: { sensors: [{ id: "sacrum", role: "sacrum" }, { id: "thoracic", role: "thoracolumbar" }] } });
    expect(noble.scanning).toBe(false);
    expect((await paired).found).toHaveLength(2);
    const snap = await snapshot;
    expect(snap.pairing?.required).toBe(false);
    expect(snap.sensors.map((s) => [s.id, s.role, s.device])).toEqual([
      ["sacrum", "sacrum", "witmotion-wt901ble"],
      ["thoracic", "thoracolumbar", "witmotion-wt901ble"],
    ]);
    expect(snap.recording.active).toBe(true);
    expect(await probe.request({ type: "assign-roles", sacrum: "a", thoracolumbar: "b" })).toMatchObject({ type: "error", code: "unsupported" });

    // Standing still: the quiet-standing rule calibrates and frames flow.
    const frames = probe.next<Frames>((m) => m.type === "frames" && m.frames.length > 0, 30_000);
    await scheduler.advanceBy(8000);
    const f = (await frames).frames[0];
    // Both sensors upright and still: neutral within 1°.
    expect(Math.abs(f.flexionDeg)).toBeLessThan(1);

    const recording = gw.gateway.recordingPath!;
    await gw.close();
    const files = await readdir(join(dir, "sessions"));
    expect(files.some((n) => recording.endsWith(n))).toBe(true);
    const lines = (await readFile(recording, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { type: string });
    expect(lines[0].type).toBe("header");
    expect(lines.filter((l) => l.type === "packet").length).toBeGreaterThan(100);
  }, 60_000);
});

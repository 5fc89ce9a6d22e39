/**
 * Commands are stamped with the latest host time; after a replay seek backwards that time must
 * be the new position, not the later pre-seek one (else a calibration would cover samples that
 * never come).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolve } from "node:path";
import type { MovementEvent, ServerMessage } from "@spinewatch/protocol";
import { startProbedGateway, type ProbedGateway, type WsProbe } from "./gateway-helpers.js";

const FIXTURE = resolve(import.meta.dirname, "../fixtures/sim/hip-hinge-holds.generic.ndjson.gz");
let running: ProbedGateway;
let probe: WsProbe;

beforeAll(async () => {
  running = await startProbedGateway("sw-seek-", () => ({ source: { kind: "replay", file: FIXTURE, rate: 8 } }));
  probe = running.probe;
}, 60_000);

afterAll(async () => {
  await running?.close();
});

type Frames = Extract<ServerMessage, { type: "frames" }>;
type Events = Extract<ServerMessage, { type: "events" }>;

describe("gateway: commands after a backward seek", () => {
  it("stamps calibrate-neutral at the new position, and the calibration covers it", async () => {
    await probe.waitFor<Frames>((m) => m.type === "frames" && m.frames.some((f) => f.tMs > 8000), 30_000);
    await probe.request({ type: "replay-pause" });
    const before = running.gw.gateway.session!.lastHostMs;
    expect(before).toBeGreaterThan(8000);

    const seek = await probe.request({ type: "replay-seek", tMs: 1000 });
    expect(seek).toMatchObject({ type: "ack", result: { positionMs: 1000 } });
    // The fixture stands still from 0.5 s to 4 s (its own calibrate-bend starts at 4 s).
    const ack = await probe.request({ type: "calibrate-neutral", durationMs: 2000 });
    expect(ack.type).toBe("ack");
    // Paused: nothing arrived since the seek, so the stamp is exactly the position (tolerance 0).
    expect((ack as { result: { tMs: number } }).result.tMs).toBe(1000);

    const calibrated = probe.next<Events>((m) => m.type === "events" && m.events.some((e) => e.kind === "calibration"), 30_000);
    await probe.request({ type: "replay-resume" });
    const ev = (await calibrated).events.find((e) => e.kind === "calibration") as Extract<MovementEvent, { kind: "calibration" }>;
    expect(ev.calibration.refused).toBeUndefined();
    // The window [1000, 3000] ms; tolerance 1 s for where the calibration is dated within it.
    expect(ev.calibration.tMs).toBeGreaterThanOrEqual(1000);
    expect(ev.calibration.tMs).toBeLessThanOrEqual(4000);
  }, 60_000);
});

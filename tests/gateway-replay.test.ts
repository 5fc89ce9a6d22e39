/**
 * The gateway replaying a recording (issue 5): replay controls with acks, a seek restarting
 * the analysis with a fresh snapshot for everyone, and a past session replayed by name.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { ReplayState, ServerMessage, Snapshot } from "@spinewatch/protocol";
import { writeSimulation } from "@spinewatch/gateway";
import { startProbedGateway, type ProbedGateway, type WsProbe } from "./gateway-helpers.js";

let running: ProbedGateway;
let probe: WsProbe;

beforeAll(async () => {
  running = await startProbedGateway("sw-replay-", async (d) => {
    const file = join(d, "holds.ndjson");
    await writeSimulation(file, { scenario: "hip-hinge-holds", durationS: 30, seed: 2 });
    await mkdir(join(d, "sessions"));
    await copyFile(file, join(d, "sessions", "2026-11-20T09-00-00-sim.ndjson"));
    return { source: { kind: "replay", file, rate: 2 } };
  });
  probe = running.probe;
}, 60_000);

afterAll(async () => {
  await running?.close();
});

const state = (m: ServerMessage) => (m as { result: ReplayState }).result;

describe("gateway: replay", () => {
  it("describes the replay in the snapshot and obeys pause, rate, seek and resume", async () => {
    const snap = await probe.waitFor<Snapshot>((m) => m.type === "snapshot");
    expect(snap.source.kind).toBe("replay");
    expect(snap.source.replay).toMatchObject({ paused: false, rate: 2 });
    // 30 s of recording (tolerance 1 s: the last packet's host time).
    expect(Math.abs(snap.source.replay!.durationMs! - 30_000)).toBeLessThan(1000);
    expect(snap.recording.active).toBe(false);

    const paused = await probe.request({ type: "replay-pause" });
    expect(paused.type).toBe("ack");
    expect(state(paused).paused).toBe(true);
    expect(state(await probe.request({ type: "replay-rate", rate: 8 })).rate).toBe(8);
    expect(await probe.request({ type: "replay-rate", rate: 0 })).toMatchObject({ type: "error", code: "bad-field" });

    const fresh = probe.next<Snapshot>((m) => m.type === "snapshot");
    const seek = await probe.request({ type: "replay-seek", tMs: 12_000 });
    expect(state(seek).positionMs).toBe(12_000);
    // Everyone starts over from the new position: the snapshot has no history before it.
    const after = await fresh;
    expect(after.frames).toEqual([]);
    expect(after.reps).toEqual([]);

    expect(state(await probe.request({ type: "replay-resume" })).paused).toBe(false);
    const frames = await probe.next<Extract<ServerMessage, { type: "frames" }>>((m) => m.type === "frames" && m.frames.length > 0, 30_000);
    expect(frames.frames[0].tMs).toBeGreaterThanOrEqual(12_000);
  }, 60_000);

  it("replays a past session by name", async () => {
    expect(await probe.request({ type: "replay-session", session: "nope" })).toMatchObject({ type: "error", code: "not-found" });
    const fresh = probe.next<Snapshot>((m) => m.type === "snapshot");
    expect(await probe.request({ type: "replay-session", session: "2026-11-20T09-00-00-sim" })).toMatchObject({
      type: "ack",
      result: { session: "2026-11-20T09-00-00-sim" },
    });
    const snap = await fresh;
    expect(snap.source).toMatchObject({ kind: "replay", replay: { rate: 1, positionMs: 0 } });
    expect(snap.source.file).toMatch(/2026-11-20T09-00-00-sim\.ndjson$/);
  }, 30_000);
});

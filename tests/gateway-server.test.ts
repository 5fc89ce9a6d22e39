/**
 * The live gateway on a real port with real WebSocket clients (issue 5): snapshot, frames,
 * commands and acks, errors on bad input, the recording and the JSON API, Origin/Host checks.
 * Source: the simulator streaming live in real time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "node:http";
import { openRecording } from "@spinewatch/recording";
import type { AngleFrame, ServerMessage, SessionListEntry, Snapshot } from "@spinewatch/protocol";
import { MAX_CLIENT_MESSAGE_BYTES, WIRE_VERSION } from "@spinewatch/protocol";
import { realClock, startGateway, type RunningGateway } from "@spinewatch/gateway";
import { WsProbe, closed } from "./gateway-helpers.js";

let dir: string;
let gw: RunningGateway;
let wsUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sw-gateway-"));
  // A stand-in dashboard app directory: a built index.html, and a file beside dist/ that must
  // never be served.
  await mkdir(join(dir, "app", "dist", "assets"), { recursive: true });
  await writeFile(join(dir, "app", "dist", "index.html"), "<!doctype html><title>spinewatch test page</title>");
  await writeFile(join(dir, "app", "dist", "assets", "app.js"), "console.log('app')");
  await writeFile(join(dir, "app", "secret.txt"), "do not serve");
  gw = await startGateway({
    dashboardDir: join(dir, "app"),
    source: { kind: "sim", scenario: "kettlebell-swing", seed: 1, durationS: 600 },
    clock: realClock,
    port: 0,
    sessionsDir: dir,
    record: true,
    buildDashboard: false,
  });
  wsUrl = gw.url.replace(/^http/, "ws") + "ws";
});

afterAll(async () => {
  await gw?.close();
  await rm(dir, { recursive: true, force: true });
});

/** GET on the gateway with optional headers; resolves status and body. */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, gw.url), { headers }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("gateway: snapshot and frames", () => {
  it("sends a snapshot first, then batches of angle frames in time order", async () => {
    const probe = await WsProbe.connect(wsUrl);
    const first = await probe.waitFor((m) => true);
    expect(first.type).toBe("snapshot");
    const snap = first as Snapshot;
    expect(snap.version).toBe(WIRE_VERSION);
    expect(snap.source.kind).toBe("sim");
    expect(snap.sensors.map((s) => s.role).sort()).toEqual(["sacrum", "thoracolumbar"]);
    expect(snap.exercise).toBe("kettlebell-swing");
    expect(snap.limits.flexionDeg).toBeGreaterThan(0);
    expect(snap.recording.active).toBe(true);
    expect(snap.tokenRequired).toBe(false);
    expect(Array.isArray(snap.frames)).toBe(true);

    // Frames flow once the simulator's calibration stance has calibrated the pipeline.
    const batches: AngleFrame[][] = [];
    await probe.waitFor((m) => m.type === "frames" && batches.push(m.frames) >= 5, 30_000);
    const all = batches.flat();
    for (let i = 1; i < all.length; i++) expect(all[i].tMs).toBeGreaterThan(all[i - 1].tMs);
    // A batch spans about 20 ms of sample time (tolerance: one frame period of 10 ms each side).
    for (const b of batches.slice(1, -1)) expect(b.at(-1)!.tMs - b[0].tMs).toBeLessThanOrEqual(30);

    // A later client's snapshot carries the recent history.
    const late = await WsProbe.connect(wsUrl);
    const lateSnap = await late.waitFor<Snapshot>((m) => m.type === "snapshot");
    expect(lateSnap.frames.length).toBeGreaterThan(0);
    expect(lateSnap.frames.at(-1)!.tMs).toBeGreaterThanOrEqual(all.at(-1)!.tMs - 1e-9);
    expect(lateSnap.frames.at(-1)!.tMs - lateSnap.frames[0].tMs).toBeLessThanOrEqual(30_000);
    probe.close();
    late.close();
  }, 60_000);
});

describe("gateway: commands", () => {
  it("acks each command with its id and broadcasts the changes", async () => {
    const a = await WsProbe.connect(wsUrl);
    const b = await WsProbe.connect(wsUrl);
    await a.waitFor((m) => m.type === "snapshot");
    await b.waitFor((m) => m.type === "snapshot");

    const limits = await a.request({ type: "set-limits", limits: { flexionDeg: 12 } });
    expect(limits).toMatchObject({ type: "ack", result: { limits: { flexionDeg: 12 } } });
    const seen = await b.waitFor<Extract<ServerMessage, { type: "exercise" }>>((m) => m.type === "exercise" && m.limits.flexionDeg === 12);
    expect(seen.exercise).toBe("kettlebell-swing");

    const ex = await a.request({ type: "set-exercise", exercise: "deadlift" });
    expect(ex).toMatchObject({ type: "ack", result: { exercise: "deadlift" } });
    expect(await a.request({ type: "set-exercise", exercise: "juggling" })).toMatchObject({ type: "error", code: "bad-field" });

    expect(await a.request({ type: "calibrate-neutral" })).toMatchObject({ type: "ack" });
    expect(await a.request({ type: "mark", kind: "note", text: "felt good" })).toMatchObject({ type: "ack" });
    expect(await a.request({ type: "mark", kind: "rpe", value: 7 })).toMatchObject({ type: "ack" });
    expect(await a.request({ type: "mark", kind: "rpe", value: 12 })).toMatchObject({ type: "error", code: "bad-field" });
    expect(await a.request({ type: "mark", kind: "comfort", value: 3 })).toMatchObject({ type: "ack" });

    // The simulator cannot be paused or seeked.
    expect(await a.request({ type: "replay-pause" })).toMatchObject({ type: "error", code: "unsupported" });
    expect(await a.request({ type: "replay-session", session: "../../etc/passwd" })).toMatchObject({ type: "error", code: "not-found" });
    expect(await a.request({ type: "start-recording" })).toMatchObject({ type: "error", code: "failed" });
    a.close();
    b.close();
  }, 30_000);
});

describe("gateway: bad input", () => {
  it("answers malformed, unknown, mistyped and oversized messages with an error and stays up", async () => {
    const p = await WsProbe.connect(wsUrl);
    await p.waitFor((m) => m.type === "snapshot");
    const errorAfter = async (data: string) => {
      const reply = p.next<Extract<ServerMessage, { type: "error" }>>((m) => m.type === "error");
      p.sendRaw(data);
      return reply;
    };
    expect(await errorAfter("{oops")).toMatchObject({ code: "bad-json" });
    expect(await errorAfter(JSON.stringify({ type: "teleport", id: "u1" }))).toMatchObject({
      code: "unknown-type",
      id: "u1",
      message: "unknown command type 'teleport'",
    });
    expect(await errorAfter(JSON.stringify({ type: "replay-seek", id: "w1", tMs: "soon" }))).toMatchObject({
      code: "bad-field",
      id: "w1",
      message: "replay-seek.tMs: expected a finite number, got a string",
    });
    const big = JSON.stringify({ type: "mark", id: "big", kind: "note", text: "x".repeat(MAX_CLIENT_MESSAGE_BYTES + 10) });
    expect(await errorAfter(big)).toMatchObject({ code: "too-large" });

    // Still answering on the same connection.
    expect(await p.request({ type: "mark", kind: "note", text: "still here" })).toMatchObject({ type: "ack" });

    // A frame over the hard cap closes that connection only (1009); the server takes new ones.
    const gone = closed(p.ws);
    p.sendRaw("x".repeat(2 * 1024 * 1024));
    expect(await gone).toBe(1009);
    const again = await WsProbe.connect(wsUrl);
    expect((await again.waitFor((m) => true)).type).toBe("snapshot");
    again.close();
  }, 30_000);
});

describe("gateway: origin, host and paths", () => {
  it("refuses a WebSocket from another site's page and a rebound Host", async () => {
    await expect(WsProbe.connect(wsUrl, { Origin: "http://evil.example" })).rejects.toThrow("HTTP 403");
    await expect(WsProbe.connect(wsUrl, { Host: "evil.example" })).rejects.toThrow("HTTP 403");
    const own = await WsProbe.connect(wsUrl, { Origin: gw.url.replace(/\/$/, "") });
    own.close();
    expect((await get("/api/sessions", { Host: "evil.example" })).status).toBe(403);
  });

  it("lists sessions and refuses names that could leave the sessions directory", async () => {
    const list = await get("/api/sessions");
    expect(list.status).toBe(200);
    const sessions = JSON.parse(list.body) as SessionListEntry[];
    expect(sessions.length).toBe(1);
    expect(sessions[0].name).toMatch(/-sim$/);
    for (const bad of ["..%2F..%2Fetc%2Fpasswd", ".hidden", "a%5Cb", "a%00b"]) {
      expect((await get(`/api/sessions/${bad}/recording`)).status, bad).toBe(400);
    }
    // URL parsing already folds a dot-segment away: it never reaches a session lookup.
    expect((await get("/api/sessions/%2e%2e/recording")).status).toBe(404);
    expect((await get("/api/sessions/no-such-session/summary")).status).toBe(404);
    const dl = await get(`/api/sessions/${sessions[0].name}/recording`);
    expect(dl.status).toBe(200);
    expect(JSON.parse(dl.body.split("\n")[0])).toMatchObject({ type: "header", format: "spinewatch-recording", version: 1 });
    // Static paths cannot climb out of the dashboard either.
    expect(await get("/")).toMatchObject({ status: 200, body: expect.stringContaining("spinewatch test page") });
    expect(await get("/assets/app.js")).toMatchObject({ status: 200, body: "console.log('app')" });
    expect((await get("/assets/missing.js")).status).toBe(404);
    expect((await get("/replay/some-route")).body).toContain("spinewatch test page");
    for (const path of ["/..%2Fsecret.txt", "/%2e%2e/secret.txt", "/../secret.txt", "/assets/..%2F..%2Fsecret.txt", "/..%5Csecret.txt"]) {
      const r = await get(path);
      expect(r.body, path).not.toContain("do not serve");
      expect([400, 403, 404, 200], path).toContain(r.status);
    }
  });
});

describe("gateway: recording", () => {
  it("records packets and the commands as event lines, and writes the summary at the end", async () => {
    const p = await WsProbe.connect(wsUrl);
    await p.waitFor((m) => m.type === "snapshot");
    expect(await p.request({ type: "mark", kind: "note", text: "end of set" })).toMatchObject({ type: "ack" });
    p.close();
    const path = gw.gateway.recordingPath!;
    await gw.close();

    const reader = await openRecording(path);
    const kinds = new Map<string, number>();
    const events: Record<string, unknown>[] = [];
    for await (const { line } of reader) {
      kinds.set(line.type, (kinds.get(line.type) ?? 0) + 1);
      if (line.type === "event") events.push(line);
    }
    expect(reader.problemCount).toBe(0);
    expect((kinds.get("packet") ?? 0) + (kinds.get("sample") ?? 0)).toBeGreaterThan(100);
    expect(events.some((e) => e.kind === "limits" && (e.limits as { flexionDeg: number }).flexionDeg === 12)).toBe(true);
    expect(events.some((e) => e.kind === "exercise" && e.name === "deadlift")).toBe(true);
    expect(events.some((e) => e.kind === "note" && e.text === "end of set")).toBe(true);
    expect(events.some((e) => e.kind === "rpe" && e.value === 7)).toBe(true);
    const summary = JSON.parse(await readFile(path.replace(/\.ndjson$/, ".summary.json"), "utf8"));
    expect(summary).toHaveProperty("durationMs");
    expect(summary).toHaveProperty("reps");
    expect(summary).toHaveProperty("sensors");
  }, 30_000);
});

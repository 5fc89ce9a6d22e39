import { afterEach, describe, expect, it } from "vitest";
import { MAX_CLIENT_BUFFERED_BYTES } from "@spinewatch/protocol";
import { WebSocket, WebSocketServer } from "ws";
import type { AddressInfo } from "node:net";
import { ClientLink } from "./client-link.js";

// A real ws server and client on a loopback port: the client stops reading (its socket is
// paused), so the server-side bufferedAmount grows as the kernel buffers fill.
let wss: WebSocketServer | null = null;
afterEach(() => {
  wss?.close();
  wss = null;
});

async function pair(): Promise<{ server: WebSocket; client: WebSocket }> {
  wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise((r) => wss!.once("listening", r));
  const serverSide = new Promise<WebSocket>((r) => wss!.once("connection", r));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  await new Promise((r) => client.once("open", r));
  return { server: await serverSide, client };
}

describe("ClientLink backpressure", () => {
  it("drops frames for a client that stops reading, counts them, and tells it when it catches up", async () => {
    const { server, client } = await pair();
    const link = new ClientLink(server, true);
    const received: { type: string; frames?: unknown }[] = [];
    client.on("message", (data) => received.push(JSON.parse(String(data))));
    (client as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();

    const batch = JSON.stringify({ type: "frames", frames: [{ tMs: 0, pad: "x".repeat(16 * 1024) }] });
    let sent = 0;
    let dropped = 0;
    // Far more than any kernel socket buffer: the link must start dropping, and the server's
    // buffered amount must stay near the threshold (one batch of slack), never the whole stream.
    for (let i = 0; i < 4000; i++) {
      if (link.sendFrames(batch, 2)) sent++;
      else dropped++;
      if (i % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(dropped).toBeGreaterThan(0);
    expect(link.droppedTotal).toBe(dropped * 2);
    expect(server.bufferedAmount).toBeLessThanOrEqual(MAX_CLIENT_BUFFERED_BYTES + batch.length + 64);

    (client as unknown as { _socket: { resume(): void } })._socket.resume();
    // Once drained, the next batch is preceded by the notice.
    await new Promise<void>((resolve) => {
      const poll = () => (server.bufferedAmount === 0 ? resolve() : setTimeout(poll, 10));
      poll();
    });
    expect(link.sendFrames(batch, 2)).toBe(true);
    await new Promise<void>((resolve) => {
      const poll = () => (received.some((m) => m.type === "dropped") ? resolve() : setTimeout(poll, 10));
      poll();
    });
    const notice = received.find((m) => m.type === "dropped") as unknown as { frames: number; total: number };
    expect(notice).toEqual({ type: "dropped", frames: dropped * 2, total: dropped * 2 });
    expect(sent).toBeGreaterThan(0);
    client.close();
  });
});

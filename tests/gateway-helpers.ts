/** Helpers for the gateway tests: a real `ws` client that collects what the server says. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocket } from "ws";
import type { ServerMessage } from "@spinewatch/protocol";
import { realClock, startGateway, type RunningGateway, type StartGatewayOptions } from "@spinewatch/gateway";

export class WsProbe {
  readonly ws: WebSocket;
  readonly messages: ServerMessage[] = [];
  #waiters: { pred: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  #seq = 0;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data)) as ServerMessage;
      this.messages.push(msg);
      this.#waiters = this.#waiters.filter((w) => (w.pred(msg) ? (w.resolve(msg), false) : true));
    });
  }

  static async connect(url: string, headers: Record<string, string> = {}): Promise<WsProbe> {
    const ws = new WebSocket(url, { headers });
    const probe = new WsProbe(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return probe;
  }

  /** The first message (already received or coming) that matches; rejects after timeoutMs. */
  waitFor<T extends ServerMessage>(pred: (m: ServerMessage) => boolean, timeoutMs = 15_000): Promise<T> {
    const seen = this.messages.find(pred);
    if (seen) return Promise.resolve(seen as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms; got types ${[...new Set(this.messages.map((m) => m.type))].join(",")}`)), timeoutMs);
      this.#waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m as T)) });
    });
  }

  /** The next message from now on that matches (earlier ones are ignored). */
  next<T extends ServerMessage>(pred: (m: ServerMessage) => boolean, timeoutMs = 15_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m as T)) });
    });
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** Sends a command with a fresh id and resolves with its ack or error. */
  async request(cmd: Record<string, unknown>): Promise<Extract<ServerMessage, { type: "ack" | "error" }>> {
    const id = `r${++this.#seq}`;
    this.ws.send(JSON.stringify({ ...cmd, id }));
    return this.waitFor((m) => (m.type === "ack" || m.type === "error") && m.id === id);
  }

  close(): void {
    this.ws.close();
  }
}

/** Resolves when `ws` closes, with the close code. */
export const closed = (ws: WebSocket): Promise<number> => new Promise((r) => ws.once("close", (code) => r(code)));

/** A real gateway on port 0 in a fresh temp dir, with one probe connected to its WebSocket. */
export interface ProbedGateway {
  dir: string;
  gw: RunningGateway;
  probe: WsProbe;
  /** Closes the probe and the gateway and removes the temp dir. */
  close(): Promise<void>;
}

/**
 * Starts a gateway for a test file: temp dir `<prefix>*`, real clock, port 0, sessions in
 * `<dir>/sessions`, no recording and no dashboard build unless `options` (built from the dir,
 * after any files the test puts there) say otherwise.
 */
export async function startProbedGateway(
  prefix: string,
  options: (dir: string) => Promise<Partial<StartGatewayOptions> & Pick<StartGatewayOptions, "source">> | (Partial<StartGatewayOptions> & Pick<StartGatewayOptions, "source">),
): Promise<ProbedGateway> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const gw = await startGateway({ clock: realClock, port: 0, sessionsDir: join(dir, "sessions"), record: false, buildDashboard: false, ...(await options(dir)) });
  const probe = await WsProbe.connect(gw.url.replace(/^http/, "ws") + "ws");
  return {
    dir,
    gw,
    probe,
    async close() {
      probe.close();
      await gw.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

import type { ClientCommand, ServerMessage } from "@spinewatch/protocol";
import { SessionState } from "../state/session-state.js";
import { perfProbe } from "../util/perf-probe.js";

export type LinkPhase = "connecting" | "open" | "reconnecting";

/** A command without its request id (the connection adds one). */
export type CommandBody = ClientCommand extends infer C ? (C extends { id: string } ? Omit<C, "id"> : never) : never;

export type CommandResult = { ok: true; result: unknown } | { ok: false; code: string; message: string };

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 5000;
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The dashboard's one WebSocket to the gateway (docs/PROTOCOL.md): connects to /ws on the page's
 * own host, feeds every message into a SessionState, reconnects with a growing delay when the
 * link drops, and sends commands with request ids answered by `ack` or `error`.
 */
export class GatewayConnection extends EventTarget {
  readonly state = new SessionState();
  phase: LinkPhase = "connecting";
  /** Reconnect attempts since the link was last open. */
  attempts = 0;
  /** Why the last connection closed, for the status line. */
  lastCloseReason = "";
  readonly token: string | null;
  readonly #url: string;
  #ws: WebSocket | null = null;
  #seq = 0;
  readonly #pending = new Map<string, (r: CommandResult) => void>();
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;

  constructor(pageUrl: URL = new URL(location.href)) {
    super();
    this.token = pageUrl.searchParams.get("token");
    const proto = pageUrl.protocol === "https:" ? "wss:" : "ws:";
    this.#url = `${proto}//${pageUrl.host}/ws${this.token ? `?token=${encodeURIComponent(this.token)}` : ""}`;
  }

  start(): void {
    this.#stopped = false;
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#ws?.close();
  }

  /** Sends a command; resolves with its ack or error (or a local error when not connected). */
  request(body: CommandBody): Promise<CommandResult> {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.resolve({ ok: false, code: "offline", message: "not connected to the gateway" });
    const id = `c${++this.#seq}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve({ ok: false, code: "timeout", message: `${body.type}: no answer from the gateway` });
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      ws.send(JSON.stringify({ ...body, id }));
    });
  }

  /** GET on the gateway's JSON API (with the token when the page has one). */
  async api<T>(path: string): Promise<T> {
    const res = await fetch(path, this.token ? { headers: { Authorization: `Bearer ${this.token}` } } : {});
    const body = (await res.json().catch(() => null)) as (T & { error?: string }) | null;
    if (!res.ok) throw new Error(body?.error ?? `${path}: HTTP ${res.status}`);
    return body as T;
  }

  #setPhase(phase: LinkPhase): void {
    this.phase = phase;
    this.dispatchEvent(new Event("link"));
  }

  #open(): void {
    const ws = new WebSocket(this.#url);
    this.#ws = ws;
    ws.onopen = () => {
      this.attempts = 0;
      this.#setPhase("open");
    };
    ws.onmessage = (ev: MessageEvent<string>) => this.#onMessage(ev.data);
    ws.onclose = (ev) => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      for (const resolve of this.#pending.values()) resolve({ ok: false, code: "offline", message: "the connection closed" });
      this.#pending.clear();
      if (this.#stopped) return;
      this.lastCloseReason = ev.reason || (ev.code === 1006 ? "gateway unreachable" : `closed (${ev.code})`);
      this.attempts++;
      this.#setPhase("reconnecting");
      const delayMs = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** Math.min(this.attempts - 1, 4));
      this.#retryTimer = setTimeout(() => this.#open(), delayMs);
    };
  }

  #onMessage(data: string): void {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(data) as ServerMessage;
    } catch {
      console.warn("spinewatch: a message from the gateway was not JSON");
      return;
    }
    if (msg.type === "frames") perfProbe.received(performance.now());
    if (msg.type === "ack" || msg.type === "error") {
      const resolve = msg.id !== undefined ? this.#pending.get(msg.id) : undefined;
      if (resolve) {
        this.#pending.delete(msg.id!);
        resolve(msg.type === "ack" ? { ok: true, result: msg.result } : { ok: false, code: msg.code, message: msg.message });
        return;
      }
      if (msg.type === "error") this.state.problems = [...this.state.problems, { tMs: 0, code: msg.code, message: msg.message }].slice(-5);
      this.state.changed();
      return;
    }
    this.state.apply(msg);
  }
}

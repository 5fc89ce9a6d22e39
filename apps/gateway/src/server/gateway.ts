import type { AngleFrame, Clock, ClientCommand, FoundSensor, MovementEvent, RangeLimits, RecordingState, SensorSource, ServerMessage, SessionSummary, Snapshot } from "@spinewatch/protocol";
import { WIRE_VERSION } from "@spinewatch/protocol";
import type { BleStreamOptions, Pairing } from "@spinewatch/ble";
import type { WebSocket } from "ws";
import { ClientLink } from "./client-link.js";
import { LiveSession, type LiveSessionListener } from "./live-session.js";
import { parseClientCommand } from "./parse-client-command.js";
import { SessionRecorder, writeSummaryFile, summaryPathFor } from "./session-recorder.js";
import { SessionsStore } from "./sessions-store.js";
import { needsPairing, openPairing, openSource, oneLine, type SourceSpec } from "./sources.js";
import { exerciseDefaults } from "./exercise-defaults.js";
import type { AccessPolicy } from "./access.js";

export interface GatewayOptions {
  source: SourceSpec;
  clock: Clock;
  access: AccessPolicy;
  sessions: SessionsStore;
  /** Record every run to the sessions directory (default for sim and ble), or to this file. */
  record: boolean | string;
  exercise?: string;
  /** How often leftover frames of a quiet source are flushed, wall ms. */
  flushIntervalMs?: number;
  /** Where packages/ble gets noble and timers (tests inject a fake noble); default: real noble on `clock`. */
  ble?: BleStreamOptions;
  /** Called with packet-arrival-to-sent latency of each frame batch (benchmarks). */
  onBatchSent?: (latencyMs: number, frames: number) => void;
}

class CommandError extends Error {
  constructor(readonly code: "bad-field" | "unauthorized" | "unsupported" | "not-found" | "failed", message: string) {
    super(message);
  }
}

/**
 * The live gateway: one source through one LiveSession at a time, its recording, and the
 * connected dashboards. Client commands are checked (parse-client-command.ts), then answered
 * with `ack` or `error` carrying their request id.
 */
export class Gateway implements LiveSessionListener {
  readonly #opt: GatewayOptions;
  readonly #clients = new Set<ClientLink>();
  #session: LiveSession | null = null;
  #recorder: SessionRecorder | null = null;
  #flushTimer: NodeJS.Timeout | null = null;
  #closing = false;
  #recorderFailureReported = false;
  /** The dashboard's pairing step (issue 6) while `serve --source ble` waits for roles. */
  #pairing: { pairing: Pairing; record: boolean | string; exercise: string; limits: RangeLimits } | null = null;
  #pairingFound: FoundSensor[] | null = null;
  #lastRecordingPath: string | null = null;

  constructor(options: GatewayOptions) {
    this.#opt = options;
  }

  get clientCount(): number {
    return this.#clients.size;
  }
  get session(): LiveSession | null {
    return this.#session;
  }
  get recordingPath(): string | null {
    return this.#recorder?.path ?? null;
  }
  /** The most recent recording of this gateway, also after it was closed. */
  get lastRecordingPath(): string | null {
    return this.#lastRecordingPath;
  }
  /** Waiting for a client to assign the sensors' roles (serve --source ble without them). */
  get pairingPending(): boolean {
    return this.#pairing !== null;
  }

  async start(): Promise<void> {
    await this.#opt.sessions.ensureDir();
    await this.#startSource(this.#opt.source, this.#opt.record);
    const flushMs = this.#opt.flushIntervalMs ?? 50;
    this.#flushTimer = setInterval(() => {
      this.#session?.flushIfQuiet(flushMs);
      this.#checkRecorder();
    }, flushMs);
    this.#flushTimer.unref();
  }

  /** Ends the session (recording closed, summary written) and disconnects everyone. */
  async stop(): Promise<SessionSummary | null> {
    this.#closing = true;
    if (this.#flushTimer) clearInterval(this.#flushTimer);
    await this.#stopPairing();
    const summary = this.#session ? this.#session.stop() : null;
    await this.#closeRecording(summary);
    for (const c of this.#clients) c.ws.close(1001, "gateway stopping");
    return summary;
  }

  /** Per-client send state (benchmarks, diagnostics). */
  clientStats(): { bufferedBytes: number; droppedFrames: number; authenticated: boolean }[] {
    return [...this.#clients].map((c) => ({ bufferedBytes: c.ws.bufferedAmount, droppedFrames: c.droppedTotal, authenticated: c.authenticated }));
  }

  attach(ws: WebSocket, authenticated: boolean): void {
    const client = new ClientLink(ws, authenticated);
    this.#clients.add(client);
    ws.on("close", () => this.#clients.delete(client));
    ws.on("error", () => this.#clients.delete(client));
    ws.on("message", (data, isBinary) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (isBinary) return client.send({ type: "error", code: "bad-json", message: "binary messages are not accepted; send JSON text" });
      // One command at a time per client, so acks come back in the order the commands went out.
      client.queue = client.queue.then(() => this.#onMessage(client, buf));
    });
    if (this.#session || this.#pairing) client.send(this.#snapshot());
  }

  // LiveSessionListener
  batch(frames: AngleFrame[], events: MovementEvent[], arrivalMs: number): void {
    if (events.length > 0) this.#broadcast({ type: "events", events });
    if (frames.length === 0) return;
    const json = JSON.stringify({ type: "frames", frames });
    for (const c of this.#clients) c.sendFrames(json, frames.length);
    this.#opt.onBatchSent?.(this.#opt.clock.nowMs() - arrivalMs, frames.length);
  }
  message(msg: ServerMessage): void {
    this.#broadcast(msg);
  }
  ended(summary: SessionSummary): void {
    this.#broadcast({ type: "summary", summary });
    // A replay that reached its end: the recording (if any) ends with it.
    if (!this.#closing) void this.#closeRecording(summary);
  }

  #broadcast(msg: ServerMessage): void {
    const json = JSON.stringify(msg);
    for (const c of this.#clients) c.sendRaw(json);
  }

  #snapshot(): ServerMessage {
    const tokenRequired = this.#opt.access.tokenRequired;
    const pairing = this.#pairingFound ? { pairing: { required: this.#pairing !== null, found: this.#pairingFound } } : {};
    if (this.#session) return { ...this.#session.snapshot({ recording: this.#recordingState(), tokenRequired }), ...pairing };
    // Waiting for roles: no sensors or analysis yet, only what the pairing step shows.
    const p = this.#pairing!;
    const snap: Snapshot = {
      type: "snapshot",
      version: WIRE_VERSION,
      source: { kind: "ble" },
      sensors: [],
      calibration: { source: "none" },
      exercise: p.exercise,
      limits: p.limits,
      frames: [],
      reps: [],
      holds: [],
      warnings: [],
      activeWarnings: [],
      recording: this.#recordingState(),
      tokenRequired,
      ...pairing,
    };
    return snap;
  }

  /** Scans until a client assigns the roles; every change of the found list goes to all clients. */
  async #startPairing(record: boolean | string): Promise<void> {
    const pairing = await openPairing(this.#opt.clock, this.#opt.ble);
    const defaults = await exerciseDefaults(this.#opt.exercise);
    this.#pairing = { pairing, record, ...defaults };
    this.#pairingFound = pairing.found.map(wireFound);
    pairing.onFound((found) => {
      this.#pairingFound = found.map(wireFound);
      this.#broadcast({ type: "pairing", required: true, found: this.#pairingFound });
    });
  }

  async #stopPairing(): Promise<void> {
    const p = this.#pairing;
    this.#pairing = null;
    if (p) await p.pairing.stop();
  }

  /** assign-roles: the chosen sensors become the session's source (the recording starts with it). */
  async #assignRoles(sacrum: string, thoracolumbar: string): Promise<unknown> {
    const p = this.#pairing;
    if (!p) throw new CommandError("unsupported", "no pairing is waiting: roles are only assigned when serve --source ble runs without --sacrum and --thoracic");
    let source: SensorSource;
    try {
      source = await p.pairing.assign(sacrum, thoracolumbar);
    } catch (err) {
      throw new CommandError((err as { code?: unknown }).code === "roles" ? "bad-field" : "failed", oneLine(err));
    }
    this.#pairing = null;
    await this.#startSession(source, { kind: "ble" }, p.record);
    this.#broadcast({ type: "pairing", required: false, found: this.#pairingFound ?? [] });
    this.#broadcast({ type: "recording", recording: this.#recordingState() });
    this.#broadcast(this.#snapshot());
    return { sensors: source.info.sensors.map((s) => ({ id: s.id, role: s.role, device: s.device, ...(s.name ? { name: s.name } : {}) })) };
  }

  /** A recording that stopped writing (disk full, ...) is reported once, in-band; the session goes on. */
  #checkRecorder(): void {
    const failure = this.#recorder?.failure;
    if (!failure || this.#recorderFailureReported) return;
    this.#recorderFailureReported = true;
    this.#broadcast({ type: "problem", problem: { tMs: this.#session?.lastHostMs ?? 0, code: "recording-failed", message: `recording stopped: ${failure}` } });
    process.stderr.write(`spinewatch: recording stopped: ${failure}\n`);
  }

  #recordingState(): RecordingState {
    return this.#recorder ? this.#recorder.state : { active: false };
  }

  async #startSource(spec: SourceSpec, record: boolean | string): Promise<void> {
    if (needsPairing(spec)) return this.#startPairing(record);
    const { source, label } = await openSource(spec, this.#opt.clock, this.#opt.ble);
    await this.#startSession(source, label, record);
  }

  async #startSession(source: SensorSource, label: Snapshot["source"], record: boolean | string): Promise<void> {
    const defaults = await exerciseDefaults(this.#opt.exercise ?? source.info.exercise);
    const session = new LiveSession(
      { source, label, exercise: defaults.exercise, limits: source.info.limits ?? defaults.limits, nowMs: () => this.#opt.clock.nowMs() },
      this,
    );
    this.#session = session;
    if (record !== false) await this.#startRecording(typeof record === "string" ? record : null, label.kind);
    session.start();
  }

  async #startRecording(path: string | null, label: string): Promise<void> {
    const session = this.#session!;
    const name = path ? pathStem(path) : await this.#opt.sessions.newName(label);
    const file = path ?? this.#opt.sessions.recordingPath(name);
    const info = session.source.info;
    this.#recorderFailureReported = false;
    this.#recorder = SessionRecorder.start(
      file,
      name,
      { sensors: info.sensors, exercise: session.exercise, limits: session.limits },
      session.lastHostMs,
    );
    this.#lastRecordingPath = file;
    session.setRecorder(this.#recorder);
    this.#broadcast({ type: "recording", recording: this.#recorder.state });
  }

  async #closeRecording(summary: SessionSummary | null): Promise<void> {
    const rec = this.#recorder;
    if (!rec) return;
    this.#recorder = null;
    this.#session?.setRecorder(null);
    await rec.close(summary ?? undefined);
    if (!this.#closing) this.#broadcast({ type: "recording", recording: { ...rec.state, active: false } });
  }

  async #onMessage(client: ClientLink, buf: Buffer): Promise<void> {
    const parsed = parseClientCommand(buf.toString("utf8"), buf.byteLength);
    if (!parsed.ok) {
      client.send({ type: "error", ...(parsed.id !== undefined ? { id: parsed.id } : {}), code: parsed.code, message: parsed.message });
      return;
    }
    const cmd = parsed.command;
    try {
      const result = await this.#run(client, cmd);
      client.send({ type: "ack", id: cmd.id, ...(result !== undefined ? { result } : {}) });
    } catch (err) {
      const code = err instanceof CommandError ? err.code : "failed";
      client.send({ type: "error", id: cmd.id, code, message: `${cmd.type}: ${oneLine(err)}` });
    }
  }

  async #run(client: ClientLink, cmd: ClientCommand): Promise<unknown> {
    if (cmd.type === "hello") {
      if (!this.#opt.access.tokenMatches(cmd.token)) throw new CommandError("unauthorized", "wrong or missing token");
      client.authenticated = true;
      return { tokenRequired: this.#opt.access.tokenRequired };
    }
    if (!client.authenticated) throw new CommandError("unauthorized", "this gateway needs the token: send hello with it, or connect with ?token=");
    if (cmd.type === "assign-roles") return this.#assignRoles(cmd.sacrum, cmd.thoracolumbar);
    const session = this.#session;
    if (!session) throw new CommandError("failed", this.#pairing ? "no session yet: assign the sensors' roles first (assign-roles)" : "no session is running");
    switch (cmd.type) {
      case "calibrate-neutral":
        // CONTRACTS.md §1: standing tall and still over [tMs, tMs + durationMs].
        session.mark({ kind: "calibrate-neutral", durationMs: cmd.durationMs ?? 3000 });
        return { tMs: session.lastHostMs };
      case "calibrate-bend":
        session.mark({ kind: "calibrate-bend", durationMs: cmd.durationMs ?? 6000 });
        return { tMs: session.lastHostMs };
      case "set-exercise": {
        const d = await exerciseDefaults(cmd.exercise, true).catch((err: unknown) => {
          throw new CommandError("bad-field", `exercise: ${oneLine(err)}`);
        });
        session.setExercise(d.exercise, d.limits);
        return { exercise: d.exercise, limits: d.limits };
      }
      case "set-limits": {
        const limits: RangeLimits = { ...session.limits, ...cmd.limits };
        session.setLimits(limits);
        return { limits };
      }
      case "mark":
        if (cmd.kind === "note" && typeof cmd.text !== "string") throw new CommandError("bad-field", "text: a note needs text");
        if (cmd.kind !== "note" && (typeof cmd.value !== "number" || cmd.value < 0 || cmd.value > 10)) {
          throw new CommandError("bad-field", `value: ${cmd.kind} needs a value from 0 to 10`);
        }
        session.mark({ kind: cmd.kind, ...(cmd.text !== undefined ? { text: cmd.text } : {}), ...(cmd.value !== undefined ? { value: cmd.value } : {}) });
        return { tMs: session.lastHostMs };
      case "start-recording":
        if (this.#recorder) throw new CommandError("failed", `already recording (session ${this.#recorder.state.session})`);
        await this.#startRecording(null, session.source.kind);
        return this.#recordingState();
      case "stop-recording": {
        if (!this.#recorder) throw new CommandError("failed", "not recording");
        const state = this.#recorder.state;
        await this.#closeRecording(session.summary());
        return { ...state, active: false };
      }
      case "replay-pause":
      case "replay-resume":
      case "replay-rate":
      case "replay-seek": {
        const replay = session.source.replay;
        if (!replay) throw new CommandError("unsupported", `the ${session.source.kind} source cannot be paused or seeked; only replays can`);
        if (cmd.type === "replay-pause") replay.pause();
        else if (cmd.type === "replay-resume") replay.resume();
        else if (cmd.type === "replay-rate") replay.setRate(cmd.rate);
        else {
          replay.seek(Math.max(0, cmd.tMs));
          session.restartAnalysis(replay.state.positionMs);
          this.#broadcast(this.#snapshot());
        }
        this.#broadcast({ type: "replay", replay: { ...replay.state } });
        return { ...replay.state };
      }
      case "replay-session": {
        const file = await this.#opt.sessions.findRecording(cmd.session);
        if (!file) throw new CommandError("not-found", `no session '${cmd.session.slice(0, 128)}'`);
        if (this.#recorder?.path === file) throw new CommandError("failed", "that session is being recorded now");
        await this.#switchSource({ kind: "replay", file, rate: 1 });
        return { session: cmd.session };
      }
    }
  }

  /** Ends the current session (its recording and summary) and starts another; every client gets a new snapshot. */
  async #switchSource(spec: SourceSpec): Promise<void> {
    const old = this.#session;
    this.#closing = true;
    await this.#stopPairing();
    const summary = old ? old.stop() : null;
    await this.#closeRecording(summary);
    this.#closing = false;
    await this.#startSource(spec, false);
    this.#broadcast({ type: "recording", recording: this.#recordingState() });
    this.#broadcast(this.#snapshot());
  }
}

const wireFound = (f: FoundSensor): FoundSensor => ({ address: f.address, name: f.name, model: f.model, rssiDbm: f.rssiDbm });
const pathStem = (path: string): string => (path.split(/[\\/]/).pop() ?? path).replace(/\.ndjson(\.gz)?$/, "");
export { summaryPathFor, writeSummaryFile };

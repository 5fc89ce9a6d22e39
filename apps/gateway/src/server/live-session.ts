import type {
  AngleFrame,
  CalibrationSummary,
  EventLine,
  HoldSummary,
  MovementEvent,
  RangeAxis,
  RangeLimits,
  RepSummary,
  SensorSource,
  SensorStatus,
  ServerMessage,
  SessionSummary,
  Snapshot,
  SourceEvent,
  Unsubscribable,
  WarningSummary,
} from "@spinewatch/protocol";
import { WIRE_VERSION } from "@spinewatch/protocol";
import { spinePipeline, SummaryCollector, type PipelineOutput } from "@spinewatch/pipeline";
import { Observable, Subject, type Subscription } from "rxjs";
import { FrameRing } from "./frame-ring.js";
import type { SessionRecorder } from "./session-recorder.js";

/** Where a live session's outputs go (the WebSocket hub). */
export interface LiveSessionListener {
  /** A batch of frames and events; `arrivalMs` is the host clock reading when the source event that closed it arrived. */
  batch(frames: AngleFrame[], events: MovementEvent[], arrivalMs: number): void;
  message(msg: ServerMessage): void;
  ended(summary: SessionSummary): void;
}

export interface LiveSessionOptions {
  source: SensorSource;
  label: Snapshot["source"];
  exercise: string;
  limits: RangeLimits;
  /** Monotonic ms, for latency figures only (apps/ may read the clock). */
  nowMs: () => number;
  /** Sample time that one frame batch spans (issue 5: about every 20 ms). */
  batchMs?: number;
}

/**
 * One run of a source through the pipeline (DESIGN.md data flow), with the state a new
 * dashboard needs: sensors, calibration, exercise, limits, the last 30 s of frames, reps,
 * holds and warnings. Commands from clients enter the very same pipeline as `mark`
 * SourceEvents stamped with the latest host time, so live and recorded sessions take one path;
 * they are also written to the recording (via the recorder tap) as event lines.
 */
export class LiveSession {
  readonly #opt: LiveSessionOptions;
  readonly #listener: LiveSessionListener;
  readonly #input = new Subject<SourceEvent>();
  readonly #ring = new FrameRing(30_000);
  readonly #batchMs: number;
  #collector: SummaryCollector;
  #pipelineSub: Subscription | null = null;
  #sourceSub: Unsubscribable | null = null;
  #recorder: SessionRecorder | null = null;
  #lastHostMs = 0;
  #lastArrivalMs = 0;
  #ended = false;

  #sensors: SensorStatus[];
  #calibration: CalibrationSummary = { source: "none" };
  #exercise: string;
  #limits: RangeLimits;
  #reps: RepSummary[] = [];
  #holds: HoldSummary[] = [];
  #warnings: WarningSummary[] = [];
  #activeWarnings = new Map<RangeAxis, MovementEvent>();
  #pendingFrames: AngleFrame[] = [];
  #pendingEvents: MovementEvent[] = [];
  #problems = 0;
  #lastBatchEndMs = -Infinity;

  constructor(options: LiveSessionOptions, listener: LiveSessionListener) {
    this.#opt = options;
    this.#listener = listener;
    this.#batchMs = options.batchMs ?? 20;
    this.#exercise = options.exercise;
    this.#limits = { ...options.limits };
    this.#collector = new SummaryCollector(this.#info());
    this.#sensors = options.source.info.sensors.map((s) => ({
      id: s.id,
      role: s.role,
      device: s.device,
      ...(s.name ? { name: s.name } : {}),
      state: "idle",
      rateHz: 0,
      lossFraction: 0,
      lostPackets: 0,
    }));
  }

  get source(): SensorSource {
    return this.#opt.source;
  }
  get exercise(): string {
    return this.#exercise;
  }
  get limits(): RangeLimits {
    return this.#limits;
  }
  get recorder(): SessionRecorder | null {
    return this.#recorder;
  }
  get lastHostMs(): number {
    return this.#lastHostMs;
  }
  get ended(): boolean {
    return this.#ended;
  }

  /** Starts the pipeline, then the source (cold: subscribing starts it). */
  start(): void {
    this.#startPipeline();
    const events = this.#opt.source.events();
    this.#sourceSub = events.subscribe({
      next: (ev) => this.#fromSource(ev),
      error: (err) => {
        this.#inject({ type: "problem", hostTimeMs: this.#lastHostMs, code: "source-failed", message: err instanceof Error ? err.message : String(err) });
        this.#end();
      },
      complete: () => this.#end(),
    });
  }

  /** Tee: from now on every source event is also written by this recorder (null stops). */
  setRecorder(recorder: SessionRecorder | null): void {
    this.#recorder = recorder;
    if (recorder) {
      // A recording that starts mid-session begins with what the analysis needs to know.
      recorder.write({ type: "mark", hostTimeMs: this.#lastHostMs, event: { type: "event", tMs: 0, kind: "exercise", name: this.#exercise } });
      recorder.write({ type: "mark", hostTimeMs: this.#lastHostMs, event: { type: "event", tMs: 0, kind: "limits", limits: this.#limits } });
    }
  }

  /** A command that changes the analysis or annotates the session: a `mark` at the latest host time. */
  mark(event: Omit<EventLine, "type" | "tMs">): void {
    this.#inject({ type: "mark", hostTimeMs: this.#lastHostMs, event: { type: "event", tMs: this.#lastHostMs, ...event } as EventLine });
  }

  setExercise(exercise: string, limits: RangeLimits): void {
    this.mark({ kind: "exercise", name: exercise });
    this.#exercise = exercise;
    this.#limits = { ...limits };
    this.#listener.message({ type: "exercise", exercise, limits: this.#limits });
  }

  setLimits(limits: RangeLimits): void {
    this.mark({ kind: "limits", limits });
    this.#limits = { ...limits };
    this.#listener.message({ type: "exercise", exercise: this.#exercise, limits: this.#limits });
  }

  /**
   * After a replay seek the timeline jumps: the analysis starts afresh from the new position
   * (calibration comes again from events or the automatic quiet-standing rule). Commands are
   * stamped with the latest host time, so that time jumps to `positionMs` too: after a seek
   * backwards, a calibration must cover the coming samples, not the pre-seek position.
   */
  restartAnalysis(positionMs: number): void {
    this.#lastHostMs = positionMs;
    this.#pipelineSub?.unsubscribe();
    this.#ring.clear();
    this.#reps = [];
    this.#holds = [];
    this.#warnings = [];
    this.#activeWarnings.clear();
    this.#pendingFrames = [];
    this.#pendingEvents = [];
    this.#lastBatchEndMs = -Infinity;
    this.#calibration = { source: "none" };
    this.#collector = new SummaryCollector(this.#info());
    this.#startPipeline();
  }

  snapshot(extra: { recording: Snapshot["recording"]; tokenRequired: boolean }): Snapshot {
    const replay = this.#opt.source.replay?.state;
    return {
      type: "snapshot",
      version: WIRE_VERSION,
      source: { ...this.#opt.label, ...(replay ? { replay: { ...replay } } : {}) },
      sensors: this.#sensors,
      calibration: this.#calibration,
      exercise: this.#exercise,
      limits: this.#limits,
      frames: this.#ring.toArray(),
      reps: this.#reps,
      holds: this.#holds,
      warnings: this.#warnings,
      activeWarnings: [...this.#activeWarnings.values()],
      recording: extra.recording,
      tokenRequired: extra.tokenRequired,
    };
  }

  /** Sends whatever frames and events are waiting (the hub's timer calls this when a source goes quiet). */
  flush(): void {
    if (this.#pendingFrames.length === 0 && this.#pendingEvents.length === 0) return;
    const frames = this.#pendingFrames;
    const events = this.#pendingEvents;
    this.#pendingFrames = [];
    this.#pendingEvents = [];
    this.#listener.batch(frames, events, this.#lastArrivalMs);
  }

  /** Flushes leftovers only when no source event arrived for `quietMs` (a paused or stalled source). */
  flushIfQuiet(quietMs: number): void {
    if (this.#opt.nowMs() - this.#lastArrivalMs >= quietMs) this.flush();
  }

  summary(): SessionSummary {
    return this.#collector.summary();
  }

  /** Stops the source and the pipeline; resolves with the summary. Idempotent. */
  stop(): SessionSummary {
    this.#sourceSub?.unsubscribe();
    this.#sourceSub = null;
    return this.#end();
  }

  #info() {
    return { ...this.#opt.source.info, exercise: this.#exercise, limits: this.#limits };
  }

  #startPipeline(): void {
    const input = new Observable<SourceEvent>((sub) => this.#input.subscribe(sub));
    this.#pipelineSub = input.pipe(spinePipeline(this.#info())).subscribe({
      next: (out) => this.#onOutput(out),
      error: (err) => {
        this.#problems++;
        this.#listener.message({
          type: "problem",
          problem: { tMs: this.#lastHostMs, code: "pipeline-failed", message: err instanceof Error ? err.message : String(err) },
        });
      },
    });
  }

  #fromSource(ev: SourceEvent): void {
    this.#lastArrivalMs = this.#opt.nowMs();
    this.#inject(ev);
  }

  #inject(ev: SourceEvent): void {
    if (ev.hostTimeMs > this.#lastHostMs) this.#lastHostMs = ev.hostTimeMs;
    this.#recorder?.write(ev);
    this.#input.next(ev);
  }

  #onOutput(out: PipelineOutput): void {
    this.#collector.next(out);
    switch (out.type) {
      case "frame": {
        this.#ring.push(out.frame);
        this.#pendingFrames.push(out.frame);
        // Batches close on sample time, so a batch leaves in the same turn as the packet that
        // completed it (two frames per batch at 100 Hz); the hub's timer flushes a quiet
        // source's leftovers (flushIfQuiet).
        if (out.frame.tMs - this.#lastBatchEndMs >= this.#batchMs - 0.5) {
          this.#lastBatchEndMs = out.frame.tMs;
          this.flush();
        }
        return;
      }
      case "event":
        this.#onEvent(out.event);
        this.#pendingEvents.push(out.event);
        // Events ride with the next frame batch (≤ 20 ms away) while frames flow; without
        // frames (before calibration, during a gap) they leave at once.
        if (this.#pendingFrames.length === 0) this.flush();
        return;
      case "sensors":
        this.#sensors = out.sensors;
        this.#listener.message({ type: "sensors", sensors: out.sensors });
        return;
      case "problem":
        this.#problems++;
        this.#listener.message({ type: "problem", problem: out.problem });
        return;
    }
  }

  #onEvent(e: MovementEvent): void {
    switch (e.kind) {
      case "rep":
        this.#reps.push(e.rep);
        break;
      case "hold-end":
        this.#holds.push(e.hold);
        break;
      case "range":
        if (e.level === "warning") this.#activeWarnings.set(e.axis, e);
        break;
      case "range-clear":
        this.#activeWarnings.delete(e.axis);
        if (e.warning) this.#warnings.push(e.warning);
        break;
      case "calibration":
        this.#calibration = e.calibration;
        break;
      case "limits":
        this.#limits = { ...e.limits };
        break;
      default:
        break;
    }
  }

  #end(): SessionSummary {
    if (this.#ended) return this.#collector.summary();
    this.#ended = true;
    this.#input.complete();
    this.flush();
    this.#pipelineSub?.unsubscribe();
    const summary = this.#collector.summary();
    this.#listener.ended(summary);
    return summary;
  }
}

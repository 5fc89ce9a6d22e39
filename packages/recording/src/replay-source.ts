import { Observable, type Subscriber } from "rxjs";
import type {
  Clock,
  HeaderLine,
  ReplayControl,
  ReplayState,
  SensorSource,
  SessionInfo,
  SourceEvent,
  TruthEventLine,
  TruthLine,
} from "@spinewatch/protocol";
import { lineToSourceEvent, problemToSourceEvent } from "./line-to-source-event.js";
import { readRecordingDurationMs } from "./recording-duration.js";
import { openRecording } from "./recording-reader.js";
import { ReplayTimeline } from "./replay-timeline.js";

export interface ReplaySourceOptions {
  /** Injected time (DESIGN.md: no wall clock below apps/). */
  clock: Clock;
  /** 1 = real time (default), any rate > 0, Infinity = as fast as possible (no sleeps at all). */
  rate?: number;
  /** Session time to start at; earlier lines are skipped, not replayed. */
  startMs?: number;
  /**
   * Receives truth and truth-event lines in file order, as they are played (for accuracy
   * benchmarks). Truth is never a SourceEvent, so it cannot reach the pipeline.
   */
  onTruth?: (line: TruthLine | TruthEventLine) => void;
  /** Read size in bytes; default 1 MiB. */
  chunkBytes?: number;
  /**
   * Packet bytes as views into shared slabs instead of each with an ArrayBuffer of its own
   * (hex.ts): much cheaper for a fast replay; consumers must honour `byteOffset`/`byteLength`
   * (the device decoders do). Default false.
   */
  sharedPacketBytes?: boolean;
}

export interface ReplaySource extends SensorSource {
  readonly kind: "replay";
  readonly header: HeaderLine;
  readonly replay: ReplayControl;
  events(): Observable<SourceEvent>;
}

/** Sleeps are cut into slices so that an abandoned sleep never keeps a process alive for long. */
const MAX_SLEEP_MS = 1000;
/** Float noise allowed when comparing a due time with the clock (ms). */
const DUE_EPSILON_MS = 1e-6;
/** At rate Infinity, yield to the event loop after this many lines so the process stays responsive. */
const YIELD_EVERY_LINES = 1024;

function macrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** One subscription's playback: its own reader and timeline, steered by the shared controls. */
class ReplayRun {
  readonly #path: string;
  readonly #options: ReplaySourceOptions;
  readonly #clock: Clock;
  readonly #subscriber: Subscriber<SourceEvent>;
  readonly #onPlayed: (tMs: number) => void;
  readonly #timeline: ReplayTimeline;
  readonly #startMs: number | undefined;
  #pendingSeek: number | null = null;
  #stopped = false;
  #wakeResolve: (() => void) | null = null;
  #wakePromise: Promise<void> | null = null;
  /** tMs of the last line consumed (played or skipped) from the current pass over the file. */
  #consumedTMs = -Infinity;

  constructor(
    path: string,
    options: ReplaySourceOptions,
    start: { rate: number; paused: boolean; startMs: number | undefined },
    subscriber: Subscriber<SourceEvent>,
    onPlayed: (tMs: number) => void,
  ) {
    this.#path = path;
    this.#options = options;
    this.#clock = options.clock;
    this.#subscriber = subscriber;
    this.#onPlayed = onPlayed;
    this.#timeline = new ReplayTimeline(start.rate);
    this.#startMs = start.startMs;
    if (start.startMs !== undefined) this.#timeline.seek(start.startMs);
    if (start.paused) this.#timeline.pause(this.#clock.nowMs());
  }

  pause(nowMs: number): void {
    this.#timeline.pause(nowMs);
    this.#wake();
  }
  resume(nowMs: number): void {
    this.#timeline.resume(nowMs);
    this.#wake();
  }
  setRate(rate: number, nowMs: number): void {
    this.#timeline.setRate(rate, nowMs);
    this.#wake();
  }
  seek(tMs: number): void {
    this.#timeline.seek(tMs);
    this.#pendingSeek = tMs;
    this.#wake();
  }
  stop(): void {
    this.#stopped = true;
    this.#wake();
  }

  /** Plays the file to its end (true) or until stopped (false); reopens it for a seek backwards. */
  async play(): Promise<boolean> {
    let skipBeforeTMs = this.#startMs ?? -Infinity;
    let linesSinceYield = 0;
    for (;;) {
      const reader = await openRecording(this.#path, {
        chunkBytes: this.#options.chunkBytes ?? 1 << 20,
        // Ground truth goes nowhere without onTruth: skip it unread (half the lines of a simulation).
        ...(this.#options.onTruth ? {} : { skipTypes: ["truth", "truth-event"] }),
      });
      this.#consumedTMs = -Infinity;
      let restart = false;
      try {
        scan: for await (const batch of reader.batches()) {
          for (const item of batch) {
            if (this.#stopped) return false;
            if (this.#pendingSeek !== null) {
              skipBeforeTMs = this.#takeSeek();
              if (skipBeforeTMs < this.#consumedTMs) {
                restart = true;
                break scan;
              }
            }
            const inRange = !(this.#consumedTMs < skipBeforeTMs);
            if (item.problem) {
              if (inRange) this.#subscriber.next(problemToSourceEvent(item.problem, this.#consumedTMs));
              continue;
            }
            const line = item.line;
            if (line.type === "truth-event") {
              if (inRange) this.#options.onTruth?.(line);
              continue;
            }
            const tMs = line.tMs;
            if (tMs < skipBeforeTMs) {
              this.#consumedTMs = tMs;
              continue;
            }
            // Wait until due; a seek arriving meanwhile may drop this line or restart the pass.
            let playIt = true;
            for (;;) {
              // At rate Infinity a line is due at once (what #waitUntilDue would answer without
              // waiting): skipping its promise per line saves ~10% of the replay's own time
              // (~40 ms per hour of 2-sensor recording on the 2-core VM).
              if (!(this.#isDueNow() || (await this.#waitUntilDue(tMs)))) return false;
              if (this.#pendingSeek === null) break;
              skipBeforeTMs = this.#takeSeek();
              if (skipBeforeTMs < this.#consumedTMs) {
                restart = true;
                break scan;
              }
              if (tMs < skipBeforeTMs) {
                playIt = false;
                break;
              }
            }
            this.#consumedTMs = tMs;
            if (!playIt) continue;
            this.#timeline.played(tMs);
            this.#onPlayed(tMs);
            if (line.type === "truth") this.#options.onTruth?.(line);
            else {
              const event = lineToSourceEvent(line, this.#options.sharedPacketBytes === true);
              if (event !== null) this.#subscriber.next(event);
            }
            if (this.#timeline.rate === Infinity && ++linesSinceYield >= YIELD_EVERY_LINES) {
              linesSinceYield = 0;
              await macrotask();
            }
          }
        }
      } finally {
        await reader.close();
      }
      if (!restart) break;
    }
    if (this.#stopped) return false;
    this.#subscriber.complete();
    return true;
  }

  #takeSeek(): number {
    const tMs = this.#pendingSeek as number;
    this.#pendingSeek = null;
    return tMs;
  }

  /** True when #waitUntilDue would resolve true at once without waiting (rate Infinity, playing). */
  #isDueNow(): boolean {
    return !this.#stopped && this.#pendingSeek === null && !this.#timeline.paused && this.#timeline.rate === Infinity;
  }

  /** Resolves true when the line at `tMs` is due (or a seek needs handling), false when stopped. */
  async #waitUntilDue(tMs: number): Promise<boolean> {
    const timeline = this.#timeline;
    for (;;) {
      if (this.#stopped) return false;
      if (this.#pendingSeek !== null) return true;
      if (timeline.paused) {
        await this.#nextWake();
        continue;
      }
      if (timeline.rate === Infinity) return true;
      const nowMs = this.#clock.nowMs();
      timeline.ensureAnchored(nowMs, tMs);
      const waitMs = timeline.dueWallMs(tMs) - nowMs;
      if (waitMs <= DUE_EPSILON_MS) return true;
      await Promise.race([this.#clock.sleep(Math.min(waitMs, MAX_SLEEP_MS)), this.#nextWake()]);
    }
  }

  #nextWake(): Promise<void> {
    this.#wakePromise ??= new Promise<void>((resolve) => {
      this.#wakeResolve = resolve;
    });
    return this.#wakePromise;
  }

  #wake(): void {
    const resolve = this.#wakeResolve;
    this.#wakeResolve = null;
    this.#wakePromise = null;
    resolve?.();
  }
}

/** The shared controls; they act on every running subscription at once. */
class ReplayController implements ReplayControl {
  readonly #clock: Clock;
  readonly runs = new Set<ReplayRun>();
  #rate: number;
  #paused = false;
  #positionMs = 0;
  #durationMs: number | null;
  /** Where the next subscription starts (a seek while nothing plays moves it). */
  startMs: number | undefined;

  constructor(clock: Clock, rate: number, startMs: number | undefined, durationMs: number | null) {
    this.#clock = clock;
    this.#rate = rate;
    this.startMs = startMs;
    this.#positionMs = startMs ?? 0;
    this.#durationMs = durationMs;
  }

  get rate(): number {
    return this.#rate;
  }
  get paused(): boolean {
    return this.#paused;
  }

  get state(): ReplayState {
    return { paused: this.#paused, rate: this.#rate, positionMs: this.#positionMs, durationMs: this.#durationMs };
  }

  pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    const nowMs = this.#clock.nowMs();
    for (const run of this.runs) run.pause(nowMs);
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    const nowMs = this.#clock.nowMs();
    for (const run of this.runs) run.resume(nowMs);
  }

  seek(tMs: number): void {
    if (!(Number.isFinite(tMs) && tMs >= 0)) throw new RangeError(`replay seek: expected a session time >= 0 ms, got ${tMs}`);
    this.#positionMs = tMs;
    if (this.runs.size === 0) this.startMs = tMs;
    for (const run of this.runs) run.seek(tMs);
  }

  setRate(rate: number): void {
    if (!(rate > 0)) throw new RangeError(`replay rate must be > 0 (Infinity = as fast as possible), got ${rate}`);
    this.#rate = rate;
    const nowMs = this.#clock.nowMs();
    for (const run of this.runs) run.setRate(rate, nowMs);
  }

  played(tMs: number): void {
    this.#positionMs = tMs;
  }

  ended(lastTMs: number): void {
    if (this.#durationMs === null || lastTMs > this.#durationMs) this.#durationMs = lastTMs;
  }
}

/**
 * A SensorSource that plays a recording (CONTRACTS.md §1), paced by the injected clock.
 * Reads and checks the header first (throws RecordingError for a bad one). `events()` is cold:
 * each subscription reads the file from the start (or `startMs`) with its own timeline; the
 * `replay` controls act on every running subscription. Problems with lines travel in-band as
 * `problem` events (RecordingProblemCode: `bad-json`, `truncated-line`, ...).
 */
export async function createReplaySource(path: string, options: ReplaySourceOptions): Promise<ReplaySource> {
  const reader = await openRecording(path);
  await reader.close();
  const header = reader.header;
  const info: SessionInfo = { sensors: header.sensors };
  if (header.exercise !== undefined) info.exercise = header.exercise;
  if (header.limits !== undefined) info.limits = header.limits;
  const rate = options.rate ?? 1;
  if (!(rate > 0)) throw new RangeError(`replay rate must be > 0 (Infinity = as fast as possible), got ${rate}`);
  const controller = new ReplayController(options.clock, rate, options.startMs, await readRecordingDurationMs(path));

  const events = (): Observable<SourceEvent> =>
    new Observable<SourceEvent>((subscriber) => {
      let lastTMs = 0;
      const run = new ReplayRun(
        path,
        options,
        { rate: controller.rate, paused: controller.paused, startMs: controller.startMs },
        subscriber,
        (tMs) => {
          lastTMs = tMs;
          controller.played(tMs);
        },
      );
      controller.runs.add(run);
      run
        .play()
        .then((completed) => {
          if (completed) controller.ended(lastTMs);
        })
        .catch((err: unknown) => subscriber.error(err))
        .finally(() => controller.runs.delete(run));
      return () => {
        run.stop();
        controller.runs.delete(run);
      };
    });

  return { kind: "replay", info, header, replay: controller, events };
}

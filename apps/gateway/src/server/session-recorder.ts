import type { DataLine, HeaderLine, RecordingState, SessionSummary, SourceEvent } from "@spinewatch/protocol";
import { RecordingWriter } from "@spinewatch/recording";
import { writeFile, rename } from "node:fs/promises";

/**
 * Writes one live session to disk in recording format v1 (CONTRACTS.md §1) as it happens:
 * every source event (raw packets, samples, status, the operator's marks) becomes one line.
 * RecordingWriter flushes line by line so that a kill -9 loses at most ~100 ms; the summary
 * goes beside the recording (`<name>.summary.json`) when the session ends.
 */
export class SessionRecorder {
  /** Lines written, header not counted. */
  get lines(): number {
    return this.#lines;
  }

  readonly #writer: RecordingWriter;
  readonly #path: string;
  readonly #session: string;
  readonly #startHostMs: number;
  readonly #startedAt: string;
  readonly #flushTimer: NodeJS.Timeout;
  #lastTMs = 0;
  #lines = 0;
  #failed: string | null = null;
  #closed = false;

  private constructor(writer: RecordingWriter, path: string, session: string, startHostMs: number, startedAt: string) {
    this.#writer = writer;
    this.#path = path;
    this.#session = session;
    this.#startHostMs = startHostMs;
    this.#startedAt = startedAt;
    // The writer flushes on data time; this bounds the loss to ~100 ms of wall time too when
    // data stops arriving (a paused replay, a sensor gone quiet).
    this.#flushTimer = setInterval(() => this.#guard(() => this.#writer.flush()), 100);
    this.#flushTimer.unref();
  }

  /**
   * `startHostMs`: the source's host time that becomes tMs 0 of the recording (a recording
   * started mid-session is rebased to its own start, as CONTRACTS.md §1 defines tMs).
   */
  static start(path: string, session: string, header: Omit<HeaderLine, "type" | "format" | "version" | "createdAt">, startHostMs: number): SessionRecorder {
    // Wall time is allowed in apps/: it is the recording's createdAt, nothing is timed by it.
    const createdAt = new Date().toISOString();
    const full: HeaderLine = { type: "header", format: "spinewatch-recording", version: 1, createdAt, ...header };
    const writer = RecordingWriter.open(path, full);
    return new SessionRecorder(writer, path, session, startHostMs, createdAt);
  }

  /** One source event as a recording line; `stamp` events carry nothing worth keeping. */
  write(ev: SourceEvent): void {
    if (this.#closed || this.#failed) return;
    // Recording tMs never decreases (CONTRACTS.md §1); host times of two links can interleave
    // by a fraction of a millisecond, so an earlier one is written at the latest time seen.
    const tMs = Math.max(this.#lastTMs, roundMs(ev.hostTimeMs - this.#startHostMs));
    const line = toLine(ev, tMs);
    if (line) {
      this.#lastTMs = tMs;
      this.#guard(() => this.#writer.write(line as DataLine));
      this.#lines++;
    }
  }

  /** Why writing stopped (disk full, ...), or null. The session goes on without the recording. */
  get failure(): string | null {
    return this.#failed;
  }

  #guard(write: () => void): void {
    if (this.#failed || this.#closed) return;
    try {
      write();
    } catch (err) {
      this.#failed = err instanceof Error ? err.message : String(err);
    }
  }

  get path(): string {
    return this.#path;
  }

  get state(): RecordingState {
    return { active: !this.#closed, session: this.#session, startedAt: this.#startedAt, bytes: this.#writer.bytesWritten };
  }

  /** Ends the recording; writes the summary beside it (atomically: temp file, then rename). */
  async close(summary?: SessionSummary): Promise<void> {
    if (this.#closed) return;
    clearInterval(this.#flushTimer);
    this.#guard(() => this.#writer.close());
    this.#closed = true;
    if (summary) await writeSummaryFile(summaryPathFor(this.#path), summary);
  }
}

export function summaryPathFor(recordingPath: string): string {
  return recordingPath.replace(/\.ndjson(\.gz)?$/, "") + ".summary.json";
}

export async function writeSummaryFile(path: string, summary: SessionSummary): Promise<void> {
  await writeFile(path + ".tmp", JSON.stringify(summary, null, 1) + "\n");
  await rename(path + ".tmp", path);
}

/** Host times to the microsecond: enough for 100 Hz packets, keeps the lines short. */
const roundMs = (ms: number): number => Math.round(ms * 1000) / 1000;

function toLine(ev: SourceEvent, tMs: number): DataLine | Record<string, unknown> | null {
  switch (ev.type) {
    case "packet":
      return { type: "packet", tMs, sensor: ev.sensorId, char: ev.char, hex: Buffer.from(ev.bytes.buffer, ev.bytes.byteOffset, ev.bytes.byteLength).toString("hex") };
    case "sample":
      return { type: "sample", tMs, sensor: ev.sensorId, ...ev.sample } as DataLine;
    case "status":
      return ev.detail === undefined
        ? { type: "status", tMs, sensor: ev.sensorId, state: ev.state }
        : { type: "status", tMs, sensor: ev.sensorId, state: ev.state, detail: ev.detail };
    case "mark":
      return { ...ev.event, type: "event", tMs };
    case "problem":
      // An extension line type (CONTRACTS.md §1 lets readers skip unknown types): source-level
      // problems (an adapter gone, a sensor refusing a command) cannot be re-derived from packets.
      return { type: "problem", tMs, ...(ev.sensorId ? { sensor: ev.sensorId } : {}), code: ev.code, message: ev.message };
    case "stamp":
      return null;
  }
}

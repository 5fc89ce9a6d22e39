import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import type { DataLine, HeaderLine } from "@spinewatch/protocol";
import { validateHeader } from "./header-validation.js";
import { SyncGzipWriter } from "./sync-gzip-writer.js";

export interface RecordingWriterOptions {
  /**
   * Longest span of `tMs` kept in memory before the lines go to the file; default 100 ms, so a
   * process killed with SIGKILL loses at most the last ~100 ms of data (issue 3). Writers that
   * produce data faster than real time (the simulator) may raise it for speed.
   */
  flushIntervalMs?: number;
  /**
   * fsync policy, in `tMs`: a flush also fsyncs when at least this much data time passed since
   * the last fsync (default 1000 ms; 0 = every flush; Infinity = only at close). A killed process
   * does not need fsync (the kernel keeps its written pages); a power cut does, and then loses at
   * most about this long. fsync measured ~0.1 ms here, so 1 per second costs nothing live.
   */
  fsyncIntervalMs?: number;
  /** Buffered text that forces a flush regardless of time; default 1 MiB. */
  maxBufferedBytes?: number;
  /** gzip compression level for `.gz` paths (1-9); default 6. */
  gzipLevel?: number;
}

/**
 * Writes a recording (CONTRACTS.md §1) line by line, plain or gzip (by a `.gz` name). Lines are
 * buffered and written with synchronous writes whenever the buffer spans `flushIntervalMs` of
 * `tMs`, on `flush()` and on `close()`, so durability does not depend on the event loop turning.
 * For `.gz`, every flush ends in a deflate sync flush (see SyncGzipWriter), so a killed writer
 * leaves a gzip prefix that reads up to its last flush (the reader reports the missing trailer).
 * Apps that record live may also call `flush()` from a wall-clock timer to bound loss when data
 * stops arriving.
 */
export class RecordingWriter {
  readonly path: string;
  readonly #fd: number;
  readonly #gzip: SyncGzipWriter | null;
  readonly #flushIntervalMs: number;
  readonly #fsyncIntervalMs: number;
  readonly #maxBufferedBytes: number;
  #pending: string[] = [];
  #pendingBytes = 0;
  #pendingFirstTMs: number | null = null;
  #lastTMs = -Infinity;
  #lastFsyncTMs = 0;
  #linesWritten = 0;
  #bytesWritten = 0;
  #closed = false;

  private constructor(path: string, fd: number, options: RecordingWriterOptions) {
    this.path = path;
    this.#fd = fd;
    this.#flushIntervalMs = options.flushIntervalMs ?? 100;
    this.#fsyncIntervalMs = options.fsyncIntervalMs ?? 1000;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? 1 << 20;
    this.#gzip = path.endsWith(".gz") ? new SyncGzipWriter(fd, options.gzipLevel ?? 6) : null;
  }

  /**
   * Creates (or truncates) `path` and writes the header at once. Throws `RecordingError` for an
   * invalid header and a plain Error (with the path) when the file cannot be created.
   */
  static open(path: string, header: HeaderLine, options: RecordingWriterOptions = {}): RecordingWriter {
    validateHeader(header, path);
    let fd: number;
    try {
      fd = openSync(path, "w");
    } catch (err) {
      throw new Error(`cannot create recording ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const writer = new RecordingWriter(path, fd, options);
    writer.#pending.push(JSON.stringify(header), "\n");
    writer.#linesWritten = 1;
    writer.flush();
    return writer;
  }

  /** Lines accepted so far, header included. */
  get linesWritten(): number {
    return this.#linesWritten;
  }
  /** Uncompressed bytes handed to the file so far (buffered lines not included). */
  get bytesWritten(): number {
    return this.#bytesWritten;
  }

  /** Appends one data line. Throws RangeError if `tMs` goes backwards (the format forbids it). */
  write(line: DataLine): void {
    if (this.#closed) throw new Error(`recording ${this.path} is closed`);
    // truth-event lines carry startMs/endMs instead of tMs (CONTRACTS.md §1).
    const tMs = line.type === "truth-event" ? undefined : line.tMs;
    if (tMs !== undefined) {
      if (!(tMs >= this.#lastTMs)) {
        throw new RangeError(`recording ${this.path}: ${line.type}.tMs ${tMs} is earlier than ${this.#lastTMs} (tMs must not decrease)`);
      }
      this.#lastTMs = tMs;
    }
    const text = JSON.stringify(line);
    this.#pending.push(text, "\n");
    this.#pendingBytes += text.length + 1;
    this.#linesWritten++;
    if (tMs !== undefined) {
      if (this.#pendingFirstTMs === null) this.#pendingFirstTMs = tMs;
      else if (tMs - this.#pendingFirstTMs >= this.#flushIntervalMs) {
        this.flush();
        return;
      }
    }
    if (this.#pendingBytes >= this.#maxBufferedBytes) this.flush();
  }

  /** Writes all buffered lines to the file now (and fsyncs if the fsync interval has passed). */
  flush(): void {
    if (this.#pending.length === 0) return;
    const data = Buffer.from(this.#pending.join(""), "utf8");
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#pendingFirstTMs = null;
    if (this.#gzip) this.#gzip.writeBlock(data);
    else writeAll(this.#fd, data);
    this.#bytesWritten += data.length;
    if (this.#lastTMs - this.#lastFsyncTMs >= this.#fsyncIntervalMs) {
      fsyncSync(this.#fd);
      this.#lastFsyncTMs = this.#lastTMs;
    }
  }

  /** Flushes, ends the gzip stream, fsyncs and closes. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    this.#gzip?.finish();
    fsyncSync(this.#fd);
    closeSync(this.#fd);
  }
}

function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
}

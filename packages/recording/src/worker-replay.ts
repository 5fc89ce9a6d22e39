import type { SourceEvent } from "@spinewatch/protocol";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { Observable } from "rxjs";
import { BatchUnpacker } from "./packed-batch.js";
import type { ParseWorkerData, ParseWorkerMessage } from "./parse-worker.js";
import { RecordingError } from "./recording-error.js";

export interface WorkerReplayOptions {
  /** Read size in bytes; default 64 KiB (each read chunk is one message). */
  chunkBytes?: number;
  /**
   * The parser thread's entry as built JavaScript (the CLI bundle's `parse-worker-entry.mjs`).
   * Without it, the TypeScript source parse-worker-entry.ts is run through tsx's loader, which
   * the thread then loads first (~0.15-0.25 s, in parallel with the caller).
   */
  workerUrl?: URL;
  /** Called with each played line's tMs, batch by batch (a progress display). */
  onPlayed?: (tMs: number) => void;
}

/**
 * Batches in flight between the threads, at most. Enough that the parser thread never waits
 * while the pipeline thread works on one; few enough that a slow consumer costs little memory
 * (a 64 KiB chunk of text packs to a few tens of KB).
 */
const MAX_IN_FLIGHT = 8;
const DEFAULT_CHUNK_BYTES = 64 * 1024;

/**
 * tsx's ESM register API as a file URL. A data: URL module cannot resolve a bare specifier, and
 * `require.resolve` finds the CommonJS build, whose register fails when imported from ESM; so the
 * ESM build is looked up in tsx's own package `exports`.
 */
function tsxEsmApiUrl(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve("tsx/package.json");
  const manifest = require(manifestPath) as { exports?: Record<string, { import?: { default?: string } | string }> };
  const entry = manifest.exports?.["./esm/api"]?.import;
  const file = typeof entry === "string" ? entry : entry?.default;
  if (file === undefined) throw new Error(`tsx ${manifestPath}: no ESM entry for tsx/esm/api`);
  return pathToFileURL(join(dirname(manifestPath), file)).href;
}

function startWorker(data: ParseWorkerData, workerUrl: URL | undefined): Worker {
  if (workerUrl) return new Worker(workerUrl, { workerData: data });
  // From sources (tsx, vitest): a worker starts without the parent's loader hooks, so it
  // registers tsx's itself before importing the TypeScript entry.
  const tsxApi = tsxEsmApiUrl();
  const entry = new URL("./parse-worker-entry.ts", import.meta.url).href;
  const boot = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: data });
}

/**
 * A recording's source events as fast as possible, read and parsed on a second thread
 * (parse-worker.ts) while the subscriber works on this one: the same events, in the same order,
 * as `createReplaySource(path, { rate: Infinity, sharedPacketBytes: true })` without `onTruth`
 * gives (tested). Parsing was about a fifth of `analyze`'s time (docs/BENCHMARKS.md, analyze).
 * Packet bytes are views into a shared buffer (honour `byteOffset`). No pacing, pausing or
 * seeking: that is the replay source's job. Check the header first (createReplaySource or
 * openRecording); a file that fails to open here errors the observable with a RecordingError.
 */
export function replayInWorker(path: string, options: WorkerReplayOptions = {}): Observable<SourceEvent> {
  return new Observable<SourceEvent>((subscriber) => {
    const consumed = new Int32Array(new SharedArrayBuffer(4));
    const data: ParseWorkerData = { path, chunkBytes: options.chunkBytes ?? DEFAULT_CHUNK_BYTES, maxInFlight: MAX_IN_FLIGHT, consumed };
    const worker = startWorker(data, options.workerUrl);
    const unpacker = new BatchUnpacker();
    const emit = (event: SourceEvent): boolean => {
      subscriber.next(event);
      return !subscriber.closed;
    };
    let finished = false;
    const fail = (err: Error) => {
      if (finished) return;
      finished = true;
      subscriber.error(err);
    };
    worker.on("message", (msg: ParseWorkerMessage) => {
      if (finished) return;
      if (msg.kind === "batch") {
        unpacker.unpack(msg.batch, emit);
        if (subscriber.closed) return;
        options.onPlayed?.(unpacker.lastTMs);
        Atomics.add(consumed, 0, 1);
        Atomics.notify(consumed, 0);
      } else if (msg.kind === "end") {
        finished = true;
        subscriber.complete();
      } else {
        const r = msg.recording;
        fail(r ? new RecordingError(r.code, r.file, r.lineNo, r.issues) : new Error(`${path}: ${msg.message}`));
      }
    });
    worker.on("error", (err) => fail(new Error(`${path}: recording parser thread failed: ${err.message}`)));
    worker.on("exit", (code) => fail(new Error(`${path}: recording parser thread ended (exit code ${code}) before the end of the file`)));
    return () => {
      if (!finished) void worker.terminate();
      finished = true;
    };
  });
}

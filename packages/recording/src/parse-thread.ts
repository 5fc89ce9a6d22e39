import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { ParseWorkerData, ParseWorkerMessage } from "./parse-worker.js";
import { RecordingError } from "./recording-error.js";

export interface ParseThreadOptions {
  /** Read size in bytes; default 64 KiB (each read chunk is one message). */
  chunkBytes?: number;
  /**
   * The parser thread's entry as built JavaScript (the CLI bundle's `parse-worker-entry.mjs`).
   * Without it, the TypeScript source parse-worker-entry.ts is run through tsx's loader, which
   * the thread then loads first (~0.15-0.25 s, in parallel with the caller).
   */
  workerUrl?: URL;
}

/** What a listener gets: a batch, the end, or why the thread stopped short (a RecordingError for a file it cannot read). */
export type ParseThreadMessage = Extract<ParseWorkerMessage, { kind: "batch" | "end" }> | { kind: "failed"; error: Error };

/**
 * Batches in flight between the threads, at most. Enough that the parser thread never waits
 * while the pipeline thread works on one; few enough that a slow consumer costs little memory
 * (a 64 KiB chunk of text packs to a few tens of KB).
 */
const MAX_IN_FLIGHT = 16;
/**
 * The parser thread is woken once per this many consumed batches, not at each: it is nearly
 * always ahead, waiting for room, and each wake-up (`Atomics.notify` resolving the thread's
 * `Atomics.waitAsync`) cost the pipeline thread ~46 µs: 73 ms of a 1-hour analyze's 1,580
 * batches, 15-29 ms woken per 8 (docs/BENCHMARKS.md, analyze, session 11). Woken, it refills
 * 8 at a time. No deadlock: a thread waiting with MAX_IN_FLIGHT batches out sees a multiple of
 * WAKE_EVERY among their consumptions (WAKE_EVERY ≤ MAX_IN_FLIGHT).
 */
const WAKE_EVERY = 8;
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
 * A recording being read and parsed on a second thread (parse-worker.ts), started at once: a
 * caller may start it before loading what will consume it (`spinewatch analyze` does, so that
 * the thread's ~35-70 ms start-up overlaps the pipeline's module loading). Batches wait here
 * until `listen` is called; the thread reads ahead by at most MAX_IN_FLIGHT batches not yet
 * `consumed`. worker-replay.ts turns it into source events.
 */
export class ParseThread {
  readonly path: string;
  readonly #worker: Worker;
  readonly #consumed = new Int32Array(new SharedArrayBuffer(4));
  readonly #queue: ParseThreadMessage[] = [];
  #listener: ((msg: ParseThreadMessage) => void) | null = null;
  #listened = false;
  #finished = false;

  constructor(path: string, options: ParseThreadOptions = {}) {
    this.path = path;
    const data: ParseWorkerData = { path, chunkBytes: options.chunkBytes ?? DEFAULT_CHUNK_BYTES, maxInFlight: MAX_IN_FLIGHT, consumed: this.#consumed };
    this.#worker = startWorker(data, options.workerUrl);
    this.#worker.on("message", (msg: ParseWorkerMessage) => {
      if (msg.kind === "error") {
        const r = msg.recording;
        this.#deliver({ kind: "failed", error: r ? new RecordingError(r.code, r.file, r.lineNo, r.issues) : new Error(`${path}: ${msg.message}`) });
      } else this.#deliver(msg);
    });
    this.#worker.on("error", (err) => this.#deliver({ kind: "failed", error: new Error(`${path}: recording parser thread failed: ${err.message}`) }));
    this.#worker.on("exit", (code) => this.#deliver({ kind: "failed", error: new Error(`${path}: recording parser thread ended (exit code ${code}) before the end of the file`) }));
  }

  /**
   * Hands every message to `listener`, in order, those that came before first; once per thread.
   * Never from inside this call: the queued ones follow in a later task, as live ones do (an
   * observable that emitted while being subscribed could not yet be unsubscribed from).
   */
  listen(listener: (msg: ParseThreadMessage) => void): void {
    if (this.#listened) throw new Error(`${this.path}: a parser thread has one listener`);
    this.#listened = true;
    this.#listener = listener;
    if (this.#queue.length > 0) setImmediate(() => this.#drain());
  }

  /** One batch has been consumed: the thread may read one further ahead. */
  consumed(): void {
    // Atomics.add returns the count before this one.
    if ((Atomics.add(this.#consumed, 0, 1) + 1) % WAKE_EVERY === 0) Atomics.notify(this.#consumed, 0);
  }

  /** Ends the thread now, unless it has already finished; nothing is delivered after this. */
  stop(): void {
    if (!this.#finished) void this.#worker.terminate();
    this.#finished = true;
    this.#listener = null;
    this.#queue.length = 0;
  }

  #deliver(msg: ParseThreadMessage): void {
    if (this.#finished) return;
    // After the end or a failure nothing more counts (the thread's own exit follows its end).
    if (msg.kind !== "batch") this.#finished = true;
    // Behind queued ones while they wait for #drain.
    if (this.#listener !== null && this.#queue.length === 0) this.#listener(msg);
    else this.#queue.push(msg);
  }

  #drain(): void {
    while (this.#queue.length > 0 && this.#listener !== null) this.#listener(this.#queue.shift()!);
  }
}

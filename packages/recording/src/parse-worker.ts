import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { BatchPacker, type PackedBatch } from "./packed-batch.js";
import { openRecording } from "./recording-reader.js";
import { isRecordingError, type RecordingErrorCode, type RecordingFieldIssue } from "./recording-error.js";

/** What the parser thread is started with (worker-replay.ts). */
export interface ParseWorkerData {
  path: string;
  chunkBytes: number;
  /** Batches posted and not yet consumed, at most: bounds the memory a slow consumer costs. */
  maxInFlight: number;
  /**
   * One Int32 on a SharedArrayBuffer: how many batches the consumer has finished. Counted there
   * rather than acknowledged by message: a message per batch cost the pipeline's thread ~30 µs
   * each, 50 ms per hour of recording (docs/BENCHMARKS.md, analyze).
   */
  consumed: Int32Array;
}

/** Parser thread -> pipeline thread. */
export type ParseWorkerMessage =
  | { kind: "batch"; batch: PackedBatch }
  | { kind: "end" }
  | { kind: "error"; message: string; recording?: { code: RecordingErrorCode; file: string; lineNo: number | undefined; issues: readonly RecordingFieldIssue[] } };

/**
 * `Atomics.waitAsync` (ES2024; in Node since 16): the ES2022 lib this project compiles against
 * does not declare it.
 */
const waitAsync = (Atomics as unknown as {
  waitAsync(view: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

/** Resolves once fewer than `max` of the `posted` batches are unconsumed. */
async function roomFor(posted: number, consumed: Int32Array, max: number): Promise<void> {
  for (;;) {
    const done = Atomics.load(consumed, 0);
    if (posted - done < max) return;
    const wait = waitAsync(consumed, 0, done); // returns at once if the count has moved meanwhile
    if (wait.async) await wait.value;
  }
}

/**
 * The parser thread's work: read and parse the recording, as the replay source's reader does
 * (ground truth skipped unread, problems in-band), and post each read chunk's items packed
 * (packed-batch.ts). Started by worker-replay.ts through the entry file parse-worker-entry.ts.
 */
export async function runParseWorker(port: MessagePort | null = parentPort, data: ParseWorkerData = workerData as ParseWorkerData): Promise<void> {
  if (port === null) throw new Error("runParseWorker: not in a worker thread");
  let posted = 0;
  // A pending Atomics.waitAsync does not keep a thread alive: while the consumer is behind, the
  // thread would end with its work unfinished (exit code 13). A listening port does keep it alive.
  const keepAlive = () => {};
  port.on("message", keepAlive);
  try {
    const reader = await openRecording(data.path, { chunkBytes: data.chunkBytes, skipTypes: ["truth", "truth-event"] });
    const packer = new BatchPacker();
    try {
      for await (const items of reader.batches()) {
        if (items.length === 0) continue;
        const { batch, transfer } = packer.pack(items);
        await roomFor(posted, data.consumed, data.maxInFlight);
        posted++;
        port.postMessage({ kind: "batch", batch } satisfies ParseWorkerMessage, transfer);
      }
    } finally {
      await reader.close();
    }
    port.postMessage({ kind: "end" } satisfies ParseWorkerMessage);
  } catch (err) {
    const message: ParseWorkerMessage = { kind: "error", message: err instanceof Error ? err.message : String(err) };
    if (isRecordingError(err)) message.recording = { code: err.code, file: err.file, lineNo: err.lineNo, issues: err.issues };
    port.postMessage(message);
  } finally {
    // Now the thread ends once the posted messages are on their way (closing the port might drop them).
    port.off("message", keepAlive);
  }
}

import { statSync } from "node:fs";
// Not from the package's index: that would load rxjs and the replay source first (~50 ms), before
// the thread could start.
import { ParseThread } from "@spinewatch/recording/parse-thread";
import { bundledEntryUrl } from "./bundle-files.js";

/**
 * How `analyze` reads a recording; kept apart from analyze-recording.ts (which loads the whole
 * pipeline) so that the command can start the parser thread before loading the rest.
 */

/**
 * Read size for analyze. Every line, and every field the packet fast path cuts out of it, is a V8
 * sliced string that keeps its whole chunk's decoded text alive. A 1 MiB chunk decodes to an
 * external string (Node makes strings over ~1 MB external) and 128-512 KiB ones to large-object
 * strings, both freed late: the 1-hour analyze peaked at 197-203 MB RSS with 1 MiB reads, 112-116
 * MB with 64 KiB ones (young-generation strings), and was no slower (docs/BENCHMARKS.md, analyze).
 */
export const ANALYZE_READ_BYTES = 64 * 1024;

/**
 * Recordings with at least this much text are parsed on a second thread (ParseThread). The
 * thread takes ~35-70 ms to start and deliver its first batch; parsing costs ~3.5 ms per MB of
 * text (docs/BENCHMARKS.md, analyze): it pays from ~10-20 MB.
 */
const PARSE_IN_WORKER_MIN_TEXT_BYTES = 8 * 1024 * 1024;
/** Text bytes per gzip byte in our recordings (the sim fixtures: 8.1), for the estimate. */
const GZIP_RATIO = 8;

/** Whether a recording is big enough to be parsed on a second thread (by its size on disk). */
export function parseInWorkerFor(file: string): boolean {
  let bytes: number;
  try {
    bytes = statSync(file).size;
  } catch {
    return false; // the replay source will say what is wrong with it
  }
  return bytes * (file.endsWith(".gz") ? GZIP_RATIO : 1) >= PARSE_IN_WORKER_MIN_TEXT_BYTES;
}

/** The parser thread for analyze: the CLI bundle's built entry when running from it. */
export function startParseThread(file: string): ParseThread {
  const workerUrl = bundledEntryUrl("parse-worker-entry");
  return new ParseThread(file, { chunkBytes: ANALYZE_READ_BYTES, ...(workerUrl ? { workerUrl } : {}) });
}

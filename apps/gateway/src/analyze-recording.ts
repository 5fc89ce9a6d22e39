import type { SessionSummary, SourceEvent } from "@spinewatch/protocol";
import { spinePipeline, SummaryCollector } from "@spinewatch/pipeline";
import { createReplaySource, isRecordingError, replayInWorker } from "@spinewatch/recording";
import { Observable } from "rxjs";
import { statSync } from "node:fs";
import { basename } from "node:path";
import { AnglesCsvWriter } from "./angles-csv.js";
import { bundledEntryUrl } from "./bundle-files.js";
import { CliError, runtimeError, usageError } from "./cli-error.js";
import { realClock } from "./real-clock.js";
import { ProgressLine } from "./progress-line.js";

/**
 * Read size for analyze. Every line, and every field the packet fast path cuts out of it, is a V8
 * sliced string that keeps its whole chunk's decoded text alive. A 1 MiB chunk decodes to an
 * external string (Node makes strings over ~1 MB external) and 128-512 KiB ones to large-object
 * strings, both freed late: the 1-hour analyze peaked at 197-203 MB RSS with 1 MiB reads, 112-116
 * MB with 64 KiB ones (young-generation strings), and was no slower (docs/BENCHMARKS.md, analyze).
 */
const ANALYZE_READ_BYTES = 64 * 1024;

/** Bad data lines make the input file bad (exit 2); a file cut off mid-line is only reported. */
const FATAL_LINE_PROBLEMS = new Set(["bad-json", "bad-field", "time-backwards", "unknown-sensor"]);

/**
 * Recordings with at least this much text are parsed on a second thread (replayInWorker). The
 * thread takes ~35-70 ms to start and deliver its first batch, which the pipeline waits for;
 * parsing costs ~3.5 ms per MB of text (docs/BENCHMARKS.md, analyze): it pays from ~10-20 MB.
 */
const PARSE_IN_WORKER_MIN_TEXT_BYTES = 8 * 1024 * 1024;
/** Text bytes per gzip byte in our recordings (the sim fixtures: 8.1), for the estimate. */
const GZIP_RATIO = 8;

/** The text size of a recording, estimated from its size on disk (0 when it cannot be read). */
function estimatedTextBytes(file: string): number {
  try {
    return statSync(file).size * (file.endsWith(".gz") ? GZIP_RATIO : 1);
  } catch {
    return 0; // createReplaySource has just read it; should it vanish, the replay reports that
  }
}

export interface AnalyzeOptions {
  exercise?: string;
  anglesPath?: string;
  progress?: boolean;
  /** Parse the file on a second thread; default: when it is big enough to gain by it. */
  parseInWorker?: boolean;
}

/**
 * A recording through the same pipeline the live gateway runs (issue 3), replayed as fast as
 * possible: the replay source turns packet lines into packet events, samples into samples,
 * event lines into marks, so live and offline share one path.
 */
export async function analyzeRecording(file: string, options: AnalyzeOptions = {}): Promise<SessionSummary> {
  let source;
  try {
    // sharedPacketBytes: the pipeline's device decoders read packet bytes through byteOffset.
    // chunkBytes: see ANALYZE_READ_BYTES.
    source = await createReplaySource(file, { rate: Infinity, clock: realClock, sharedPacketBytes: true, chunkBytes: ANALYZE_READ_BYTES });
  } catch (err) {
    if (isRecordingError(err)) throw new CliError(err.message, err.code === "unreadable" ? 1 : 2);
    throw err;
  }
  const info = options.exercise ? { ...source.info, exercise: options.exercise } : source.info;
  const pipelineOptions = options.exercise ? { exercise: options.exercise } : {};
  const collector = new SummaryCollector(info, pipelineOptions);
  const csv = options.anglesPath ? new AnglesCsvWriter(options.anglesPath) : null;
  const inWorker = options.parseInWorker ?? estimatedTextBytes(file) >= PARSE_IN_WORKER_MIN_TEXT_BYTES;
  let workerPositionMs = 0;
  const progress = options.progress
    ? new ProgressLine(`analyze ${basename(file)}`, () => (inWorker ? { ...source.replay.state, positionMs: workerPositionMs } : source.replay.state))
    : null;
  let calibrated = false;
  let fatal: CliError | null = null;

  try {
    await new Promise<void>((resolve, reject) => {
      const events = inWorker
        ? replayInWorker(file, { chunkBytes: ANALYZE_READ_BYTES, workerUrl: bundledEntryUrl("parse-worker-entry"), onPlayed: (tMs) => (workerPositionMs = tMs) })
        : source.events();
      const sub = events
        .pipe(
          // A malformed data line arrives in-band as a problem naming file:line: stop at the first one.
          (input) =>
            new Observable<SourceEvent>((out) =>
              input.subscribe({
                next: (ev) => {
                  if (ev.type === "problem" && FATAL_LINE_PROBLEMS.has(ev.code)) {
                    fatal = usageError(ev.message);
                    out.complete();
                    return;
                  }
                  if (ev.type === "problem" && ev.code.startsWith("truncated")) process.stderr.write(`spinewatch: warning: ${ev.message}\n`);
                  out.next(ev);
                },
                error: (e) => out.error(e),
                complete: () => out.complete(),
              }),
            ),
          spinePipeline(info, pipelineOptions),
        )
        .subscribe({
          next: (out) => {
            collector.next(out);
            if (out.type === "event" && out.event.kind === "calibration" && !out.event.calibration.refused?.length) calibrated = true;
            else if (out.type === "frame" && csv && calibrated) csv.write(out.frame);
          },
          error: reject,
          complete: resolve,
        });
      void sub;
    });
  } catch (err) {
    if (isRecordingError(err)) throw new CliError(err.message, err.code === "unreadable" ? 1 : 2);
    const message = err instanceof Error ? err.message : String(err);
    throw runtimeError(`analyze: ${message.startsWith(`${file}: `) ? message : `${file}: ${message}`}`);
  } finally {
    progress?.stop();
    csv?.close();
  }
  if (fatal) throw fatal;
  return collector.summary();
}

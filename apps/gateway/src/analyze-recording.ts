import type { SessionSummary, SourceEvent } from "@spinewatch/protocol";
import { spinePipeline, SummaryCollector } from "@spinewatch/pipeline";
import { createReplaySource, isRecordingError, replayInWorker, type ParseThread } from "@spinewatch/recording";
import { Observable } from "rxjs";
import { basename } from "node:path";
import { ANALYZE_READ_BYTES, parseInWorkerFor, startParseThread } from "./analyze-reading.js";
import { AnglesCsvWriter } from "./angles-csv.js";
import { CliError, runtimeError, usageError } from "./cli-error.js";
import { realClock } from "./real-clock.js";
import { ProgressLine } from "./progress-line.js";

/** Bad data lines make the input file bad (exit 2); a file cut off mid-line is only reported. */
const FATAL_LINE_PROBLEMS = new Set(["bad-json", "bad-field", "time-backwards", "unknown-sensor"]);

export interface AnalyzeOptions {
  exercise?: string;
  anglesPath?: string;
  progress?: boolean;
  /** Parse the file on a second thread; default: when it is big enough to gain by it. */
  parseInWorker?: boolean;
  /**
   * That thread, already started by the caller (analyze-reading.ts startParseThread); the caller
   * stops it should this fail before using it.
   */
  parseThread?: ParseThread;
}

/**
 * A recording through the same pipeline the live gateway runs (issue 3), replayed as fast as
 * possible: the replay source turns packet lines into packet events, samples into samples,
 * event lines into marks, so live and offline share one path. A big recording is read and parsed
 * on a second thread instead (analyze-reading.ts), giving the same events.
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
  const inWorker = options.parseThread !== undefined || (options.parseInWorker ?? parseInWorkerFor(file));
  let workerPositionMs = 0;
  const progress = options.progress
    ? new ProgressLine(`analyze ${basename(file)}`, () => (inWorker ? { ...source.replay.state, positionMs: workerPositionMs } : source.replay.state))
    : null;
  let calibrated = false;
  let fatal: CliError | null = null;

  try {
    await new Promise<void>((resolve, reject) => {
      const events = inWorker
        ? replayInWorker(options.parseThread ?? startParseThread(file), { onPlayed: (tMs) => (workerPositionMs = tMs) })
        : source.events();
      const sub = events
        .pipe(
          // A malformed data line arrives in-band as a problem naming file:line: stop at the first one.
          (input) =>
            new Observable<SourceEvent>((out) =>
              input.subscribe({
                next: (ev) => {
                  if (fatal) return; // the first bad line is the one reported
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

import type { SessionSummary, SourceEvent } from "@spinewatch/protocol";
import { spinePipeline, SummaryCollector } from "@spinewatch/pipeline";
import { createReplaySource, isRecordingError } from "@spinewatch/recording";
import { Observable } from "rxjs";
import { basename } from "node:path";
import { AnglesCsvWriter } from "./angles-csv.js";
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

export interface AnalyzeOptions {
  exercise?: string;
  anglesPath?: string;
  progress?: boolean;
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
  const progress = options.progress ? new ProgressLine(`analyze ${basename(file)}`, () => source.replay?.state) : null;
  let calibrated = false;
  let fatal: CliError | null = null;

  try {
    await new Promise<void>((resolve, reject) => {
      const events = new Observable<SourceEvent>((sub) => {
        const s = source.events().subscribe(sub);
        return () => s.unsubscribe();
      });
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
    throw runtimeError(`analyze: ${file}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    progress?.stop();
    csv?.close();
  }
  if (fatal) throw fatal;
  return collector.summary();
}

import type { AngleFrame, SensorSource, SessionSummary } from "@spinewatch/protocol";
import { sourceEvents$ } from "./source-observable.js";
import { spinePipeline } from "./spine-pipeline.js";
import { SummaryCollector } from "./summary-collector.js";
import type { PipelineOptions, PipelineOutput } from "./types.js";

export interface RunToSummaryOptions extends PipelineOptions {
  /** Every angle frame, in order (`analyze --angles`). */
  onFrame?: (frame: AngleFrame) => void;
  /** Every pipeline output, in order. */
  onOutput?: (out: PipelineOutput) => void;
}

/**
 * Runs a source through the pipeline to its end and returns the session summary (CONTRACTS.md
 * §2, `analyze`). Rejects if the source fails or the session is unusable (clear message).
 */
export function runToSummary(source: SensorSource, options: RunToSummaryOptions = {}): Promise<{ summary: SessionSummary }> {
  const { onFrame, onOutput, ...pipelineOptions } = options;
  const collector = new SummaryCollector(source.info, pipelineOptions);
  return new Promise((resolve, reject) => {
    sourceEvents$(source)
      .pipe(spinePipeline(source.info, pipelineOptions))
      .subscribe({
        next(out) {
          collector.next(out);
          if (onFrame !== undefined && out.type === "frame") onFrame(out.frame);
          onOutput?.(out);
        },
        error: reject,
        complete: () => resolve({ summary: collector.summary() }),
      });
  });
}

import type { OperatorFunction } from "rxjs";
import type { SessionInfo, SourceEvent } from "@spinewatch/protocol";
import { emitOperator } from "./proc-operator.js";
import { SpineCore } from "./spine-core.js";
import type { PipelineOptions, PipelineOutput } from "./types.js";

/**
 * The pipeline as an rxjs operator (brief, pipeline seam): one hop over {@link SpineCore}, a
 * fresh core per subscription. Live commands (calibrate, exercise, limits) enter as `mark`
 * events, so live and recorded sessions take the same path. Throws at subscription (as a
 * stream error) when the session does not have one sacrum and one thoracolumbar sensor.
 */
export function spinePipeline(info: SessionInfo, options: PipelineOptions = {}): OperatorFunction<SourceEvent, PipelineOutput> {
  return emitOperator(() => new SpineCore(info, options));
}

import type { DataLine, DeviceSample, SampleLine, SourceEvent } from "@spinewatch/protocol";
import type { RecordingProblem } from "./recording-error.js";
import { hexToBytes } from "./hex.js";

function deviceSample(line: SampleLine): DeviceSample {
  const sample: DeviceSample = { accMps2: line.accMps2, gyrDps: line.gyrDps };
  if (line.sensorTimeUs !== undefined) sample.sensorTimeUs = line.sensorTimeUs;
  if (line.magUt !== undefined) sample.magUt = line.magUt;
  if (line.quatWxyz !== undefined) sample.quatWxyz = line.quatWxyz;
  return sample;
}

/**
 * What a recorded line becomes on replay (the recording seam of the brief): packet lines become
 * `packet` events with their bytes, sample lines `sample`, event lines `mark`, status lines
 * `status`. Truth lines are not source events (ground truth must not reach the pipeline): null.
 * `sharedBytes`: packet bytes as views into shared slabs (hexToBytes).
 */
export function lineToSourceEvent(line: DataLine, sharedBytes = false): SourceEvent | null {
  switch (line.type) {
    case "packet": {
      // The reader has checked the hex digits, so this is never null here; be safe anyway.
      const bytes = hexToBytes(line.hex, sharedBytes) ?? new Uint8Array(0);
      return { type: "packet", sensorId: line.sensor, hostTimeMs: line.tMs, char: line.char, bytes };
    }
    case "sample":
      return { type: "sample", sensorId: line.sensor, hostTimeMs: line.tMs, sample: deviceSample(line) };
    case "event":
      return { type: "mark", hostTimeMs: line.tMs, event: line };
    case "status": {
      const event: SourceEvent = { type: "status", sensorId: line.sensor, hostTimeMs: line.tMs, state: line.state };
      if (line.detail !== undefined) event.detail = line.detail;
      return event;
    }
    default:
      return null;
  }
}

/**
 * A reader problem as an in-band `problem` SourceEvent, with the reader's code (`bad-json`,
 * `truncated-line`, ...: RecordingProblemCode) and its one-line `file:line: field: reason`. A
 * problem has no time of its own: it is dated at `lastPlayedTMs`, the line played before it
 * (0 before any), by every replay (replay-source.ts, and packed-batch.ts for the parser thread).
 */
export function problemToSourceEvent(problem: RecordingProblem, lastPlayedTMs: number): SourceEvent {
  return { type: "problem", hostTimeMs: Math.max(0, lastPlayedTMs), code: problem.code, message: problem.message };
}

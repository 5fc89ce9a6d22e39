/**
 * Child process for the kill -9 test (recording-writer-kill.test.ts): writes a recording as fast
 * as it can, forever, and reports on stdout after every 500 lines the `tMs` it has passed to
 * `write()`, so the parent knows a lower bound of what must be on disk when it kills this process.
 * Usage: node --import tsx kill-test-writer.ts OUT.ndjson[.gz]
 */
import { RecordingWriter } from "./recording-writer.js";
import { makeHeader } from "./test-helpers.js";

const out = process.argv[2];
if (!out) throw new Error("usage: kill-test-writer.ts OUT");
const writer = RecordingWriter.open(out, makeHeader(), { fsyncIntervalMs: Infinity });
const STEP_MS = 5;
for (let i = 0; ; i++) {
  const tMs = i * STEP_MS;
  writer.write({ type: "sample", tMs, sensor: i % 2 ? "thoracic" : "sacrum", accMps2: [i, 0, 9.81], gyrDps: [0.5, -0.25, i % 7] });
  // stdout to a pipe is synchronous on Linux, so the report is out before the next write.
  if (i % 500 === 499) process.stdout.write(`${tMs}\n`);
}

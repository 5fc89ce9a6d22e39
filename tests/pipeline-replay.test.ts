import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lastValueFrom, toArray } from "rxjs";
import { RecordingWriter, createReplaySource } from "@spinewatch/recording";
import { sourceEvents$, spinePipeline, runToSummary } from "@spinewatch/pipeline";
import type { Clock, DataLine, SensorSource } from "@spinewatch/protocol";
import { SYNTHETIC_INFO, syntheticEvents } from "../packages/pipeline/src/testing/synthetic-session.js";

/** A clock that never waits: sleeping advances it (DESIGN.md: pace with the injected Clock). */
class FakeClock implements Clock {
  #nowMs = 0;
  nowMs(): number {
    return this.#nowMs;
  }
  sleep(ms: number): Promise<void> {
    if (ms > 0) this.#nowMs += ms;
    return Promise.resolve();
  }
}

function writeRecording(path: string): void {
  const w = RecordingWriter.open(path, {
    type: "header", format: "spinewatch-recording", version: 1, createdAt: "2026-11-21T10:00:00.000Z",
    sensors: SYNTHETIC_INFO.sensors, exercise: SYNTHETIC_INFO.exercise,
  });
  for (const e of syntheticEvents({ durationS: 20, sensorClock: true, calibrateAtS: 1 })) {
    let line: DataLine;
    if (e.type === "sample") line = { type: "sample", tMs: e.hostTimeMs, sensor: e.sensorId, accMps2: e.sample.accMps2!, gyrDps: e.sample.gyrDps!, sensorTimeUs: e.sample.sensorTimeUs };
    else if (e.type === "mark") line = e.event;
    else continue;
    w.write(line);
  }
  w.close();
}

async function outputs(source: SensorSource) {
  return lastValueFrom(sourceEvents$(source).pipe(spinePipeline(source.info), toArray()));
}

describe("replay through the pipeline", () => {
  it("gives exactly the same outputs at rate Infinity as in real time (fake clock)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "spinewatch-pipeline-"));
    try {
      const path = join(dir, "session.ndjson");
      writeRecording(path);
      const fast = await outputs(await createReplaySource(path, { rate: Infinity, clock: new FakeClock() }));
      const clock = new FakeClock();
      const realTime = await outputs(await createReplaySource(path, { rate: 1, clock }));
      // The real-time replay really was paced over the session's 20 s of clock time.
      expect(clock.nowMs()).toBeGreaterThan(19_000);
      expect(fast.filter((o) => o.type === "frame").length).toBeGreaterThan(1000);
      expect(realTime).toEqual(fast);
      const { summary } = await runToSummary(await createReplaySource(path, { rate: Infinity, clock: new FakeClock() }));
      expect(summary.calibration.source).toBe("event");
      expect(summary.sensors.map((s) => s.samples)).toEqual([2000, 2000]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

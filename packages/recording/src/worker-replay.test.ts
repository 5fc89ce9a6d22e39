import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { DataLine, SourceEvent } from "@spinewatch/protocol";
import { firstValueFrom, lastValueFrom, take, tap, toArray } from "rxjs";
import { FakeClock } from "./fake-clock.js";
import { RecordingError } from "./recording-error.js";
import { RecordingWriter } from "./recording-writer.js";
import { createReplaySource } from "./replay-source.js";
import { makeHeader, makeLines, makeTempDir } from "./test-helpers.js";
import { ParseThread } from "./parse-thread.js";
import { replayInWorker } from "./worker-replay.js";

const FIXTURES = resolve(import.meta.dirname, "../../../fixtures");
const dir = makeTempDir();
afterAll(() => dir.remove());

/** Events in a comparable form: packet bytes as hex (their buffers differ by design). */
function plain(events: SourceEvent[]): unknown[] {
  return events.map((e) => (e.type === "packet" ? { ...e, bytes: Buffer.from(e.bytes).toString("hex") } : e));
}

async function inThread(path: string, chunkBytes: number): Promise<SourceEvent[]> {
  const source = await createReplaySource(path, { rate: Infinity, clock: new FakeClock(0), sharedPacketBytes: true, chunkBytes });
  return lastValueFrom(source.events().pipe(toArray()));
}

describe("replayInWorker: parsing on a second thread gives the replay source's events", () => {
  // Small read chunks make many batches, so string tables and problem dating cross batch borders.
  const cases: [string, string, number][] = [
    ["a simulated swing (gzip, packets, marks, truth skipped)", join(FIXTURES, "sim/kettlebell-swing.witmotion.ndjson.gz"), 64 * 1024],
    ["a Movella DOT session (packets with sensor time)", join(FIXTURES, "sim/kettlebell-swing-rounding.movella-dot.ndjson.gz"), 4096],
    ["decoded samples with sensor time (a generic device: all sample lines)", join(FIXTURES, "sim/hip-hinge-holds.generic.ndjson.gz"), 8192],
    ["malformed lines (problems in-band, dated at the line before)", join(FIXTURES, "recording/malformed.ndjson"), 256],
    ["a killed writer's gzip (truncated stream)", join(FIXTURES, "recording/killed-writer.ndjson.gz"), 1024],
  ];
  for (const [what, path, chunkBytes] of cases) {
    it(what, async () => {
      const expected = await inThread(path, chunkBytes);
      const got = await lastValueFrom(replayInWorker(path, { chunkBytes }).pipe(toArray()));
      expect(got.length).toBe(expected.length);
      expect(plain(got)).toEqual(plain(expected));
    });
  }

  it("every line type, a line cut off at the end, and packet bytes as views that stay valid", async () => {
    const path = dir.file("mixed.ndjson");
    const writer = RecordingWriter.open(path, makeHeader());
    for (const line of makeLines(5000)) writer.write(line);
    // Samples with every optional field, and one with an extra field the event does not carry.
    writer.write({ type: "sample", tMs: 50000, sensor: "sacrum", sensorTimeUs: 123456789, accMps2: [0.1, -0.2, 9.8], gyrDps: [-0, 1e-9, 250], magUt: [20, -5.5, 41], quatWxyz: [0.5, 0.5, -0.5, 0.5] });
    writer.write({ type: "sample", tMs: 50000, sensor: "thoracic", accMps2: [1, 2, 3], gyrDps: [4, 5, 6], temperatureC: 31 } as DataLine);
    writer.close();
    writeFileSync(path, '{"type":"packet","tMs":50000,"sen', { flag: "a" });
    const expected = await inThread(path, 512);
    const got = await lastValueFrom(replayInWorker(path, { chunkBytes: 512 }).pipe(toArray()));
    expect(new Set(got.map((e) => e.type))).toEqual(new Set(["packet", "sample", "mark", "status", "problem"]));
    expect(got.at(-1)).toMatchObject({ type: "problem", code: "truncated-line" });
    expect(plain(got)).toEqual(plain(expected));
  });

  it("terminates the parser thread when unsubscribed early, and only then", async () => {
    const terminate = vi.spyOn(Worker.prototype, "terminate");
    try {
      const path = join(FIXTURES, "sim/kettlebell-swing.witmotion.ndjson.gz");
      const first = await firstValueFrom(replayInWorker(path).pipe(take(10), toArray()));
      expect(first).toHaveLength(10);
      expect(terminate).toHaveBeenCalledTimes(1);
      await lastValueFrom(replayInWorker(path, { chunkBytes: 1 << 20 }));
      expect(terminate).toHaveBeenCalledTimes(1); // a thread that reached the end exits by itself
    } finally {
      terminate.mockRestore();
    }
  });

  it("waits for a consumer slower than the parser (bounded batches in flight), to the end, built or from sources", async () => {
    // Built as the CLI bundle builds it: without tsx's loader, whose own thread would keep a
    // stalled worker alive and hide a thread that ends while it waits for the consumer.
    const require = createRequire(import.meta.url);
    const esbuild = createRequire(require.resolve("tsx"))("esbuild") as typeof import("esbuild");
    const built = dir.file("parse-worker-entry.mjs");
    await esbuild.build({ entryPoints: [resolve(import.meta.dirname, "parse-worker-entry.ts")], bundle: true, platform: "node", format: "esm", target: "node20", outfile: built, logLevel: "silent" });
    const path = join(FIXTURES, "sim/kettlebell-swing.witmotion.ndjson.gz");
    const expected = plain(await inThread(path, 4096));
    for (const workerUrl of [pathToFileURL(built), undefined]) {
      let n = 0;
      const slow = replayInWorker(path, { chunkBytes: 4096, ...(workerUrl ? { workerUrl } : {}) }).pipe(
        tap(() => {
          if (++n % 200 !== 0) return;
          const t0 = performance.now();
          while (performance.now() - t0 < 2); // the pipeline's thread busy: the parser gets ahead
        }),
        toArray(),
      );
      expect(plain(await lastValueFrom(slow))).toEqual(expected);
    }
  });

  it("a thread started before anyone listens keeps its batches until then; it serves one subscription; stop ends it", async () => {
    const path = join(FIXTURES, "sim/kettlebell-swing.witmotion.ndjson.gz");
    const expected = plain(await inThread(path, 4096));
    const thread = new ParseThread(path, { chunkBytes: 4096 });
    await new Promise((resolve) => setTimeout(resolve, 500)); // it has read ahead (8 batches) and waits
    const replay = replayInWorker(thread);
    expect(plain(await lastValueFrom(replay.pipe(toArray())))).toEqual(expected);
    await expect(lastValueFrom(replay)).rejects.toThrow(/one listener/);
    const terminate = vi.spyOn(Worker.prototype, "terminate");
    try {
      new ParseThread(path).stop(); // started for an analysis that then failed on the header
      expect(terminate).toHaveBeenCalledTimes(1);
      // Batches waiting when the subscription comes are not emitted while it is being made (it
      // could not be unsubscribed from yet: analyze stops at the first bad line).
      const early = new ParseThread(path, { chunkBytes: 4096 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      let during = 0;
      let subscribing = true;
      const sub = replayInWorker(early).subscribe(() => void (subscribing && during++));
      subscribing = false;
      sub.unsubscribe();
      expect(during).toBe(0);
      expect(terminate).toHaveBeenCalledTimes(2);
    } finally {
      terminate.mockRestore();
    }
  });

  it("reports a file that cannot be read as a one-line RecordingError", async () => {
    const missing = dir.file("missing.ndjson");
    const err = await lastValueFrom(replayInWorker(missing)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordingError);
    expect((err as RecordingError).message).toBe(`${missing}: cannot read: no such file`);
  });

  it("progress: onPlayed gets the last played tMs of each batch", async () => {
    const path = join(FIXTURES, "sim/kettlebell-swing.witmotion.ndjson.gz");
    const seen: number[] = [];
    const events = await lastValueFrom(replayInWorker(path, { chunkBytes: 16 * 1024, onPlayed: (t) => seen.push(t) }).pipe(toArray()));
    expect(seen.length).toBeGreaterThan(10);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(events.at(-1)!.hostTimeMs);
  });
});

import { readFileSync, writeFileSync } from "node:fs";
import { constants, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataLine } from "@spinewatch/protocol";
import { mulberry32 } from "@spinewatch/protocol/testing";
import { openRecording, type RecordingItem } from "./recording-reader.js";
import { RecordingWriter } from "./recording-writer.js";
import { makeHeader, makeLines, makeTempDir } from "./test-helpers.js";

const dir = makeTempDir();
afterAll(() => dir.remove());

async function readItems(path: string): Promise<RecordingItem[]> {
  const reader = await openRecording(path, { chunkBytes: 4096 });
  const items: RecordingItem[] = [];
  for await (const item of reader.items()) items.push(item);
  return items;
}

const lines: DataLine[] = makeLines(3000);
let plain: Buffer;
let packed: Buffer;

beforeAll(() => {
  for (const name of ["full.ndjson", "full.ndjson.gz"]) {
    const writer = RecordingWriter.open(dir.file(name), makeHeader());
    for (const line of lines) writer.write(line);
    writer.close();
  }
  plain = readFileSync(dir.file("full.ndjson"));
  packed = readFileSync(dir.file("full.ndjson.gz"));
});

describe("a plain file cut at random byte offsets", () => {
  it("reads exactly the whole lines before the cut and reports the cut line", async () => {
    const random = mulberry32(7); // seeded, so that the cut offsets are reproducible
    const headerEnd = plain.indexOf(10) + 1;
    // Byte offset just past each data line's closing brace (before its newline).
    const lineEnds: number[] = [];
    for (let i = plain.indexOf(10, headerEnd); i !== -1; i = plain.indexOf(10, i + 1)) lineEnds.push(i);
    for (let trial = 0; trial < 40; trial++) {
      const cut = headerEnd + Math.floor(random() * (plain.length - headerEnd));
      const path = dir.file(`cut-${trial}.ndjson`);
      writeFileSync(path, plain.subarray(0, cut));
      const items = await readItems(path);
      const whole = lineEnds.filter((end) => end <= cut).length;
      const got = items.flatMap((i) => (i.line ? [i.line] : []));
      expect(got, `cut at byte ${cut}`).toEqual(lines.slice(0, whole));
      const problems = items.flatMap((i) => (i.problem ? [i.problem] : []));
      const cutMidLine = cut > (lineEnds[whole - 1] ?? headerEnd - 1) + 1;
      if (cutMidLine) {
        expect(problems.map((p) => [p.code, p.lineNo])).toEqual([["truncated-line", whole + 2]]);
        expect(problems[0]!.message).toContain(`read up to line ${whole + 1}`);
      } else {
        expect(problems).toEqual([]);
      }
    }
  });
});

describe("a gzip file cut at random byte offsets", () => {
  it("reads a prefix of the lines, as far as zlib can decode, and reports the truncation", async () => {
    const random = mulberry32(11);
    for (let trial = 0; trial < 25; trial++) {
      const cut = 40 + Math.floor(random() * (packed.length - 48));
      const path = dir.file(`cut-${trial}.ndjson.gz`);
      writeFileSync(path, packed.subarray(0, cut));
      const items = await readItems(path);
      const got = items.flatMap((i) => (i.line ? [i.line] : []));
      // What a lenient one-shot gunzip can decode from the same bytes is the most we can get.
      const decodable = gunzipSync(packed.subarray(0, cut), { finishFlush: constants.Z_SYNC_FLUSH }).toString("utf8");
      const wholeLines = decodable.split("\n").length - 2; // minus the header and the unterminated rest
      expect(got, `cut at byte ${cut}`).toEqual(lines.slice(0, wholeLines));
      const codes = items.flatMap((i) => (i.problem ? [i.problem.code] : []));
      expect(codes).toContain("truncated-gzip");
      expect(codes.every((c) => c === "truncated-gzip" || c === "truncated-line")).toBe(true);
    }
  });

  it("keeps everything decoded even when the consumer is slow (backpressure)", async () => {
    const many = makeLines(30_000);
    const path = dir.file("big.ndjson.gz");
    const writer = RecordingWriter.open(path, makeHeader());
    for (const line of many) writer.write(line);
    writer.close();
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 1000));
    const reader = await openRecording(path);
    let n = 0;
    for await (const batch of reader.batches()) {
      for (const item of batch) if (item.line) n++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const decodable = gunzipSync(bytes.subarray(0, bytes.length - 1000), { finishFlush: constants.Z_SYNC_FLUSH }).toString("utf8");
    expect(n).toBe(decodable.split("\n").length - 2);
    expect(n).toBeGreaterThan(29_000);
    expect(reader.problems.map((p) => p.code)).toContain("truncated-gzip");
  });
});

import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import type { DataLine } from "@spinewatch/protocol";
import { openRecording, type RecordingItem } from "./recording-reader.js";
import { RecordingWriter } from "./recording-writer.js";
import { makeHeader, makeLines, makeTempDir } from "./test-helpers.js";

const dir = makeTempDir();
afterAll(() => dir.remove());

async function readAll(path: string): Promise<{ lines: DataLine[]; items: RecordingItem[]; reader: Awaited<ReturnType<typeof openRecording>> }> {
  const reader = await openRecording(path);
  const items: RecordingItem[] = [];
  for await (const item of reader.items()) items.push(item);
  return { lines: items.flatMap((i) => (i.line ? [i.line] : [])), items, reader };
}

describe("write then read", () => {
  for (const name of ["plain.ndjson", "packed.ndjson.gz"]) {
    it(`round-trips ${name} exactly, with line numbers`, async () => {
      const path = dir.file(name);
      const lines = makeLines(5000);
      const writer = RecordingWriter.open(path, makeHeader());
      for (const line of lines) writer.write(line);
      writer.close();
      const { items, reader } = await readAll(path);
      expect(reader.header).toEqual(makeHeader());
      expect(reader.problemCount).toBe(0);
      expect(items.map((i) => i.line)).toEqual(lines);
      expect(items.map((i) => i.lineNo)).toEqual(lines.map((_, k) => k + 2));
      expect(reader.done).toBe(true);
    });
  }

  it("gzip output is a standard gzip file (gunzip agrees with the plain file)", async () => {
    const { gunzipSync } = await import("node:zlib");
    const plain = readFileSync(dir.file("plain.ndjson"), "utf8");
    expect(gunzipSync(readFileSync(dir.file("packed.ndjson.gz"))).toString("utf8")).toBe(plain);
  });

  it("reads a gzip file made by another tool, and lines() yields only data lines", async () => {
    const path = dir.file("other.ndjson.gz");
    writeFileSync(path, gzipSync(readFileSync(dir.file("plain.ndjson"))));
    const reader = await openRecording(path);
    let n = 0;
    for await (const { line } of reader) n += line.type ? 1 : 0;
    expect(n).toBe(5000);
  });
});

describe("forgiving reading (CONTRACTS.md §1)", () => {
  const header = JSON.stringify(makeHeader());
  function fileOf(name: string, body: string[]): string {
    const path = dir.file(name);
    writeFileSync(path, [header, ...body].join("\n") + "\n");
    return path;
  }

  it("skips unknown line types (counted) and ignores unknown fields", async () => {
    const path = fileOf("unknown.ndjson", [
      '{"type":"truth","tMs":0,"flexionDeg":1,"lateralBendDeg":2,"axialRotationDeg":3,"pelvisTiltDeg":4,"futureField":[1]}',
      '{"type":"heart-rate","tMs":5,"bpm":80}',
      '{"type":"heart-rate","tMs":6,"bpm":81}',
      '{"type":"video-frame","tMs":7}',
      '{"type":"status","tMs":8,"sensor":"sacrum","state":"lost","detail":"rssi"}',
    ]);
    const { items, reader } = await readAll(path);
    expect(items.map((i) => i.lineNo)).toEqual([2, 6]);
    expect(items[0]!.line).toMatchObject({ type: "truth", flexionDeg: 1 });
    expect(reader.unknownTypeCount).toBe(3);
    expect([...reader.unknownTypes]).toEqual([["heart-rate", 2], ["video-frame", 1]]);
    expect(reader.problemCount).toBe(0);
  });

  it("reports malformed line N in-band with its line number and keeps going", async () => {
    const path = fileOf("malformed.ndjson", [
      '{"type":"sample","tMs":3,"sensor":"sacrum","accMps2":[0,0,9.8],"gyrDps":[0,0,0]}',
      '{"type":"sample","tMs":1,"sensor":"sacrum","accMps2":[0,0,9.8],"gyrDps":[0,"x",0]}',
      "not json at all",
      '{"type":"packet","tMs":2,"sensor":"nobody","char":"ff","hex":"00"}',
      '{"type":"packet","tMs":3,"sensor":"sacrum","char":"ff","hex":"0g"}',
      '{"type":"status","tMs":1,"sensor":"sacrum","state":"lost"}',
      '{"type":"event","tMs":4,"kind":"limits","limits":{"flexionDeg":"big"}}',
      "[1,2]",
      '{"tMs":5}',
      '{"type":"status","tMs":9,"sensor":"thoracic","state":"streaming"}',
    ]);
    const seen: number[] = [];
    const reader = await openRecording(path, { onProblem: (p) => seen.push(p.lineNo) });
    const items: RecordingItem[] = [];
    for await (const item of reader.items()) items.push(item);
    expect(items.filter((i) => i.line).map((i) => i.lineNo)).toEqual([2, 11]);
    const problems = items.flatMap((i) => (i.problem ? [i.problem] : []));
    expect(problems.map((p) => [p.lineNo, p.code])).toEqual([
      [3, "bad-field"],
      [4, "bad-json"],
      [5, "unknown-sensor"],
      [6, "bad-field"],
      [7, "time-backwards"],
      [8, "bad-field"],
      [9, "bad-json"],
      [10, "bad-field"],
    ]);
    expect(problems[0]!.message).toBe(`${path}:3: sample.gyrDps: expected an array of 3 numbers, got [0,"x",0]`);
    expect(problems[0]!.field).toBe("sample.gyrDps");
    expect(problems[5]!.message).toContain(":8: event.limits.flexionDeg: expected a number >= 0, got \"big\"");
    expect(reader.problems).toEqual(problems);
    expect(seen).toEqual(problems.map((p) => p.lineNo));
    for (const p of problems) expect(p.message).not.toContain("\n");
  });

  it("accepts CRLF line ends and blank lines, and a last whole line without its newline", async () => {
    const path = dir.file("crlf.ndjson");
    writeFileSync(path, `${header}\r\n\r\n{"type":"note-like","tMs":1}\r\n{"type":"event","tMs":2,"kind":"note","text":"é ü"}`);
    const { items, reader } = await readAll(path);
    expect(items).toEqual([{ lineNo: 4, line: { type: "event", tMs: 2, kind: "note", text: "é ü" } }]);
    expect(reader.problemCount).toBe(0);
  });

  it("keeps a multi-byte character split across read chunks intact", async () => {
    const path = fileOf("utf8.ndjson", [JSON.stringify({ type: "event", tMs: 0, kind: "note", text: "ÄÖÜ€".repeat(50) })]);
    const reader = await openRecording(path, { chunkBytes: 7 });
    const got = [];
    for await (const { line } of reader) got.push(line);
    expect(got).toEqual([{ type: "event", tMs: 0, kind: "note", text: "ÄÖÜ€".repeat(50) }]);
  });
});

import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { openRecording, readRecordingHeader } from "./recording-reader.js";
import { RecordingError } from "./recording-error.js";
import { RecordingWriter } from "./recording-writer.js";
import { makeHeader, makeTempDir } from "./test-helpers.js";

const dir = makeTempDir();
afterAll(() => dir.remove());

async function errorOf(name: string, content: string | Buffer): Promise<RecordingError> {
  const path = dir.file(name);
  writeFileSync(path, content);
  try {
    await openRecording(path);
  } catch (err) {
    expect(err).toBeInstanceOf(RecordingError);
    return err as RecordingError;
  }
  throw new Error("expected openRecording to throw");
}

function headerWith(mutate: (h: Record<string, any>) => void): string {
  const h = JSON.parse(JSON.stringify(makeHeader()));
  mutate(h);
  return `${JSON.stringify(h)}\n`;
}

describe("header checks (CONTRACTS.md §1)", () => {
  it("names file, line and field of a bad mount axis in one line", async () => {
    const err = await errorOf("recording.ndjson", headerWith((h) => (h.sensors[1].mount.up = "up")));
    expect(err.message).toBe(
      `${dir.file("recording.ndjson")}:1: header.sensors[1].mount.up: expected one of +x -x +y -y +z -z, got "up"`,
    );
    expect(err.lineNo).toBe(1);
    expect(err.field).toBe("header.sensors[1].mount.up");
    expect(err.code).toBe("bad-header");
  });

  const cases: [string, (h: Record<string, any>) => void, string][] = [
    ["type", (h) => (h.type = "sample"), "header.type"],
    ["format", (h) => (h.format = "other"), "header.format"],
    ["version", (h) => (h.version = 2), "header.version"],
    ["createdAt", (h) => delete h.createdAt, "header.createdAt"],
    ["device", (h) => (h.sensors[0].device = "fitbit"), "header.sensors[0].device"],
    ["role", (h) => (h.sensors[0].role = "neck"), "header.sensors[0].role"],
    ["rateHz", (h) => (h.sensors[0].rateHz = 0), "header.sensors[0].rateHz"],
    ["mount.out parallel to up", (h) => (h.sensors[0].mount.out = "-x"), "header.sensors[0].mount.out"],
    ["id", (h) => (h.sensors[1].id = ""), "header.sensors[1].id"],
    ["two sacrum sensors", (h) => (h.sensors[1].role = "sacrum"), "header.sensors"],
    ["one sensor", (h) => h.sensors.pop(), "header.sensors"],
    ["duplicate ids", (h) => (h.sensors[1].id = "sacrum"), "header.sensors"],
    ["measured latency", (h) => (h.sensors[1].deviceOptions = { transportLatencyMs: "8" }), "header.sensors[1].deviceOptions.transportLatencyMs"],
    ["negative measured latency", (h) => (h.sensors[0].deviceOptions = { transportLatencyMs: -2 }), "header.sensors[0].deviceOptions.transportLatencyMs"],
    ["limits", (h) => (h.limits = { flexionDeg: -1, extensionDeg: 10, lateralBendDeg: 15, axialRotationDeg: 10 }), "header.limits.flexionDeg"],
  ];
  for (const [what, mutate, field] of cases) {
    it(`rejects a bad ${what}`, async () => {
      const err = await errorOf(`bad-${field}.ndjson`, headerWith(mutate));
      expect(err.field).toBe(field);
      expect(err.message).not.toContain("\n");
    });
  }

  it("lists every bad field in issues, the first in the message", async () => {
    const err = await errorOf("many.ndjson", headerWith((h) => {
      h.sensors[0].device = "x";
      h.sensors[1].rateHz = "fast";
    }));
    expect(err.issues.map((i) => i.field)).toEqual(["header.sensors[0].device", "header.sensors[1].rateHz"]);
  });

  it("rejects an empty file, a non-JSON header and a missing file with one-line errors", async () => {
    expect((await errorOf("empty.ndjson", "")).message).toContain(":1: header: the file is empty");
    expect((await errorOf("junk.ndjson", "hello\n")).message).toMatch(/:1: header: not valid JSON/);
    const gz = await errorOf("misnamed.ndjson", gzipSync(headerWith(() => {})));
    expect(gz.message).toContain("name it *.gz");
    const notGz = await errorOf("plain.ndjson.gz", headerWith(() => {}));
    expect(notGz.code).toBe("unreadable");
    expect(notGz.message).toMatch(/plain\.ndjson\.gz: cannot read as gzip: /);
    await expect(openRecording(dir.file("missing.ndjson"))).rejects.toThrow(`${dir.file("missing.ndjson")}: cannot read: no such file`);
  });

  it("accepts a header without a trailing newline or data", async () => {
    const path = dir.file("only-header.ndjson");
    writeFileSync(path, JSON.stringify(makeHeader()));
    expect(await readRecordingHeader(path)).toEqual(makeHeader());
  });

  it("the writer refuses an invalid header before creating anything", () => {
    const bad = { ...makeHeader(), sensors: [] };
    expect(() => RecordingWriter.open(dir.file("never.ndjson"), bad)).toThrow(RecordingError);
  });
});

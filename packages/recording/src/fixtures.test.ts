import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { openRecording, type RecordingItem } from "./recording-reader.js";

const fixture = (name: string): string => fileURLToPath(new URL(`../../../fixtures/recording/${name}`, import.meta.url));

async function readItems(path: string) {
  const reader = await openRecording(path);
  const items: RecordingItem[] = [];
  for await (const item of reader.items()) items.push(item);
  return { reader, items };
}

describe("fixtures/recording", () => {
  it("malformed.ndjson: each bad line reported with its number, the good ones delivered", async () => {
    const { reader, items } = await readItems(fixture("malformed.ndjson"));
    expect(items.filter((i) => i.line).map((i) => i.lineNo)).toEqual([2, 3, 4, 8, 12]);
    expect(items.flatMap((i) => (i.problem ? [[i.lineNo, i.problem.code]] : []))).toEqual([
      [5, "bad-json"],
      [6, "bad-field"],
      [9, "unknown-sensor"],
      [10, "time-backwards"],
      [11, "bad-field"],
    ]);
    expect(reader.unknownTypes.get("heart-rate")).toBe(1);
    const line8 = items.find((i) => i.lineNo === 8)!.line!;
    expect(line8).toMatchObject({ type: "sample", tMs: 20, sensor: "sacrum" });
  });

  it("killed-writer.ndjson.gz: reads a whole-line prefix and reports the cut gzip stream", async () => {
    const { reader, items } = await readItems(fixture("killed-writer.ndjson.gz"));
    const lines = items.flatMap((i) => (i.line ? [i.line] : []));
    expect(lines.length).toBeGreaterThan(1900);
    expect(lines.length).toBeLessThan(2000);
    lines.forEach((line, i) => expect(line).toMatchObject({ type: "sample", tMs: i * 5 }));
    expect(reader.problems.map((p) => p.code)).toContain("truncated-gzip");
  });
});

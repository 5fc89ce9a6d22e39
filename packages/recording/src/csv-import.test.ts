import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { SampleLine } from "@spinewatch/protocol";
import { STANDARD_GRAVITY_MPS2 } from "@spinewatch/protocol";
import { fusionCsvMapping, importCsv, type CsvImportItem, type CsvMapping } from "./csv-import.js";
import { openRecording } from "./recording-reader.js";
import { RecordingError } from "./recording-error.js";
import { RecordingWriter } from "./recording-writer.js";
import { makeHeader, makeTempDir } from "./test-helpers.js";

const fusionCsv = fileURLToPath(new URL("../../../fixtures/fusion/sensor_data.csv", import.meta.url));
const customCsv = fileURLToPath(new URL("../../../fixtures/recording/custom-export.csv", import.meta.url));
const dir = makeTempDir();
afterAll(() => dir.remove());

async function collect(path: string, mapping: CsvMapping): Promise<CsvImportItem[]> {
  const items: CsvImportItem[] = [];
  for await (const item of importCsv(path, mapping)) items.push(item);
  return items;
}

describe("importCsv, Fusion preset (fixtures/fusion/sensor_data.csv)", () => {
  it("turns every row into a sample line in SI-ish units (tolerance 1e-9)", async () => {
    const items = await collect(fusionCsv, fusionCsvMapping("sacrum"));
    expect(items).toHaveLength(13_514);
    expect(items.every((i) => i.line)).toBe(true);
    const [first, second] = items.map((i) => i.line!) as [SampleLine, SampleLine];
    expect(first.tMs).toBe(0);
    expect(first.sensor).toBe("sacrum");
    expect(first.gyrDps).toEqual([0.01644619, -0.1517251, 0.1080897]);
    const g = STANDARD_GRAVITY_MPS2;
    [0.001015204 * g, -0.02045836 * g, 0.9970807 * g].forEach((v, k) => expect(first.accMps2[k]).toBeCloseTo(v, 9));
    expect(first.magUt).toEqual([15.3017, 0.4328527, -41.06483]);
    // 0.010078907 s after the first row, kept to the microsecond.
    expect(second.tMs).toBe(10.079);
    expect(second.sensorTimeUs).toBe(10_079);
    expect(items[0]!.lineNo).toBe(2);
    const last = items.at(-1)!.line!;
    expect(last.tMs / 1000).toBeCloseTo(135.3, 1);
  });
});

describe("importCsv, a custom mapping (fixtures/recording/custom-export.csv)", () => {
  const mapping: CsvMapping = {
    sensor: "thoracic",
    delimiter: ";",
    time: { column: "time_ms", unit: "ms" },
    gyro: { columns: [1, 2, 3], unit: "radps" },
    acc: { columns: ["ax_m_s2", "ay_m_s2", "az_m_s2"], unit: "mps2" },
  };

  it("converts units, reports the bad cell and the backwards time with their lines", async () => {
    const items = await collect(customCsv, mapping);
    const problems = items.flatMap((i) => (i.problem ? [i.problem] : []));
    expect(problems.map((p) => [p.lineNo, p.code])).toEqual([
      [12, "bad-field"],
      [22, "time-backwards"],
    ]);
    expect(problems[0]!.message).toBe(`${customCsv}:12: column "gz_rad_s": expected a number, got "n/a"`);
    const lines = items.flatMap((i) => (i.line ? [i.line] : []));
    expect(lines).toHaveLength(38);
    expect(lines[1]!.tMs).toBe(20);
    expect(lines[1]!.gyrDps[1]).toBeCloseTo(9.998, 3); // 0.1745 rad/s
    expect(lines[1]!.accMps2).toEqual([0.1, -0.2, 9.81]);
    expect(lines[1]!.magUt).toBeUndefined();
  });

  it("throws a one-line RecordingError for a column the file does not have", async () => {
    const bad = { ...mapping, time: { column: "t", unit: "s" as const } };
    const err = await collect(customCsv, bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordingError);
    expect((err as Error).message).toMatch(/custom-export\.csv:1: csv mapping time: no column "t" \(columns: time_ms, gx_rad_s/);
  });

  it("imports into a recording that reads back as generic sample lines", async () => {
    const out = dir.file("imported.ndjson");
    const header = makeHeader({
      sensors: makeHeader().sensors.map((s) => ({ ...s, device: "generic" as const })),
    });
    const writer = RecordingWriter.open(out, header);
    let written = 0;
    for await (const item of importCsv(customCsv, mapping)) {
      if (item.line) {
        writer.write(item.line);
        written++;
      }
    }
    writer.close();
    const reader = await openRecording(out);
    let read = 0;
    for await (const { line } of reader) if (line.type === "sample" && line.sensor === "thoracic") read++;
    expect(read).toBe(written);
    expect(reader.problemCount).toBe(0);
  });
});

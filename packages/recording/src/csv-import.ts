import type { SampleLine, Vec3 } from "@spinewatch/protocol";
import { DecodedByteSource } from "./decoded-byte-source.js";
import { LineSplitter } from "./line-splitter.js";
import { RecordingError, describeValue, formatLocation, type RecordingProblem } from "./recording-error.js";

import { STANDARD_GRAVITY_MPS2 } from "@spinewatch/protocol";
const DEG_PER_RAD = 180 / Math.PI;
const MS_PER_UNIT = { s: 1000, ms: 1, us: 0.001 } as const;

/** A column by its header name or its 0-based index. */
export type CsvColumn = string | number;
export type CsvColumns3 = readonly [CsvColumn, CsvColumn, CsvColumn];

/** How the columns of a third-party CSV export map onto a `sample` line (CONTRACTS.md §1). */
export interface CsvMapping {
  /** Sensor id the sample lines are written for (a sensor of the recording's header). */
  sensor: string;
  time: { column: CsvColumn; unit: "s" | "ms" | "us" };
  acc: { columns: CsvColumns3; unit: "g" | "mps2" };
  gyro: { columns: CsvColumns3; unit: "dps" | "radps" };
  /** Magnetometer in µT, optional. */
  mag?: { columns: CsvColumns3 };
  /** Default ",". */
  delimiter?: string;
}

/**
 * The x-io Fusion example export (fixtures/fusion/sensor_data.csv): time in s, gyroscope in °/s,
 * accelerometer in g, magnetometer in µT, named columns.
 */
export function fusionCsvMapping(sensor: string): CsvMapping {
  return {
    sensor,
    time: { column: "Time (s)", unit: "s" },
    gyro: { columns: ["Gyroscope X (deg/s)", "Gyroscope Y (deg/s)", "Gyroscope Z (deg/s)"], unit: "dps" },
    acc: { columns: ["Accelerometer X (g)", "Accelerometer Y (g)", "Accelerometer Z (g)"], unit: "g" },
    mag: { columns: ["Magnetometer X (uT)", "Magnetometer Y (uT)", "Magnetometer Z (uT)"] },
  };
}

export type CsvImportItem =
  | { lineNo: number; line: SampleLine; problem?: undefined }
  | { lineNo: number; problem: RecordingProblem; line?: undefined };

interface ResolvedColumns {
  time: number;
  acc: number[];
  gyro: number[];
  mag: number[] | null;
}

function resolveColumns(mapping: CsvMapping, names: string[], path: string): ResolvedColumns {
  const find = (column: CsvColumn, field: string): number => {
    const index = typeof column === "number" ? column : names.indexOf(column);
    if (index < 0 || index >= names.length || !Number.isInteger(index)) {
      throw new RecordingError("bad-usage", path, 1, [
        { field: `csv mapping ${field}`, reason: `no column ${describeValue(column)} (columns: ${names.join(", ")})` },
      ]);
    }
    return index;
  };
  return {
    time: find(mapping.time.column, "time"),
    acc: mapping.acc.columns.map((c, i) => find(c, `acc[${i}]`)),
    gyro: mapping.gyro.columns.map((c, i) => find(c, `gyro[${i}]`)),
    mag: mapping.mag ? mapping.mag.columns.map((c, i) => find(c, `mag[${i}]`)) : null,
  };
}

/**
 * Streams a CSV export (first line: column names; `.gz` by name is gunzipped) as `sample`
 * lines for one sensor: `tMs` from the first row's time, `sensorTimeUs` the export's own clock,
 * acceleration in m/s², rates in °/s. A row with a bad cell or a time going backwards is
 * reported in-band with its line number and skipped; a mapping naming a missing column throws
 * RecordingError. Several sensors' imports can be merged by `tMs` into one recording.
 */
export async function* importCsv(path: string, mapping: CsvMapping): AsyncGenerator<CsvImportItem> {
  const bytes = new DecodedByteSource(path, path.endsWith(".gz"), 1 << 20);
  const splitter = new LineSplitter();
  const delimiter = mapping.delimiter ?? ",";
  const accScale = mapping.acc.unit === "g" ? STANDARD_GRAVITY_MPS2 : 1;
  const gyroScale = mapping.gyro.unit === "radps" ? DEG_PER_RAD : 1;
  const msPerUnit = MS_PER_UNIT[mapping.time.unit];
  let names: string[] | null = null;
  let cols: ResolvedColumns | null = null;
  let lineNo = 0;
  let t0Ms: number | null = null;
  let lastTMs = -Infinity;
  const texts: string[] = [];
  let ended = false;
  try {
    while (!ended) {
      texts.length = 0;
      let chunk: Buffer | null;
      try {
        chunk = await bytes.next();
      } catch (err) {
        if (names === null) {
          throw new RecordingError("unreadable", path, undefined, [{ field: "", reason: `cannot read: ${err instanceof Error ? err.message : String(err)}` }]);
        }
        yield problemItem(path, lineNo + 1, "read-error", "", `read failed (${err instanceof Error ? err.message : String(err)})`);
        chunk = null;
      }
      if (chunk === null) {
        ended = true;
        const rest = splitter.end();
        if (rest.trim() !== "") texts.push(rest);
      } else splitter.push(chunk, texts);
      for (const text of texts) {
        lineNo++;
        if (text.trim() === "") continue;
        const cells = text.split(delimiter);
        if (names === null || cols === null) {
          names = cells.map((c) => c.trim());
          cols = resolveColumns(mapping, names, path);
          continue;
        }
        const bad = (index: number): CsvImportItem =>
          problemItem(path, lineNo, "bad-field", `column ${describeValue(names![index])}`, `expected a number, got ${describeValue(cells[index])}`);
        const num = (index: number): number => {
          const cell = cells[index];
          return cell === undefined || cell.trim() === "" ? NaN : Number(cell);
        };
        const tRaw = num(cols.time);
        if (!Number.isFinite(tRaw)) {
          yield bad(cols.time);
          continue;
        }
        const vec = (indexes: number[], scale: number): Vec3 | number => {
          const v: number[] = [];
          for (const i of indexes) {
            const x = num(i);
            if (!Number.isFinite(x)) return i;
            v.push(x * scale);
          }
          return v as unknown as Vec3;
        };
        const acc = vec(cols.acc, accScale);
        if (typeof acc === "number") {
          yield bad(acc);
          continue;
        }
        const gyr = vec(cols.gyro, gyroScale);
        if (typeof gyr === "number") {
          yield bad(gyr);
          continue;
        }
        const mag = cols.mag ? vec(cols.mag, 1) : null;
        if (typeof mag === "number") {
          yield bad(mag);
          continue;
        }
        const timeMs = tRaw * msPerUnit;
        t0Ms ??= timeMs;
        // Rounded to the µs: exports print times like 0.010078907 s, whose float products carry noise.
        const tMs = Math.round((timeMs - t0Ms) * 1000) / 1000;
        if (tMs < lastTMs) {
          yield problemItem(path, lineNo, "time-backwards", `column ${describeValue(names[cols.time])}`, `time goes backwards (${tRaw})`);
          continue;
        }
        lastTMs = tMs;
        const line: SampleLine = { type: "sample", tMs, sensor: mapping.sensor, sensorTimeUs: Math.round(timeMs * 1000), accMps2: acc, gyrDps: gyr };
        if (mag) line.magUt = mag;
        yield { lineNo, line };
      }
    }
  } finally {
    bytes.destroy();
  }
  if (names === null) throw new RecordingError("bad-usage", path, 1, [{ field: "csv", reason: "the file is empty (expected a header row)" }]);
}

function problemItem(path: string, lineNo: number, code: RecordingProblem["code"], field: string, reason: string): CsvImportItem {
  const problem: RecordingProblem = { lineNo, code, message: formatLocation(path, lineNo, field, reason) };
  if (field) problem.field = field;
  return { lineNo, problem };
}

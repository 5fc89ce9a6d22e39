/**
 * Shared by this package's tests, bench/recording-read.ts and fixtures/recording/make-fixtures.ts
 * (by path): a valid header, data lines and a temporary directory. Not exported from the index.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DataLine, HeaderLine } from "@spinewatch/protocol";

export function makeHeader(overrides: Partial<HeaderLine> = {}): HeaderLine {
  return {
    type: "header",
    format: "spinewatch-recording",
    version: 1,
    createdAt: "2026-11-21T10:00:00.000Z",
    sensors: [
      { id: "sacrum", role: "sacrum", device: "witmotion-wt901ble", rateHz: 100, mount: { up: "+x", out: "+z" } },
      { id: "thoracic", role: "thoracolumbar", device: "witmotion-wt901ble", rateHz: 100, mount: { up: "+x", out: "+z" } },
    ],
    exercise: "kettlebell-swing",
    ...overrides,
  };
}

/** `n` data lines, 10 ms apart, cycling through packet, sample, truth and an occasional event. */
export function makeLines(n: number, stepMs = 10): DataLine[] {
  const lines: DataLine[] = [];
  for (let i = 0; i < n; i++) {
    const tMs = i * stepMs;
    switch (i % 4) {
      case 0:
        lines.push({ type: "packet", tMs, sensor: "sacrum", char: "0000ffe400001000800000805f9a34fb", hex: `5561${(i & 0xff).toString(16).padStart(2, "0")}00` });
        break;
      case 1:
        lines.push({ type: "sample", tMs, sensor: "thoracic", accMps2: [0.1 * i, -9.8, 0.25], gyrDps: [1, 2, i / 7] });
        break;
      case 2:
        lines.push({ type: "truth", tMs, flexionDeg: i / 3, lateralBendDeg: 0, axialRotationDeg: -1.5, pelvisTiltDeg: 2 });
        break;
      default:
        lines.push(i % 40 === 3 ? { type: "event", tMs, kind: "note", text: `n${i}` } : { type: "status", tMs, sensor: "sacrum", state: "streaming" });
    }
  }
  return lines;
}

export interface TempDir {
  path: string;
  file(name: string): string;
  remove(): void;
}

export function makeTempDir(prefix = "spinewatch-recording-"): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, file: (name) => join(path, name), remove: () => rmSync(path, { recursive: true, force: true }) };
}

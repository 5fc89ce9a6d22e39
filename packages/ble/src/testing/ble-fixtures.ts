import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { hexToBytes } from "@spinewatch/devices";
import type { SensorInfo } from "@spinewatch/protocol";
import type { FakeNotification } from "./fake-noble.js";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

/** A recorded packet list from fixtures/ble (recording format, CONTRACTS.md §1): per sensor, its notifications in order. */
export interface BleFixture {
  sensors: SensorInfo[];
  packets: Record<string, (FakeNotification & { tMs: number })[]>;
}

/** Loads fixtures/ble/<name>; a malformed line is an error naming the file and line. */
export function loadBleFixture(name: string): BleFixture {
  const path = join(REPO_ROOT, "fixtures", "ble", name);
  const lines = readFileSync(path, "utf8").split("\n").filter((l) => l.trim() !== "");
  const fixture: BleFixture = { sensors: [], packets: {} };
  lines.forEach((text, i) => {
    let line: { type?: string; sensors?: SensorInfo[]; sensor?: string; char?: string; hex?: string; tMs?: number };
    try {
      line = JSON.parse(text);
    } catch {
      throw new Error(`${path}:${i + 1}: not JSON`);
    }
    if (line.type === "header") fixture.sensors = line.sensors ?? [];
    else if (line.type === "packet") {
      if (!line.sensor || !line.char || typeof line.hex !== "string" || typeof line.tMs !== "number") throw new Error(`${path}:${i + 1}: packet line needs tMs, sensor, char, hex`);
      (fixture.packets[line.sensor] ??= []).push({ tMs: line.tMs, char: line.char, bytes: hexToBytes(line.hex) });
    }
  });
  return fixture;
}

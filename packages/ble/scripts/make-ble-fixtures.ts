/**
 * Regenerates fixtures/ble/two-sensor-packets.ndjson (documented in fixtures/README.md,
 * "## fixtures/ble"): 1 s of raw notifications from a WitMotion (sacrum, 50 Hz, 2 frames per
 * notification) and a Movella DOT (thoracic, 60 Hz, payload mode 26), encoded with the
 * packages/devices encoders from a deterministic sway, in the recording format (CONTRACTS.md §1).
 * The WitMotion stream starts with the real captured frame of BLE-PROTOCOLS.md §1.3 [W10].
 *
 *   node --import tsx packages/ble/scripts/make-ble-fixtures.ts
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bytesToHex, getDeviceModule, hexToBytes, WIT_DATA_CHAR_UUID } from "@spinewatch/devices";
import { swayingSamples } from "../src/testing/fake-devices.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const out = join(root, "fixtures", "ble", "two-sensor-packets.ndjson");

const WIT_RATE_HZ = 50;
const DOT_RATE_HZ = 60;
const REAL_WIT_FRAME = "5561fcffefff110800000000000098ff0d00f831"; // BLE-PROTOCOLS.md §1.3 worked example [W10]

const lines: { tMs: number; line: object }[] = [];
const packet = (tMs: number, sensor: string, char: string, bytes: Uint8Array) =>
  lines.push({ tMs, line: { type: "packet", tMs, sensor, char, hex: bytesToHex(bytes) } });

const wit = getDeviceModule("witmotion-wt901ble").createEncoder({ rateHz: WIT_RATE_HZ, batchFrames: 2 });
packet(0, "sacrum", WIT_DATA_CHAR_UUID, hexToBytes(REAL_WIT_FRAME));
swayingSamples(WIT_RATE_HZ, WIT_RATE_HZ).forEach((s, k) => {
  for (const n of wit.push(s)) packet(Math.round((1000 * (k + 1)) / WIT_RATE_HZ), "sacrum", n.char, n.bytes);
});

const dot = getDeviceModule("movella-dot").createEncoder({ rateHz: DOT_RATE_HZ, payloadMode: 26 });
swayingSamples(DOT_RATE_HZ, DOT_RATE_HZ).forEach((s, k) => {
  for (const n of dot.push({ ...s, eulerDeg: undefined })) packet(Math.round((1000 * (k + 1)) / DOT_RATE_HZ), "thoracic", n.char, n.bytes);
});

const header = {
  type: "header",
  format: "spinewatch-recording",
  version: 1,
  createdAt: "2026-11-21T10:00:00.000Z",
  sensors: [
    { id: "sacrum", role: "sacrum", device: "witmotion-wt901ble", rateHz: WIT_RATE_HZ, mount: { up: "+x", out: "+z" }, deviceOptions: { rateHz: WIT_RATE_HZ, axisMode: 6 } },
    { id: "thoracic", role: "thoracolumbar", device: "movella-dot", rateHz: DOT_RATE_HZ, mount: { up: "+x", out: "+z" }, deviceOptions: { rateHz: DOT_RATE_HZ, payloadMode: 26 } },
  ],
};
lines.sort((a, b) => a.tMs - b.tMs);
writeFileSync(out, [header, ...lines.map((l) => l.line)].map((l) => JSON.stringify(l)).join("\n") + "\n");
console.log(`wrote ${out}: ${lines.length} packets`);

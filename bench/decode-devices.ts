/**
 * Device decoder throughput: encodes 20,000 realistic samples per family once, then times
 * decoding them (best of 5 passes, after a warm-up pass). Prints
 * `BENCH decode_<family>_ns_per_<unit>` lines (CONTRACTS.md §3) and a readable table.
 */
import { performance } from "node:perf_hooks";
import type { DeviceSample, QuatWxyz } from "@spinewatch/protocol";
import { createGenericModule, getDeviceModule, type DeviceModule, type DeviceOptions, type EncodedNotification } from "../packages/devices/src/index.js";
import { EXAMPLE_GENERIC_CONFIG } from "../packages/devices/src/testing/example-generic-config.js";

const N = 20_000;

function samples(): DeviceSample[] {
  const out: DeviceSample[] = [];
  for (let k = 0; k < N; k++) {
    const a = k * 0.01;
    const q: QuatWxyz = [Math.cos(a / 2), Math.sin(a / 2) * 0.6, 0, Math.sin(a / 2) * 0.8];
    out.push({
      sensorTimeUs: k * 10_000,
      accMps2: [Math.sin(a), Math.cos(a), 9.8],
      gyrDps: [10 * Math.sin(a), 5, -3],
      quatWxyz: q,
      eulerDeg: [Math.sin(a) * 30, 5, (k % 360) - 180],
    });
  }
  return out;
}

function bench(name: string, unit: string, module: DeviceModule, options: DeviceOptions, perSample: (d: ReturnType<DeviceModule["createDecoder"]>) => number): void {
  const enc = module.createEncoder(options);
  const notes: EncodedNotification[] = [];
  for (const s of samples()) notes.push(...enc.push(s));
  notes.push(...enc.flush());
  let best = Infinity;
  let units = 0;
  for (let pass = 0; pass < 6; pass++) {
    const d = module.createDecoder(options);
    const t0 = performance.now();
    for (const n of notes) d.next(n.char, n.bytes);
    const ms = performance.now() - t0;
    units = perSample(d);
    if (d.counters.problems !== 0) throw new Error(`${name}: ${d.counters.problems} problems decoding valid data`);
    if (pass > 0) best = Math.min(best, ms);
  }
  const ns = (best * 1e6) / units;
  process.stdout.write(`BENCH ${name} ${ns.toFixed(0)} ns\n`);
  process.stdout.write(`  ${name}: ${ns.toFixed(0)} ns per ${unit} (${notes.length} notifications, ${units} ${unit}s, ${(units / (best / 1000) / 1e6).toFixed(2)} M ${unit}s/s)\n`);
}

const frames = (d: { counters: { samples: number } }) => d.counters.samples;
const notifications = (d: { counters: { notifications: number } }) => d.counters.notifications;
bench("decode_witmotion_ns_per_frame", "frame", getDeviceModule("witmotion-wt901ble"), { rateHz: 100 }, frames);
bench("decode_movella_mode26_ns_per_notification", "notification", getDeviceModule("movella-dot"), { payloadMode: 26 }, notifications);
bench("decode_movella_mode20_ns_per_notification", "notification", getDeviceModule("movella-dot"), { payloadMode: 20 }, notifications);
bench("decode_thingy52_ns_per_notification", "notification", getDeviceModule("nordic-thingy52"), {}, notifications);
bench("decode_metamotion_ns_per_notification", "notification", getDeviceModule("mbientlab-metamotion"), {}, notifications);
bench("decode_generic_ns_per_notification", "notification", createGenericModule(EXAMPLE_GENERIC_CONFIG), {}, notifications);

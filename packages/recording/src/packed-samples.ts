import type { DeviceSample, SampleLine, SourceEvent } from "@spinewatch/protocol";

/**
 * A batch's `sample` lines as columns (packed-batch.ts): the fields a sample event carries
 * (line-to-source-event.ts deviceSample), in typed arrays whose buffers are transferred. A
 * recording of decoded samples (generic devices, CSV imports) is all sample lines; cloned as
 * objects they cost the pipeline's thread about what parsing them did (docs/BENCHMARKS.md,
 * analyze: a 20-minute generic recording gained nothing from the second thread before this).
 */
export interface PackedSamples {
  tMs: Float64Array;
  /** Index into the batch string table: the sensor id. */
  sensor: Uint16Array;
  /** Which optional fields each sample has: HAS_TIME | HAS_MAG | HAS_QUAT. */
  flags: Uint8Array;
  accMps2: Float64Array;
  gyrDps: Float64Array;
  sensorTimeUs: Float64Array;
  magUt: Float64Array;
  quatWxyz: Float64Array;
}

const HAS_TIME = 1;
const HAS_MAG = 2;
const HAS_QUAT = 4;

/** Columns for `lines`; `index` gives a string's index in the batch string table. */
export function packSamples(lines: readonly SampleLine[], index: (s: string) => number): { samples: PackedSamples; transfer: ArrayBuffer[] } {
  const n = lines.length;
  const p: PackedSamples = {
    tMs: new Float64Array(n),
    sensor: new Uint16Array(n),
    flags: new Uint8Array(n),
    accMps2: new Float64Array(3 * n),
    gyrDps: new Float64Array(3 * n),
    sensorTimeUs: new Float64Array(n),
    magUt: new Float64Array(3 * n),
    quatWxyz: new Float64Array(4 * n),
  };
  for (let i = 0; i < n; i++) {
    const l = lines[i]!;
    p.tMs[i] = l.tMs;
    p.sensor[i] = index(l.sensor);
    p.accMps2.set(l.accMps2, 3 * i);
    p.gyrDps.set(l.gyrDps, 3 * i);
    let flags = 0;
    if (l.sensorTimeUs !== undefined) {
      flags |= HAS_TIME;
      p.sensorTimeUs[i] = l.sensorTimeUs;
    }
    if (l.magUt !== undefined) {
      flags |= HAS_MAG;
      p.magUt.set(l.magUt, 3 * i);
    }
    if (l.quatWxyz !== undefined) {
      flags |= HAS_QUAT;
      p.quatWxyz.set(l.quatWxyz, 4 * i);
    }
    p.flags[i] = flags;
  }
  const transfer = [p.tMs, p.sensor, p.flags, p.accMps2, p.gyrDps, p.sensorTimeUs, p.magUt, p.quatWxyz].map((a) => a.buffer as ArrayBuffer);
  return { samples: p, transfer };
}

/** The `sample` event of row `i`, shaped as lineToSourceEvent makes it from the line. */
export function unpackSample(p: PackedSamples, i: number, sensorId: string): SourceEvent {
  const a = 3 * i;
  const sample: DeviceSample = {
    accMps2: [p.accMps2[a]!, p.accMps2[a + 1]!, p.accMps2[a + 2]!],
    gyrDps: [p.gyrDps[a]!, p.gyrDps[a + 1]!, p.gyrDps[a + 2]!],
  };
  const flags = p.flags[i]!;
  if (flags & HAS_TIME) sample.sensorTimeUs = p.sensorTimeUs[i]!;
  if (flags & HAS_MAG) sample.magUt = [p.magUt[a]!, p.magUt[a + 1]!, p.magUt[a + 2]!];
  if (flags & HAS_QUAT) {
    const q = 4 * i;
    sample.quatWxyz = [p.quatWxyz[q]!, p.quatWxyz[q + 1]!, p.quatWxyz[q + 2]!, p.quatWxyz[q + 3]!];
  }
  return { type: "sample", sensorId, hostTimeMs: p.tMs[i]!, sample };
}

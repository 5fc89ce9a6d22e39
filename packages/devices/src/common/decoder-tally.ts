import type { DeviceSample } from "@spinewatch/protocol";
import type { DecodedItem, DecoderCounters } from "../types.js";

/**
 * The counting half of every decoder: each item a decoder emits goes through here, so that the
 * counters and the items always agree (problems in-band AND counted, never silently lost).
 */
export class DecoderTally {
  readonly counters: DecoderCounters = {
    notifications: 0,
    samples: 0,
    badBytes: 0,
    problems: 0,
    bytes: 0,
    decodedBytes: 0,
    pendingBytes: 0,
  };

  notification(byteCount: number): void {
    this.counters.notifications++;
    this.counters.bytes += byteCount;
  }

  sample(out: DecodedItem[], sample: DeviceSample): void {
    this.counters.samples++;
    out.push({ kind: "sample", sample });
  }

  /** A problem item; `badBytes` of the notification were discarded because of it. */
  problem(out: DecodedItem[], code: string, message: string, badBytes: number): void {
    this.counters.problems++;
    this.counters.badBytes += badBytes;
    out.push({ kind: "problem", code, message });
  }

  decoded(byteCount: number): void {
    this.counters.decodedBytes += byteCount;
  }

  /** Bytes discarded without an item (only `reset()` does this: it has no output). */
  discardSilently(byteCount: number): void {
    this.counters.badBytes += byteCount;
  }
}

/** Whether every component is a finite number (bit flips in f32 fields can give NaN/Infinity). */
export function allFinite(values: readonly number[]): boolean {
  for (const v of values) if (!Number.isFinite(v)) return false;
  return true;
}

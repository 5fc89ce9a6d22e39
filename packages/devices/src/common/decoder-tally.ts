import type { DeviceSample } from "@spinewatch/protocol";
import type { DecodedItem, DecoderCounters, StreamDecoder } from "../types.js";

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

/**
 * What every StreamDecoder shares: the tally behind `counters`, and a `reset()` for decoders that
 * keep nothing between notifications (WitMotion's pending bytes and MetaMotion's half pairs
 * override it). `next` stays in each decoder, which also makes its own `out` list: a list made
 * here would share one allocation site among all decoder classes, which measured ~4 % slower for
 * MetaMotion in bench/decode-devices.ts.
 */
export abstract class TalliedDecoder implements StreamDecoder {
  /**
   * Protected rather than #private so that the decoders count through it; read in their own
   * methods, the load stays monomorphic (a shared accessor would see every decoder class).
   */
  protected readonly tally = new DecoderTally();

  get counters(): Readonly<DecoderCounters> {
    return this.tally.counters;
  }

  reset(): void {
    // Stateless per notification: nothing to forget.
  }

  abstract next(char: string, bytes: Uint8Array): DecodedItem[];
}

/** Whether every component is a finite number (bit flips in f32 fields can give NaN/Infinity). */
export function allFinite(values: readonly number[]): boolean {
  for (const v of values) if (!Number.isFinite(v)) return false;
  return true;
}

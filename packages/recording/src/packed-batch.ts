import type { SampleLine, SourceEvent } from "@spinewatch/protocol";
import { lineToSourceEvent, problemToSourceEvent } from "./line-to-source-event.js";
import { packSamples, unpackSample, type PackedSamples } from "./packed-samples.js";
import type { RecordingItem } from "./recording-reader.js";

/**
 * One read chunk's items, packed to cross from the parser thread to the pipeline's thread
 * (worker-replay.ts). Packet lines, nearly every line of a BLE recording, travel as columns of
 * typed arrays whose buffers are transferred, not copied, so that the receiving thread does not
 * rebuild hundreds of cloned objects per chunk; their bytes are decoded from hex already, all
 * into one buffer, and the receiver hands out views of it (as `hexToBytes` does with `shared`).
 * Sample lines (all of a recording of decoded samples) travel as columns too (packed-samples.ts).
 * Everything else (event and status lines, problems: rare) travels as structured-cloned objects,
 * in `others`.
 */
export interface PackedBatch {
  /** One per item, in file order: PACKET, SAMPLE (next in those columns) or OTHER (next in `others`). */
  kinds: Uint8Array;
  packetTMs: Float64Array;
  /** Index into the string table: the sensor id. */
  packetSensor: Uint16Array;
  /** Index into the string table: the characteristic UUID. */
  packetChar: Uint16Array;
  /** End of each packet's bytes in `bytes`; it starts where the previous one ends. */
  packetBytesEnd: Uint32Array;
  bytes: Uint8Array;
  /** The sample lines, when the batch has any. */
  samples?: PackedSamples;
  others: RecordingItem[];
  /** Strings this batch adds to the table, in index order (sensor ids and UUIDs repeat endlessly). */
  newStrings: string[];
}

export const PACKET = 0;
export const OTHER = 1;
export const SAMPLE = 2;

/**
 * The string table's limit. Sensor ids come from the header; UUIDs are whatever the lines say,
 * so a file with more distinct ones than this is not a recording the packed path handles.
 */
const MAX_STRINGS = 0xffff;

/** Packs items in the parser thread. Keeps the string table across batches. */
export class BatchPacker {
  readonly #strings = new Map<string, number>();

  /** The batch and the buffers to transfer with it. */
  pack(items: readonly RecordingItem[]): { batch: PackedBatch; transfer: ArrayBuffer[] } {
    let packets = 0;
    let byteCount = 0;
    for (const item of items) {
      if (item.line?.type === "packet") {
        packets++;
        byteCount += item.line.hex.length >>> 1;
      }
    }
    const kinds = new Uint8Array(items.length);
    const packetTMs = new Float64Array(packets);
    const packetSensor = new Uint16Array(packets);
    const packetChar = new Uint16Array(packets);
    const packetBytesEnd = new Uint32Array(packets);
    const bytes = new Uint8Array(byteCount);
    const writer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const others: RecordingItem[] = [];
    const sampleLines: SampleLine[] = [];
    const newStrings: string[] = [];
    let p = 0;
    let end = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const line = item.line;
      if (line?.type === "sample") {
        kinds[i] = SAMPLE;
        sampleLines.push(line);
        continue;
      }
      if (line?.type !== "packet") {
        kinds[i] = OTHER;
        others.push(item);
        continue;
      }
      kinds[i] = PACKET;
      packetTMs[p] = line.tMs;
      packetSensor[p] = this.#index(line.sensor, newStrings);
      packetChar[p] = this.#index(line.char, newStrings);
      const n = line.hex.length >>> 1;
      // The reader has checked the hex digits; a short write would still be caught here.
      if (writer.write(line.hex, end, n, "hex") !== n) throw new Error(`line ${item.lineNo}: packet hex did not decode`);
      end += n;
      packetBytesEnd[p] = end;
      p++;
    }
    const batch: PackedBatch = { kinds, packetTMs, packetSensor, packetChar, packetBytesEnd, bytes, others, newStrings };
    const transfer = [kinds.buffer, packetTMs.buffer, packetSensor.buffer, packetChar.buffer, packetBytesEnd.buffer, bytes.buffer];
    if (sampleLines.length > 0) {
      const packed = packSamples(sampleLines, (s) => this.#index(s, newStrings));
      batch.samples = packed.samples;
      transfer.push(...packed.transfer);
    }
    return { batch, transfer };
  }

  #index(s: string, added: string[]): number {
    let i = this.#strings.get(s);
    if (i === undefined) {
      i = this.#strings.size;
      if (i >= MAX_STRINGS) throw new Error(`more than ${MAX_STRINGS} distinct sensor ids and characteristic UUIDs`);
      this.#strings.set(s, i);
      added.push(s);
    }
    return i;
  }
}

/**
 * Turns packed batches back into source events in the pipeline's thread, exactly as the replay
 * source makes them from the same items (replay-source.ts at rate Infinity without ground truth):
 * truth-event lines are dropped, and a problem is dated at the last line played before it.
 */
export class BatchUnpacker {
  readonly #strings: string[] = [];
  #consumedTMs = -Infinity;

  /** tMs of the last line unpacked (-Infinity before the first). */
  get lastTMs(): number {
    return this.#consumedTMs;
  }

  /** Calls `emit` for each event of the batch in order; stops early when `emit` returns false. */
  unpack(batch: PackedBatch, emit: (event: SourceEvent) => boolean): void {
    const strings = this.#strings;
    for (const s of batch.newStrings) strings.push(s);
    const { kinds, packetTMs, packetSensor, packetChar, packetBytesEnd, bytes, others, samples } = batch;
    let p = 0;
    let o = 0;
    let s = 0;
    let start = 0;
    for (let i = 0; i < kinds.length; i++) {
      let event: SourceEvent | null;
      if (kinds[i] === PACKET) {
        const tMs = packetTMs[p]!;
        const end = packetBytesEnd[p]!;
        event = { type: "packet", sensorId: strings[packetSensor[p]!]!, hostTimeMs: tMs, char: strings[packetChar[p]!]!, bytes: bytes.subarray(start, end) };
        this.#consumedTMs = tMs;
        start = end;
        p++;
      } else if (kinds[i] === SAMPLE) {
        event = unpackSample(samples!, s, strings[samples!.sensor[s]!]!);
        this.#consumedTMs = event.hostTimeMs;
        s++;
      } else {
        const item = others[o++]!;
        if (item.problem) event = problemToSourceEvent(item.problem, this.#consumedTMs);
        else if (item.line.type === "truth-event") event = null;
        else {
          this.#consumedTMs = item.line.tMs;
          event = lineToSourceEvent(item.line);
        }
      }
      if (event !== null && !emit(event)) return;
    }
  }
}

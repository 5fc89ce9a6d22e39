import { concatBytes } from "../common/bytes.js";
import { TalliedDecoder } from "../common/decoder-tally.js";
import type { DecodedItem } from "../types.js";
import { decodeWitStreamFrame, WIT_FLAG_STREAM, WIT_HEADER, witFrameLength } from "./frame-layout.js";
import { decodeWitRegisterReply, type WitRegisterState } from "./register-reply.js";
import { isWitDataChar } from "./uuids.js";

export interface WitDecoderOptions {
  /** Preset magnetometer chip type (register 0x72) if it is known without reading it. */
  magType?: number;
}

/**
 * WitMotion notifications -> items. The device batches several 20-byte frames per notification
 * and a frame can straddle two notifications [BLE-PROTOCOLS.md §1.3, W10 capture], so the
 * notifications are treated as one byte stream, as the official SDKs do (append, resync on
 * `55 61` / `55 71`, cut frames) [W1 Bwt901bleResolver.java, W2 onDataReceived].
 *
 * Resynchronisation: bytes that cannot start a known frame are discarded; each run of
 * discarded bytes is ONE problem item carrying the byte count. Because the frames carry no
 * checksum, a `55 61` inside garbage could fake a header; so right after discarding bytes a
 * candidate frame is accepted only if it is followed by another header byte (0x55) or ends
 * exactly where the received bytes end. In lock (no garbage just before) frames are taken as
 * they come. Corruption inside a frame's value bytes is undetectable without a checksum.
 */
/**
 * Nothing pending, shared: #pending is only read and replaced, never written into, and a fresh
 * empty Uint8Array per notification (an ArrayBuffer each) was the decoder's largest single cost
 * in a 1-hour `analyze` profile (bench/analyze-1h.ts).
 */
const NO_BYTES = new Uint8Array(0);

export class WitMotionStreamDecoder extends TalliedDecoder {
  #pending: Uint8Array = NO_BYTES;
  #resyncing = false;
  readonly #registers: WitRegisterState;
  readonly #presetMagType: number | undefined;

  constructor(options: WitDecoderOptions = {}) {
    super();
    this.#presetMagType = options.magType;
    this.#registers = { magType: options.magType };
  }

  next(char: string, bytes: Uint8Array): DecodedItem[] {
    const out: DecodedItem[] = [];
    const tally = this.tally;
    tally.notification(bytes.length);
    if (!isWitDataChar(char)) {
      tally.problem(out, "witmotion.unexpected-char",
        `WitMotion notification on characteristic ${char}, expected the ffe4 data characteristic`, bytes.length);
      return out;
    }
    if (bytes.length === 0) {
      tally.problem(out, "witmotion.empty", "empty WitMotion notification", 0);
      return out;
    }
    const buf = this.#pending.length === 0 ? bytes : concatBytes(this.#pending, bytes);
    const n = buf.length;
    let i = 0;
    let garbageStart = -1;
    while (i < n) {
      if (buf[i] === WIT_HEADER) {
        if (i + 1 >= n) break; // a header split after its first byte: wait for the rest
        const len = witFrameLength(buf[i + 1]);
        if (len > 0) {
          if (i + len > n) break; // a frame split across notifications: keep it pending
          const confirmed = !this.#resyncing || i + len === n || buf[i + len] === WIT_HEADER;
          if (confirmed) {
            if (garbageStart >= 0) {
              this.#garbage(out, i - garbageStart);
              garbageStart = -1;
            }
            this.#frame(out, buf, i);
            tally.decoded(len);
            this.#resyncing = false;
            i += len;
            continue;
          }
        }
      }
      if (garbageStart < 0) garbageStart = i;
      this.#resyncing = true;
      i++;
    }
    if (garbageStart >= 0) this.#garbage(out, i - garbageStart);
    this.#pending = i < n ? buf.slice(i) : NO_BYTES;
    tally.counters.pendingBytes = this.#pending.length;
    return out;
  }

  override reset(): void {
    // A partial frame from before a reconnect can never be completed: its bytes count as bad.
    this.tally.discardSilently(this.#pending.length);
    this.#pending = NO_BYTES;
    this.tally.counters.pendingBytes = 0;
    this.#resyncing = false;
    this.#registers.magType = this.#presetMagType;
  }

  #garbage(out: DecodedItem[], count: number): void {
    this.tally.problem(out, "witmotion.resync",
      `discarded ${count} byte(s) that do not start a 55 61 / 55 71 frame`, count);
  }

  #frame(out: DecodedItem[], buf: Uint8Array, i: number): void {
    if (buf[i + 1] === WIT_FLAG_STREAM) {
      this.tally.sample(out, decodeWitStreamFrame(buf, i));
      return;
    }
    const problems: { code: string; message: string }[] = [];
    decodeWitRegisterReply(buf, i, this.#registers, out, problems);
    for (const p of problems) this.tally.problem(out, p.code, p.message, 0);
  }
}

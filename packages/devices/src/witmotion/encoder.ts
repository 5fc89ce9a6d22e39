import type { DeviceSample, QuatWxyz } from "@spinewatch/protocol";
import { writeI16le, writeU16le } from "../common/bytes.js";
import type { EncodedNotification, SampleEncoder } from "../types.js";
import { witQuatToEulerDeg } from "./euler-convention.js";
import { encodeWitStreamFrame, WIT_FLAG_REGISTER, WIT_HEADER } from "./frame-layout.js";
import { WIT_REG } from "./register-reply.js";
import { WIT_DATA_CHAR_UUID } from "./uuids.js";

/**
 * Frames per notification. The real capture [BLE-PROTOCOLS.md §1.3, W10] shows 2 frames per
 * notification at 50 Hz, i.e. the module flushes about every 40 ms; we ASSUME the same 40 ms
 * window at other rates (4 frames at 100 Hz, 8 at 200 Hz, 1 at ≤ 25 Hz). The capture's 4-frame
 * notification fits 100 Hz under this model. Capped at 12 frames (240 B) so a notification fits
 * the 256-byte MTU noble requests (§6.4).
 */
export function witDefaultBatchFrames(rateHz: number): number {
  return Math.max(1, Math.min(12, Math.round(rateHz * 0.04)));
}

export interface WitEncoderOptions {
  rateHz?: number;
  /** Frames per notification; default witDefaultBatchFrames(rateHz). */
  batchFrames?: number;
}

/**
 * Samples -> 0x61 notifications, `batchFrames` frames each. Missing fields encode as zero;
 * Euler angles come from `eulerDeg`, else from `quatWxyz` via the ASSUMED Z-Y-X convention
 * (euler-convention.ts), else zero.
 */
export class WitMotionEncoder implements SampleEncoder {
  readonly #batchFrames: number;
  #batch: Uint8Array;
  #count = 0;

  constructor(options: WitEncoderOptions = {}) {
    const batch = options.batchFrames ?? witDefaultBatchFrames(options.rateHz ?? 100);
    if (!Number.isInteger(batch) || batch < 1) throw new Error(`witmotion encoder: batchFrames must be a positive integer, got ${batch}`);
    this.#batchFrames = batch;
    this.#batch = new Uint8Array(20 * batch);
  }

  push(sample: DeviceSample): EncodedNotification[] {
    const euler = sample.eulerDeg ?? (sample.quatWxyz ? witQuatToEulerDeg(sample.quatWxyz) : ZERO);
    encodeWitStreamFrame(this.#batch, 20 * this.#count, sample.accMps2 ?? ZERO, sample.gyrDps ?? ZERO, euler);
    this.#count++;
    return this.#count === this.#batchFrames ? this.flush() : [];
  }

  flush(): EncodedNotification[] {
    if (this.#count === 0) return [];
    const bytes = this.#batch.slice(0, 20 * this.#count);
    this.#count = 0;
    return [{ char: WIT_DATA_CHAR_UUID, bytes }];
  }
}

const ZERO = [0, 0, 0] as const;

/** A 0x71 reply: start register and up to 8 raw i16 register values (rest zero) [§1.4]. */
export function encodeWitRegisterReply(startRegister: number, values: readonly number[]): Uint8Array {
  const b = new Uint8Array(20);
  b[0] = WIT_HEADER;
  b[1] = WIT_FLAG_REGISTER;
  writeU16le(b, 2, startRegister);
  for (let k = 0; k < Math.min(8, values.length); k++) writeI16le(b, 4 + 2 * k, values[k]);
  return b;
}

/** The reply to `FF AA 27 51 00`: Q0..Q3 = w,x,y,z × 32768 (saturating at 32767). */
export function encodeWitQuaternionReply(q: Readonly<QuatWxyz>): Uint8Array {
  return encodeWitRegisterReply(WIT_REG.quaternion, q.map((c) => c * 32768));
}

/** The reply to `FF AA 27 64 00`: volts × 100. */
export function encodeWitBatteryReply(volts: number): Uint8Array {
  return encodeWitRegisterReply(WIT_REG.battery, [volts * 100]);
}

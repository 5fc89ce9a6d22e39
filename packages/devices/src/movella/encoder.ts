import type { DeviceSample, QuatWxyz, Vec3 } from "@spinewatch/protocol";
import { viewOf } from "../common/bytes.js";
import type { EncodedNotification, SampleEncoder } from "../types.js";
import { DOT_CHAR_BYTES, DOT_CHAR_UUID, type DotField, type DotPayloadMode } from "./payload-modes.js";

/** Modes the encoder writes: the ones carrying acc+gyro and the quaternion modes. */
export const DOT_ENCODABLE_MODES: readonly number[] = [2, 3, 5, 20, 21, 24, 26];

export interface DotEncoderOptions {
  /** Output rate, used for timestamps when a sample has no sensorTimeUs. Default 60 Hz. */
  rateHz?: number;
  /** Pad notifications with zeros to the characteristic length, as the device does [X1 §3.3]. Default true. */
  padToCharLength?: boolean;
}

/**
 * Samples -> DOT payload notifications, one per sample. Timestamps: the sample's
 * sensorTimeUs modulo 2³² if present, else a counter advancing 1e6/rateHz µs from 0. freeAcc
 * (modes 2, 3) is computed from quatWxyz and accMps2 as the DOT defines it (earth frame, gravity
 * removed, X1 Table 17) when both are present, else zero. Magnetometer fields (mode 20) are
 * written as 0 a.u.: the DOT's unit is arbitrary, not µT, so a sample's magUt cannot be
 * converted. Status/clip counts are written as 0. Quantisation: f32 (relative 6e-8).
 */
export class MovellaDotEncoder implements SampleEncoder {
  readonly #mode: DotPayloadMode;
  readonly #periodUs: number;
  readonly #length: number;
  #count = 0;

  constructor(mode: DotPayloadMode, options: DotEncoderOptions = {}) {
    if (!DOT_ENCODABLE_MODES.includes(mode.id)) {
      throw new Error(`not implemented: Movella DOT encoder for payload mode ${mode.id} (${mode.name}); encodable: ${DOT_ENCODABLE_MODES.join(", ")}`);
    }
    this.#mode = mode;
    this.#periodUs = 1e6 / (options.rateHz ?? 60);
    this.#length = options.padToCharLength === false ? mode.bytes : DOT_CHAR_BYTES[mode.char];
  }

  push(sample: DeviceSample): EncodedNotification[] {
    const m = this.#mode;
    const b = new Uint8Array(this.#length);
    const v = viewOf(b);
    const tUs = sample.sensorTimeUs ?? Math.round(this.#count * this.#periodUs);
    this.#count++;
    v.setUint32(0, ((tUs % 2 ** 32) + 2 ** 32) % 2 ** 32, true);
    const put = (o: number, values: readonly number[]) => values.forEach((x, k) => v.setFloat32(o + 4 * k, x, true));
    for (const f of m.fields) {
      const o = m.offsets[f]!;
      const need = (what: keyof DeviceSample) => {
        if (sample[what] === undefined) throw new Error(`movella-dot encoder: payload mode ${m.id} needs ${what}, the sample has none`);
        return sample[what] as number[];
      };
      switch (f as DotField) {
        case "quat": put(o, need("quatWxyz")); break;
        case "acc": put(o, need("accMps2")); break;
        case "gyr": put(o, need("gyrDps")); break;
        case "freeAcc": put(o, freeAcc(sample.quatWxyz, sample.accMps2)); break;
        default: break; // mag, status, clip counts: zero (see class comment)
      }
    }
    return [{ char: DOT_CHAR_UUID[m.char], bytes: b }];
  }

  flush(): EncodedNotification[] {
    return [];
  }
}

/** R(q)·acc − g·ẑ: specific force rotated into the earth frame (z up) minus gravity. */
function freeAcc(q: Readonly<QuatWxyz> | undefined, a: Readonly<Vec3> | undefined): Vec3 {
  if (!q || !a) return [0, 0, 0];
  const [w, x, y, z] = q;
  const r = [
    (1 - 2 * (y * y + z * z)) * a[0] + 2 * (x * y - w * z) * a[1] + 2 * (x * z + w * y) * a[2],
    2 * (x * y + w * z) * a[0] + (1 - 2 * (x * x + z * z)) * a[1] + 2 * (y * z - w * x) * a[2],
    2 * (x * z - w * y) * a[0] + 2 * (y * z + w * x) * a[1] + (1 - 2 * (x * x + y * y)) * a[2],
  ];
  return [r[0], r[1], r[2] - 9.80665];
}

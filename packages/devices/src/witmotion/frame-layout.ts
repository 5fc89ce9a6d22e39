import type { DeviceSample } from "@spinewatch/protocol";
import { readI16le, writeI16le } from "../common/bytes.js";
import { STANDARD_GRAVITY_MPS2 } from "@spinewatch/protocol";

/** Frame header byte [BLE-PROTOCOLS.md §1.3]. */
export const WIT_HEADER = 0x55;
export const WIT_FLAG_STREAM = 0x61;
export const WIT_FLAG_REGISTER = 0x71;

/**
 * Frame length per flag byte. The IMUs send 20-byte frames without checksum [§1.3, W1, W10];
 * a 28-byte variant exists for a vibration sensor and maybe future firmware (UNVERIFIED, §1.7),
 * hence a table rather than a constant. 0 = unknown flag (treated as garbage).
 */
export function witFrameLength(flag: number): number {
  return flag === WIT_FLAG_STREAM || flag === WIT_FLAG_REGISTER ? 20 : 0;
}

/**
 * Scales hard-coded in every official SDK [W1 Bwt901bleProcessor.java, W2]: ±16 g, ±2000 °/s,
 * ±180° over the i16 range. Whether they follow the range register 0x21 is UNVERIFIED (the SDKs
 * never adjust them), so neither do we.
 */
export const WIT_ACC_G_PER_LSB = 16 / 32768;
export const WIT_GYR_DPS_PER_LSB = 2000 / 32768;
export const WIT_ANGLE_DEG_PER_LSB = 180 / 32768;
const ACC_MPS2_PER_LSB = WIT_ACC_G_PER_LSB * STANDARD_GRAVITY_MPS2;

/** Decodes the 20-byte 0x61 frame starting at `i` (header already checked). */
export function decodeWitStreamFrame(b: Uint8Array, i: number): DeviceSample {
  return {
    accMps2: [
      readI16le(b, i + 2) * ACC_MPS2_PER_LSB,
      readI16le(b, i + 4) * ACC_MPS2_PER_LSB,
      readI16le(b, i + 6) * ACC_MPS2_PER_LSB,
    ],
    gyrDps: [
      readI16le(b, i + 8) * WIT_GYR_DPS_PER_LSB,
      readI16le(b, i + 10) * WIT_GYR_DPS_PER_LSB,
      readI16le(b, i + 12) * WIT_GYR_DPS_PER_LSB,
    ],
    // [roll, pitch, yaw] = AngleX, AngleY, AngleZ; rotation order UNVERIFIED (§1.3).
    eulerDeg: [
      readI16le(b, i + 14) * WIT_ANGLE_DEG_PER_LSB,
      readI16le(b, i + 16) * WIT_ANGLE_DEG_PER_LSB,
      readI16le(b, i + 18) * WIT_ANGLE_DEG_PER_LSB,
    ],
  };
}

/** Wraps an angle into [-180, 180), the range the i16 angle field can hold. */
export function wrapDeg(deg: number): number {
  const w = (((deg + 180) % 360) + 360) % 360 - 180;
  return w;
}

/**
 * Writes one 0x61 frame at `i`. Values beyond the ±16 g / ±2000 °/s range saturate (as the sensor
 * does); angles wrap into [-180, 180). Quantisation: half an LSB (0.0024 m/s², 0.031 °/s, 0.0028°).
 */
export function encodeWitStreamFrame(
  out: Uint8Array,
  i: number,
  accMps2: readonly number[],
  gyrDps: readonly number[],
  eulerDeg: readonly number[],
): void {
  out[i] = WIT_HEADER;
  out[i + 1] = WIT_FLAG_STREAM;
  for (let k = 0; k < 3; k++) {
    writeI16le(out, i + 2 + 2 * k, accMps2[k] / ACC_MPS2_PER_LSB);
    writeI16le(out, i + 8 + 2 * k, gyrDps[k] / WIT_GYR_DPS_PER_LSB);
    // wrapDeg(180) = -180, and 180° itself is not representable (max is 179.9945°).
    const raw = Math.round(wrapDeg(eulerDeg[k]) / WIT_ANGLE_DEG_PER_LSB);
    writeI16le(out, i + 14 + 2 * k, raw === 32768 ? -32768 : raw);
  }
}

import type { DeviceSample, QuatWxyz, Vec3 } from "@spinewatch/protocol";
import { readI16le, viewOf, writeI16le } from "../common/bytes.js";
import { STANDARD_GRAVITY_MPS2 } from "@spinewatch/protocol";

/**
 * Thingy:52 motion payloads [BLE-PROTOCOLS.md §3.3-3.4, T1 ble_tms.h / m_motion.c, T2 thingy.js]:
 * quaternion 4 × i32le Q2.30 (16 B); raw 9 × i16le: acc Q6.10 g, gyro Q11.5 °/s, compass Q12.4 µT
 * (18 B). Scale factors confirmed by both sources; the units (g, °/s, µT) are inferred from the
 * InvenSense eMPL conventions (UNVERIFIED in Nordic's own code).
 */
export const THINGY_QUAT_BYTES = 16;
export const THINGY_RAW_BYTES = 18;
const Q30 = 2 ** 30;
const ACC_LSB_PER_G = 1024;
const GYR_LSB_PER_DPS = 32;
const MAG_LSB_PER_UT = 16;

export function decodeThingyQuat(b: Uint8Array): QuatWxyz {
  const v = viewOf(b);
  return [v.getInt32(0, true) / Q30, v.getInt32(4, true) / Q30, v.getInt32(8, true) / Q30, v.getInt32(12, true) / Q30];
}

export function decodeThingyRaw(b: Uint8Array): DeviceSample {
  const acc = (i: number) => (readI16le(b, i) / ACC_LSB_PER_G) * STANDARD_GRAVITY_MPS2;
  return {
    accMps2: [acc(0), acc(2), acc(4)],
    gyrDps: [readI16le(b, 6) / GYR_LSB_PER_DPS, readI16le(b, 8) / GYR_LSB_PER_DPS, readI16le(b, 10) / GYR_LSB_PER_DPS],
    magUt: [readI16le(b, 12) / MAG_LSB_PER_UT, readI16le(b, 14) / MAG_LSB_PER_UT, readI16le(b, 16) / MAG_LSB_PER_UT],
  };
}

/** Q2.30 with saturation (a unit quaternion's components never exceed ±1, well inside ±2). */
export function encodeThingyQuat(q: Readonly<QuatWxyz>): Uint8Array {
  const b = new Uint8Array(THINGY_QUAT_BYTES);
  const v = viewOf(b);
  for (let k = 0; k < 4; k++) v.setInt32(4 * k, Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round(q[k] * Q30))), true);
  return b;
}

/**
 * Raw payload; saturates at the i16 range like the firmware's clamp (±32 g, ±1024 °/s,
 * ±2048 µT). Quantisation: half an LSB (0.0048 m/s², 0.016 °/s, 0.031 µT).
 */
export function encodeThingyRaw(acc: Readonly<Vec3>, gyr: Readonly<Vec3>, mag: Readonly<Vec3>): Uint8Array {
  const b = new Uint8Array(THINGY_RAW_BYTES);
  for (let k = 0; k < 3; k++) {
    writeI16le(b, 2 * k, (acc[k] / STANDARD_GRAVITY_MPS2) * ACC_LSB_PER_G);
    writeI16le(b, 6 + 2 * k, gyr[k] * GYR_LSB_PER_DPS);
    writeI16le(b, 12 + 2 * k, mag[k] * MAG_LSB_PER_UT);
  }
  return b;
}

import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";
import { readI16le, readU16le } from "../common/bytes.js";
import type { DecodedItem } from "../types.js";
import { witMagScale } from "./magnetometer-scale.js";

/** Registers with a known meaning [BLE-PROTOCOLS.md §1.4, register map from W5, scaling from W1]. */
export const WIT_REG = {
  save: 0x00,
  calibrate: 0x01,
  rate: 0x03,
  bandwidth: 0x1f,
  axisMode: 0x24,
  version: 0x2e,
  mag: 0x3a,
  temperature: 0x40,
  quaternion: 0x51,
  battery: 0x64,
  unlock: 0x69,
  magType: 0x72,
} as const;

/** What the stream decoder remembers between register replies. */
export interface WitRegisterState {
  /** Register 0x72, once read (or preset by option `magType`). */
  magType?: number;
}

/** Battery voltages outside this window cannot come from the single Li-ion cell (UNVERIFIED cell type; the window is generous). */
const BATTERY_MIN_V = 2.5;
const BATTERY_MAX_V = 4.5;

/**
 * Decodes one 20-byte 0x71 reply at `i`: u16 start register, then 8 consecutive i16 registers
 * [§1.4, W3 §6.1.2, W5 SingleReturnDataPacket]. Emits one item per recognised quantity found in
 * the 8-register window; a window with nothing we know becomes a `registers` info item with the
 * raw values, so nothing is dropped. Returns the problems separately so that the caller counts
 * them through its tally.
 */
export function decodeWitRegisterReply(
  b: Uint8Array,
  i: number,
  state: WitRegisterState,
  items: DecodedItem[],
  problems: { code: string; message: string }[],
): void {
  const start = readU16le(b, i + 2);
  const has = (reg: number, count = 1) => reg >= start && reg + count - 1 <= start + 7;
  const reg = (r: number) => readI16le(b, i + 4 + 2 * (r - start));
  let known = false;

  if (has(WIT_REG.magType)) {
    state.magType = reg(WIT_REG.magType);
    items.push({ kind: "info", key: "witmotion.magType", value: state.magType });
    known = true;
  }
  if (has(WIT_REG.mag, 3)) {
    const raw: Vec3 = [reg(WIT_REG.mag), reg(WIT_REG.mag + 1), reg(WIT_REG.mag + 2)];
    const scale = state.magType === undefined ? undefined : witMagScale(state.magType);
    if (scale) {
      const magUt: Vec3 = [raw[0] * scale.utPerLsb, raw[1] * scale.utPerLsb, raw[2] * scale.utPerLsb];
      items.push({ kind: "info", key: "magUt", value: magUt });
    } else {
      // No chip type yet (or an unknown one): raw counts only, see magnetometer-scale.ts.
      items.push({ kind: "info", key: "witmotion.magRaw", value: raw });
    }
    known = true;
  }
  if (has(WIT_REG.temperature)) {
    items.push({ kind: "info", key: "temperatureC", value: reg(WIT_REG.temperature) / 100 });
    known = true;
  }
  if (has(WIT_REG.quaternion, 4)) {
    // Q0..Q3 / 32768, Q0 taken as w: likely but UNVERIFIED (§1.4); 1.0 is not representable,
    // so renormalise. A near-zero norm cannot be an orientation: problem, no item.
    const q = [0, 1, 2, 3].map((k) => reg(WIT_REG.quaternion + k) / 32768);
    const n = Math.hypot(q[0], q[1], q[2], q[3]);
    if (n < 0.5 || n > 1.5) {
      problems.push({
        code: "witmotion.bad-quaternion",
        message: `0x71 quaternion reply has norm ${n.toFixed(3)}, not a unit quaternion`,
      });
    } else {
      const quatWxyz: QuatWxyz = [q[0] / n, q[1] / n, q[2] / n, q[3] / n];
      items.push({ kind: "info", key: "quatWxyz", value: quatWxyz });
    }
    known = true;
  }
  if (has(WIT_REG.battery)) {
    // Register 0x64 / 100 -> volts [W1 regPower / 100.0; W5 "per support@wit-motion.com"]. No
    // sourced voltage -> percent curve for this cell exists in our sources, so volts only.
    const volts = reg(WIT_REG.battery) / 100;
    if (volts < BATTERY_MIN_V || volts > BATTERY_MAX_V) {
      problems.push({
        code: "witmotion.bad-battery",
        message: `battery register 0x64 reads ${volts.toFixed(2)} V, outside ${BATTERY_MIN_V}-${BATTERY_MAX_V} V`,
      });
    } else {
      items.push({ kind: "battery", volts });
    }
    known = true;
  }
  if (has(WIT_REG.version, 2)) {
    items.push({ kind: "info", key: "witmotion.version", value: [reg(WIT_REG.version), reg(WIT_REG.version + 1)] });
    known = true;
  }
  if (!known) {
    const values: number[] = [];
    for (let k = 0; k < 8; k++) values.push(readI16le(b, i + 4 + 2 * k));
    items.push({ kind: "info", key: "witmotion.registers", value: { startRegister: start, values } });
  }
}

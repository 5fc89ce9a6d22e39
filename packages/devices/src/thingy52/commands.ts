import type { SetupStep } from "../types.js";
import { THINGY_MOTION_CONFIG_CHAR_UUID, THINGY_QUAT_CHAR_UUID, THINGY_RAW_CHAR_UUID } from "./uuids.js";

/** motion_freq_hz range [T1 BLE_TMS_CONFIG_* limits]; any integer in it is accepted. */
export const THINGY_MIN_RATE_HZ = 5;
export const THINGY_MAX_RATE_HZ = 200;

/**
 * The 9-byte ble_tms_config_t with the firmware defaults (pedometer 1000 ms, temperature
 * compensation 500 ms, magnetometer compensation 500 ms, wake-on-motion 1) and the requested
 * motion_freq_hz at offset 6 [BLE-PROTOCOLS.md §3.5, T1 MOTION_DEFAULT_CONFIG]. T2 reads,
 * modifies and writes back; writing the defaults instead avoids a read round trip at the cost
 * of resetting the other three intervals to their defaults (they do not affect motion data).
 * The firmware rejects a length ≠ 9 or an out-of-range field.
 */
export function thingyConfigValue(rateHz: number): Uint8Array {
  const hz = Math.max(THINGY_MIN_RATE_HZ, Math.min(THINGY_MAX_RATE_HZ, Math.round(rateHz)));
  return Uint8Array.of(0xe8, 0x03, 0xf4, 0x01, 0xf4, 0x01, hz & 0xff, hz >> 8, 0x01);
}

export type ThingyStreams = "both" | "raw" | "quat";

/**
 * Config first (with response: the firmware authorises the write), then the CCCDs: enabling
 * a characteristic's notifications is what switches that motion feature on [T1 m_motion.c].
 */
export function thingySetupSteps(rateHz: number, streams: ThingyStreams): SetupStep[] {
  const steps: SetupStep[] = [
    { kind: "write", char: THINGY_MOTION_CONFIG_CHAR_UUID, bytes: thingyConfigValue(rateHz), withoutResponse: false, note: `motion rate ${rateHz} Hz` },
  ];
  if (streams !== "quat") steps.push({ kind: "subscribe", char: THINGY_RAW_CHAR_UUID });
  if (streams !== "raw") steps.push({ kind: "subscribe", char: THINGY_QUAT_CHAR_UUID });
  return steps;
}

export function thingyTeardownSteps(streams: ThingyStreams): SetupStep[] {
  const steps: SetupStep[] = [];
  if (streams !== "quat") steps.push({ kind: "unsubscribe", char: THINGY_RAW_CHAR_UUID });
  if (streams !== "raw") steps.push({ kind: "unsubscribe", char: THINGY_QUAT_CHAR_UUID });
  return steps;
}

import type { SetupStep } from "../types.js";
import { DOT_CHAR_UUID, type DotPayloadMode } from "./payload-modes.js";
import {
  DOT_BATTERY_CHAR_UUID,
  DOT_CONTROL_CHAR_UUID,
  DOT_DEVICE_CONTROL_CHAR_UUID,
  DOT_HEADING_RESET_CONTROL_CHAR_UUID,
  DOT_HEADING_RESET_STATUS_CHAR_UUID,
} from "./uuids.js";

/** Output rates [X1 Table 7]: 120 Hz is for recording only, so not offered for streaming. */
export const DOT_SUPPORTED_RATES_HZ: readonly number[] = [1, 4, 10, 12, 15, 20, 30, 60];

/**
 * The 32-byte device-control value that sets only the output rate: visit index 0x10 selects
 * the output-rate field, u16le Hz at offset 24 [X1 Table 7; BLE-PROTOCOLS.md §2.6]. X4 reads the
 * value first and writes it back modified; with the visit bitmask only the selected field is
 * applied per the spec, so we write a fresh value (that the device ignores the other fields
 * when their visit bits are clear is the spec's reading, UNVERIFIED on hardware).
 */
export function dotOutputRateValue(rateHz: number): Uint8Array {
  const b = new Uint8Array(32);
  b[0] = 0x10;
  b[24] = rateHz & 0xff;
  b[25] = (rateHz >> 8) & 0xff;
  return b;
}

/** Control value `01 <action> <mode>` [X1 Table 13]; stop repeats the mode like X2 does. */
export function dotControlValue(start: boolean, mode: number): Uint8Array {
  return Uint8Array.of(0x01, start ? 0x01 : 0x00, mode);
}

/**
 * Rate first (it "cannot be changed after measurement ... start", X1 Table 7), battery
 * notifications, then — as the spec's best practice asks — enable notifications on the payload
 * characteristic BEFORE writing start [X1 §3.1 note, §3.8].
 */
export function dotSetupSteps(mode: DotPayloadMode, rateHz: number): SetupStep[] {
  return [
    { kind: "write", char: DOT_DEVICE_CONTROL_CHAR_UUID, bytes: dotOutputRateValue(rateHz), withoutResponse: false, note: `output rate ${rateHz} Hz` },
    { kind: "subscribe", char: DOT_BATTERY_CHAR_UUID },
    { kind: "subscribe", char: DOT_CHAR_UUID[mode.char] },
    { kind: "write", char: DOT_CONTROL_CHAR_UUID, bytes: dotControlValue(true, mode.id), withoutResponse: false, note: `start ${mode.name}` },
  ];
}

/** Stop in reverse: write stop, then disable notifications [X1 §3.8]. */
export function dotTeardownSteps(mode: DotPayloadMode): SetupStep[] {
  return [
    { kind: "write", char: DOT_CONTROL_CHAR_UUID, bytes: dotControlValue(false, mode.id), withoutResponse: false, note: "stop measurement" },
    { kind: "unsubscribe", char: DOT_CHAR_UUID[mode.char] },
    { kind: "unsubscribe", char: DOT_BATTERY_CHAR_UUID },
  ];
}

/** Heading reset `01 00` to 15172006 while measuring, then read the status (1 = success) [X1 §3.6-3.7]. */
export function dotHeadingResetSteps(): SetupStep[] {
  return [
    { kind: "write", char: DOT_HEADING_RESET_CONTROL_CHAR_UUID, bytes: Uint8Array.of(0x01, 0x00), withoutResponse: false, note: "reset heading" },
    { kind: "read", char: DOT_HEADING_RESET_STATUS_CHAR_UUID, note: "heading reset status" },
  ];
}

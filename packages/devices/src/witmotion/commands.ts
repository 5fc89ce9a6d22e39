import type { SetupStep } from "../types.js";
import { WIT_REG } from "./register-reply.js";
import { WIT_COMMAND_CHAR_UUID, WIT_DATA_CHAR_UUID } from "./uuids.js";

/**
 * Return-rate codes for register 0x03, official ones only [BLE-PROTOCOLS.md §1.6, W1 SetRRate]
 * plus 20 Hz (W5, W6). 0x0A is avoided: the sources disagree whether it is 125 or 200 Hz.
 */
export const WIT_RATE_CODES: ReadonlyMap<number, number> = new Map([
  [1, 0x03],
  [5, 0x05],
  [10, 0x06],
  [20, 0x07],
  [50, 0x08],
  [100, 0x09],
  [200, 0x0b],
]);
export const WIT_SUPPORTED_RATES_HZ: readonly number[] = [...WIT_RATE_CODES.keys()];

/** `FF AA <reg> <lo> <hi>` write command [§1.5, W2 get_writeBytes]. */
export function witWrite(reg: number, value: number): Uint8Array {
  return Uint8Array.of(0xff, 0xaa, reg, value & 0xff, (value >> 8) & 0xff);
}

/** `FF AA 27 <reg> 00` read command; the reply comes back as a 0x71 frame on ffe4 [§1.4]. */
export function witRead(reg: number): Uint8Array {
  return Uint8Array.of(0xff, 0xaa, 0x27, reg, 0x00);
}

export const WIT_UNLOCK = Uint8Array.of(0xff, 0xaa, 0x69, 0x88, 0xb5);
export const WIT_SAVE = Uint8Array.of(0xff, 0xaa, 0x00, 0x00, 0x00);

function write(bytes: Uint8Array, note: string): SetupStep {
  // The BlueZ dump lists write-without-response on ffe9 [§1.2, W5].
  return { kind: "write", char: WIT_COMMAND_CHAR_UUID, bytes, withoutResponse: true, note };
}

export interface WitSetupOptions {
  rateHz?: number;
  /** 6 = 6-axis algorithm (no magnetometer), 9 = 9-axis; default 6 (DESIGN.md: magnetometers not trusted). */
  axisMode?: 6 | 9;
}

/**
 * Subscribe first (register replies arrive on ffe4), then one unlocked write session:
 * unlock, 100 ms, write, 100 ms, ..., save — the official Python SDK's writeReg sequence
 * [§1.5, W2]; the unlock holds ~10 s [W4], far longer than this. Finally read register 0x72 so
 * the decoder learns the magnetometer scale. Whether the rate applies without a power cycle
 * over BLE is UNVERIFIED (§1.6; the W10 capture suggests it does).
 */
export function witSetupSteps(options: WitSetupOptions & { rateCode?: number }): SetupStep[] {
  const steps: SetupStep[] = [{ kind: "subscribe", char: WIT_DATA_CHAR_UUID }];
  const writes: SetupStep[] = [];
  if (options.rateCode !== undefined) {
    writes.push(write(witWrite(WIT_REG.rate, options.rateCode), `return rate ${options.rateHz} Hz`));
  }
  const axisMode = options.axisMode ?? 6;
  writes.push(write(witWrite(WIT_REG.axisMode, axisMode === 6 ? 1 : 0), `${axisMode}-axis algorithm`));
  steps.push(write(WIT_UNLOCK, "unlock configuration"), { kind: "wait", ms: 100 });
  for (const w of writes) steps.push(w, { kind: "wait", ms: 100 });
  steps.push(write(WIT_SAVE, "save configuration"), { kind: "wait", ms: 100 });
  steps.push(write(witRead(WIT_REG.magType), "read magnetometer chip type (register 0x72)"));
  return steps;
}

/**
 * Polling as the official SDK does (it reads quaternion/mag every 150–500 ms and battery
 * less often) [§1.4, W1 readDataThread / ReadDataTh]: battery and quaternion every poll, the
 * magnetometer only in 9-axis mode.
 */
export function witPollSteps(options: WitSetupOptions): SetupStep[] {
  const steps = [write(witRead(WIT_REG.battery), "read battery voltage"), write(witRead(WIT_REG.quaternion), "read quaternion")];
  if (options.axisMode === 9) steps.push(write(witRead(WIT_REG.mag), "read magnetometer"));
  return steps;
}

/** "Set angle reference (zero)" `FF AA 01 08 00` [§1.5, W1 SetAngle0]. */
export function witHeadingResetSteps(): SetupStep[] {
  return [write(witWrite(WIT_REG.calibrate, 0x08), "set angle reference")];
}

/** Streaming stops when notifications are disabled; the device has no stop command. */
export function witTeardownSteps(): SetupStep[] {
  return [{ kind: "unsubscribe", char: WIT_DATA_CHAR_UUID }];
}

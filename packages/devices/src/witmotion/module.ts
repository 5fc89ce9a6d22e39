import { nearestRateHz } from "../common/units.js";
import type { DeviceModule, DeviceOptions } from "../types.js";
import { matchesWitMotion, witMotionModel } from "./advertisement.js";
import {
  WIT_RATE_CODES,
  WIT_SUPPORTED_RATES_HZ,
  witHeadingResetSteps,
  witPollSteps,
  witSetupSteps,
  witTeardownSteps,
  type WitSetupOptions,
} from "./commands.js";
import { notificationAirTimeMs } from "../common/ble-air-time.js";
import { WitMotionEncoder, witDefaultBatchFrames } from "./encoder.js";
import { WitMotionStreamDecoder } from "./stream-decoder.js";
import { isWitDataChar, WIT_SERVICE_UUID } from "./uuids.js";

function axisMode(options: DeviceOptions): 6 | 9 {
  const m = options.axisMode ?? 6;
  if (m !== 6 && m !== 9) throw new Error(`witmotion option axisMode: expected 6 or 9, got ${JSON.stringify(m)}`);
  return m;
}

function setupOptions(options: DeviceOptions): WitSetupOptions & { rateCode?: number } {
  const mode = axisMode(options);
  if (options.rateHz === undefined) return { axisMode: mode };
  const rateHz = nearestRateHz(WIT_SUPPORTED_RATES_HZ, options.rateHz);
  return { axisMode: mode, rateHz, rateCode: WIT_RATE_CODES.get(rateHz) };
}

/**
 * WitMotion WT901BLE / BWT901BLECL5.0 / WT9011DCL over BLE 5.0 (BLE-PROTOCOLS.md §1).
 * Options: rateHz, axisMode (6 | 9, default 6), magType (preset register 0x72),
 * batchFrames (encoder only).
 */
export const witMotionModule: DeviceModule = {
  kind: "witmotion-wt901ble",
  displayName: "WitMotion WT901BLE",
  matches: matchesWitMotion,
  model: witMotionModel,
  serviceUuids: [WIT_SERVICE_UUID],
  isDataChar: isWitDataChar,
  setup: (options) => witSetupSteps(setupOptions(options)),
  teardown: () => witTeardownSteps(),
  poll: (options) => witPollSteps({ axisMode: axisMode(options) }),
  // The newest WitSDK polls every 500 ms [W1 DeviceModel.ReadDataTh]; battery at that rate is plenty.
  pollIntervalMs: 500,
  headingReset: () => witHeadingResetSteps(),
  supportedRatesHz: WIT_SUPPORTED_RATES_HZ,
  hasSensorClock: false,
  // A batch of frames leaves in one notification once its last frame is taken (BLE-PROTOCOLS.md
  // §1: 4 frames = 80 bytes at 100 Hz): its air time is the least delay of that last frame.
  minTransportLatencyMs: (options) =>
    notificationAirTimeMs(20 * (typeof options.batchFrames === "number" ? options.batchFrames : witDefaultBatchFrames(options.rateHz ?? 100))),
  // The frames of a batch leave together (encoder.ts: an ASSUMED ~40 ms flush window). Without
  // a rate the device keeps the one it has stored: unknown here.
  notificationPeriodMs: (options) => {
    const rateHz = setupOptions(options).rateHz;
    if (rateHz === undefined) return undefined;
    return ((typeof options.batchFrames === "number" ? options.batchFrames : witDefaultBatchFrames(rateHz)) * 1000) / rateHz;
  },
  providesOrientation: true,
  providesImu: () => true,
  createDecoder: (options) =>
    new WitMotionStreamDecoder({ magType: typeof options.magType === "number" ? options.magType : undefined }),
  createEncoder: (options) =>
    new WitMotionEncoder({
      rateHz: options.rateHz,
      batchFrames: typeof options.batchFrames === "number" ? options.batchFrames : undefined,
    }),
};

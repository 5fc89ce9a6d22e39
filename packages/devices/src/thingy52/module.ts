import type { AdvertisementInfo, DeviceModule, DeviceOptions } from "../types.js";
import { THINGY_MAX_RATE_HZ, THINGY_MIN_RATE_HZ, thingySetupSteps, thingyTeardownSteps, type ThingyStreams } from "./commands.js";
import { Thingy52Decoder } from "./decoder.js";
import { Thingy52Encoder } from "./encoder.js";
import { THINGY_CONFIG_SERVICE_UUID, THINGY_MOTION_SERVICE_UUID, THINGY_QUAT_CHAR_UUID, THINGY_RAW_CHAR_UUID } from "./uuids.js";

const DEFAULT_RATE_HZ = 100;

function streamsOf(o: DeviceOptions): ThingyStreams {
  const s = o.streams ?? "both";
  if (s !== "both" && s !== "raw" && s !== "quat") throw new Error(`nordic-thingy52 option streams: expected "both", "raw" or "quat", got ${JSON.stringify(s)}`);
  return s;
}

function rateOf(o: DeviceOptions): number {
  return Math.max(THINGY_MIN_RATE_HZ, Math.min(THINGY_MAX_RATE_HZ, Math.round(o.rateHz ?? DEFAULT_RATE_HZ)));
}

/** Default name "Thingy" [T1 thingy_config.h], or the advertised configuration service [T1 m_ble.c, T2 SCAN_UUIDS]. */
function matches(adv: AdvertisementInfo): boolean {
  return adv.localName?.startsWith("Thingy") === true || adv.serviceUuids.includes(THINGY_CONFIG_SERVICE_UUID);
}

/**
 * Nordic Thingy:52 motion service (BLE-PROTOCOLS.md §3). Options: rateHz (5-200, default 100),
 * streams ("both" | "raw" | "quat", default "both").
 */
export const thingy52Module: DeviceModule = {
  kind: "nordic-thingy52",
  displayName: "Nordic Thingy:52",
  matches,
  model: () => "Nordic Thingy:52",
  serviceUuids: [THINGY_MOTION_SERVICE_UUID],
  isDataChar: (c) => c === THINGY_QUAT_CHAR_UUID || c === THINGY_RAW_CHAR_UUID,
  setup: (o) => thingySetupSteps(rateOf(o), streamsOf(o)),
  teardown: (o) => thingyTeardownSteps(streamsOf(o)),
  // Any integer 5-200 Hz is valid; these are the usual choices.
  supportedRatesHz: [5, 10, 20, 25, 50, 100, 200],
  hasSensorClock: false,
  providesOrientation: true,
  providesImu: (o) => streamsOf(o) !== "quat",
  createDecoder: () => new Thingy52Decoder(),
  createEncoder: () => new Thingy52Encoder(),
};

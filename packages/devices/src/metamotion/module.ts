import type { AdvertisementInfo, DeviceModule, DeviceOptions, SetupStep } from "../types.js";
import { mwSetupSteps, mwTeardownSteps, type MwSetupOptions } from "./commands.js";
import { MetaMotionDecoder } from "./decoder.js";
import { MetaMotionEncoder } from "./encoder.js";
import { MW_NOTIFY_CHAR_UUID, MW_SERVICE_UUID, SIG_BATTERY_LEVEL_CHAR_UUID, SIG_BATTERY_SERVICE_UUID } from "./uuids.js";

function optionsOf(o: DeviceOptions): MwSetupOptions {
  const fusionMode = o.fusionMode ?? "imuplus";
  const imuChip = o.imuChip ?? "bmi160";
  const imu = o.imu ?? true;
  if (fusionMode !== "imuplus" && fusionMode !== "ndof") throw new Error(`mbientlab-metamotion option fusionMode: expected "imuplus" or "ndof", got ${JSON.stringify(fusionMode)}`);
  if (imuChip !== "bmi160" && imuChip !== "bmi270") throw new Error(`mbientlab-metamotion option imuChip: expected "bmi160" or "bmi270", got ${JSON.stringify(imuChip)}`);
  if (typeof imu !== "boolean") throw new Error(`mbientlab-metamotion option imu: expected true or false, got ${JSON.stringify(imu)}`);
  return { fusionMode, imuChip, imu };
}

/** The SDK scans for the service UUID; default local name "MetaWear" [§4.1, M2 SCAN_UUIDS, spoof]. */
function matches(adv: AdvertisementInfo): boolean {
  return adv.serviceUuids.includes(MW_SERVICE_UUID) || adv.localName?.startsWith("MetaWear") === true;
}

/**
 * MbientLab MetaMotion / MetaWear sensor-fusion streaming (BLE-PROTOCOLS.md §4). Everything here
 * is derived from SDK source, none of it verified on hardware. Options: fusionMode ("imuplus" |
 * "ndof", default "imuplus"), imuChip ("bmi160" | "bmi270", default "bmi160"; the decoder reports
 * a mismatch from the module-info reply), imu (corrected acc + gyro too, default true).
 */
export const metaMotionModule: DeviceModule = {
  kind: "mbientlab-metamotion",
  displayName: "MbientLab MetaMotion",
  matches,
  model: (adv) => (adv.localName?.startsWith("MetaMotion") ? adv.localName : "MbientLab MetaWear"),
  serviceUuids: [MW_SERVICE_UUID, SIG_BATTERY_SERVICE_UUID],
  isDataChar: (c) => c === MW_NOTIFY_CHAR_UUID || c === SIG_BATTERY_LEVEL_CHAR_UUID,
  setup: (o) => mwSetupSteps(optionsOf(o)),
  teardown: (o) => mwTeardownSteps(optionsOf(o)),
  poll: (): SetupStep[] => [{ kind: "read", char: SIG_BATTERY_LEVEL_CHAR_UUID, note: "battery level" }],
  pollIntervalMs: 60_000,
  // Fusion runs at the 100 Hz acc/gyro ODR in NDOF/IMU_PLUS; the rate is fixed [§0, §4.3].
  supportedRatesHz: [100],
  hasSensorClock: false,
  providesOrientation: true,
  providesImu: (o) => optionsOf(o).imu,
  createDecoder: (o) => new MetaMotionDecoder(optionsOf(o).imuChip),
  createEncoder: (o) => new MetaMotionEncoder({ imu: optionsOf(o).imu }),
};

import { nearestRateHz } from "../common/units.js";
import type { DeviceModule, DeviceOptions } from "../types.js";
import { matchesMovellaDot, movellaDotModel } from "./advertisement.js";
import { DOT_SUPPORTED_RATES_HZ, dotHeadingResetSteps, dotSetupSteps, dotTeardownSteps } from "./commands.js";
import { MovellaDotDecoder } from "./decoder.js";
import { MovellaDotEncoder } from "./encoder.js";
import { DOT_DEFAULT_PAYLOAD_MODE, DOT_PAYLOAD_MODES, dotPayloadMode, DOT_CHAR_UUID, DOT_CHAR_BYTES } from "./payload-modes.js";
import { notificationAirTimeMs } from "../common/ble-air-time.js";
import { DOT_BATTERY_CHAR_UUID, DOT_BATTERY_SERVICE_UUID, DOT_CONFIG_SERVICE_UUID, DOT_MEASUREMENT_SERVICE_UUID } from "./uuids.js";

const DEFAULT_RATE_HZ = 60;
const modeOf = (o: DeviceOptions) => dotPayloadMode(o.payloadMode ?? DOT_DEFAULT_PAYLOAD_MODE);
const rateOf = (o: DeviceOptions) => nearestRateHz(DOT_SUPPORTED_RATES_HZ, o.rateHz ?? DEFAULT_RATE_HZ);
const DATA_CHARS = new Set([...[...DOT_PAYLOAD_MODES.values()].map((m) => DOT_CHAR_UUID[m.char]), DOT_BATTERY_CHAR_UUID]);

/**
 * Movella (Xsens) DOT (BLE-PROTOCOLS.md §2). Options: payloadMode (default 26), rateHz
 * (1, 4, 10, 12, 15, 20, 30, 60; default 60).
 */
export const movellaDotModule: DeviceModule = {
  kind: "movella-dot",
  displayName: "Movella DOT",
  matches: matchesMovellaDot,
  model: movellaDotModel,
  serviceUuids: [DOT_MEASUREMENT_SERVICE_UUID, DOT_CONFIG_SERVICE_UUID, DOT_BATTERY_SERVICE_UUID],
  isDataChar: (char) => DATA_CHARS.has(char),
  setup: (o) => dotSetupSteps(modeOf(o), rateOf(o)),
  teardown: (o) => dotTeardownSteps(modeOf(o)),
  // Battery is notified (subscribed in setup): no polling needed.
  headingReset: () => dotHeadingResetSteps(),
  supportedRatesHz: DOT_SUPPORTED_RATES_HZ,
  hasSensorClock: true,
  // One sample per notification on the mode's characteristic (short 20, medium 40, long 63 bytes,
  // BLE-PROTOCOLS.md §2): its air time.
  minTransportLatencyMs: (o) => notificationAirTimeMs(DOT_CHAR_BYTES[modeOf(o).char]),
  // One sample per notification (BLE-PROTOCOLS.md §2).
  notificationPeriodMs: (o) => 1000 / rateOf(o),
  providesOrientation: true,
  providesImu: (o) => {
    const m = modeOf(o);
    return m.fields.includes("acc") && m.fields.includes("gyr");
  },
  createDecoder: (o) => new MovellaDotDecoder(modeOf(o)),
  createEncoder: (o) => new MovellaDotEncoder(modeOf(o), { rateHz: rateOf(o) }),
};

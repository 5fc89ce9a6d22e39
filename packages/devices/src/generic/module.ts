import { hexToBytes } from "../common/bytes.js";
import { toNobleUuid } from "../common/uuid.js";
import type { DeviceModule, SetupStep } from "../types.js";
import { normaliseGenericConfig, type GenericDeviceConfig } from "./config.js";
import { GenericLayoutDecoder, GenericSamplesOnlyDecoder } from "./decoder.js";
import { GenericLayoutEncoder } from "./encoder.js";

/**
 * A home-made sensor described by configuration: service, characteristics and their field
 * layouts (BLE-PROTOCOLS.md §5 recommends exactly this instead of hard-coding DIY firmwares).
 * Setup subscribes every configured characteristic, then performs `setupWrites` in order.
 * Throws a one-line error naming the bad config field.
 */
export function createGenericModule(input: GenericDeviceConfig): DeviceModule {
  const config = normaliseGenericConfig(input);
  const chars = new Set(config.characteristics.map((c) => c.uuid));
  const rate = config.rateHz;
  return {
    kind: "generic",
    displayName: config.displayName ?? "Generic BLE IMU",
    matches: (adv) => config.namePrefix !== undefined && adv.localName?.startsWith(config.namePrefix) === true,
    model: () => config.displayName ?? "Generic BLE IMU",
    serviceUuids: [config.serviceUuid],
    isDataChar: (c) => chars.has(toNobleUuid(c)),
    setup: (): SetupStep[] => [
      ...config.characteristics.map((c): SetupStep => ({ kind: "subscribe", char: c.uuid })),
      ...(config.setupWrites ?? []).map((w): SetupStep => ({
        kind: "write", char: toNobleUuid(w.char), bytes: hexToBytes(w.hex), withoutResponse: w.withoutResponse ?? false, note: "configured setup write",
      })),
    ],
    teardown: () => config.characteristics.map((c): SetupStep => ({ kind: "unsubscribe", char: c.uuid })),
    supportedRatesHz: rate !== undefined ? [rate] : [],
    hasSensorClock: config.characteristics.some((c) => c.fields.some((f) => f.target === "sensorTimeUs")),
    providesOrientation: config.characteristics.some((c) => c.fields.some((f) => f.target === "quatWxyz" || f.target === "eulerDeg")),
    providesImu: () => {
      const targets = new Set(config.characteristics.flatMap((c) => c.fields.map((f) => f.target)));
      return targets.has("accMps2") && targets.has("gyrDps");
    },
    createDecoder: () => new GenericLayoutDecoder(config),
    createEncoder: () => new GenericLayoutEncoder(config),
  };
}

/**
 * The registry's `generic` kind without a layout: no packets, samples arrive as `sample` lines
 * (CONTRACTS.md §1). Its decoder reports every packet as a problem; it has no encoder.
 */
export const genericSamplesModule: DeviceModule = {
  kind: "generic",
  displayName: "Generic (sample lines)",
  matches: () => false,
  model: () => "Generic",
  serviceUuids: [],
  isDataChar: () => false,
  setup: () => [],
  teardown: () => [],
  supportedRatesHz: [],
  hasSensorClock: false,
  providesOrientation: false,
  providesImu: () => true,
  createDecoder: () => new GenericSamplesOnlyDecoder(),
  createEncoder: () => {
    throw new Error('the "generic" device kind without a layout config has no packets: write sample lines, or pass deviceOptions.generic');
  },
};

import { DEVICE_KINDS, type DeviceKind } from "@spinewatch/protocol";
import { createGenericModule, genericSamplesModule } from "./generic/module.js";
import type { GenericDeviceConfig } from "./generic/config.js";
import { metaMotionModule } from "./metamotion/module.js";
import { movellaDotModule } from "./movella/module.js";
import { thingy52Module } from "./thingy52/module.js";
import type { AdvertisementInfo, DeviceModule, DeviceOptions } from "./types.js";
import { witMotionModule } from "./witmotion/module.js";

/** One module per DeviceKind; `generic` here is the samples-only kind (see getDeviceModule). */
export const DEVICE_MODULES: Readonly<Record<DeviceKind, DeviceModule>> = {
  "witmotion-wt901ble": witMotionModule,
  "movella-dot": movellaDotModule,
  "nordic-thingy52": thingy52Module,
  "mbientlab-metamotion": metaMotionModule,
  generic: genericSamplesModule,
};

/**
 * The module for a device kind. For `generic`, `options.generic` (a GenericDeviceConfig, e.g.
 * from a recording header's deviceOptions) gives a configured module; without it the
 * samples-only module. Unknown kinds: a one-line error listing the known ones.
 */
export function getDeviceModule(kind: DeviceKind, options: DeviceOptions = {}): DeviceModule {
  if (kind === "generic" && options.generic !== undefined) return createGenericModule(options.generic as GenericDeviceConfig);
  const m = (DEVICE_MODULES as Record<string, DeviceModule | undefined>)[kind];
  if (!m) throw new Error(`unknown device kind ${JSON.stringify(kind)}; known: ${DEVICE_KINDS.join(", ")}`);
  return m;
}

/** The first family whose matcher accepts the advertisement (generic is never auto-matched). */
export function matchAdvertisement(adv: AdvertisementInfo): DeviceModule | undefined {
  for (const kind of DEVICE_KINDS) {
    const m = DEVICE_MODULES[kind];
    if (m.matches(adv)) return m;
  }
  return undefined;
}

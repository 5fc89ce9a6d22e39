import type { AdvertisementInfo } from "../types.js";
import { isWitService } from "./uuids.js";

/**
 * The official SDKs filter on a local name starting with "WT" [BLE-PROTOCOLS.md §1.1, W1
 * MainActivity.java, W2 test.py]. Whether the service UUID is advertised is UNVERIFIED, so it
 * is only a second way in, never required. No manufacturer data is documented (UNVERIFIED).
 */
export function matchesWitMotion(adv: AdvertisementInfo): boolean {
  if (adv.localName?.startsWith("WT")) return true;
  return adv.serviceUuids.some(isWitService);
}

/** Model for `spinewatch scan`; the name is all we have (WT9011DCL units advertise "WT9011…"). */
export function witMotionModel(adv: AdvertisementInfo): string {
  const name = adv.localName ?? "";
  if (name.startsWith("WT9011")) return "WitMotion WT9011DCL";
  return "WitMotion WT901BLE";
}

import type { AdvertisementInfo } from "../types.js";
import { MOVELLA_COMPANY_ID } from "./uuids.js";

/**
 * Names "Xsens DOT" (firmware ≤ 2.4.0) or "Movella DOT" [X1 Table 4; X2 SENSOR_NAME], or
 * manufacturer data from company 0x0886 (first two bytes, little-endian) [X1 Table 3; X4].
 */
export function matchesMovellaDot(adv: AdvertisementInfo): boolean {
  const name = adv.localName ?? "";
  if (name.startsWith("Movella DOT") || name.startsWith("Xsens DOT")) return true;
  const md = adv.manufacturerData;
  return md !== undefined && md.length >= 2 && (md[0] | (md[1] << 8)) === MOVELLA_COMPANY_ID;
}

export function movellaDotModel(adv: AdvertisementInfo): string {
  return adv.localName?.startsWith("Xsens DOT") ? "Xsens DOT" : "Movella DOT";
}

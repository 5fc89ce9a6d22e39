import { matchAdvertisement, type AdvertisementInfo, type DeviceModule } from "@spinewatch/devices";
import type { DeviceKind, FoundSensor } from "@spinewatch/protocol";
import type { PeripheralLike } from "./noble-types.js";

/** A supported sensor seen while scanning: the wire FoundSensor plus what connecting needs. */
export interface BleFoundSensor extends FoundSensor {
  /** noble's peripheral id. */
  id: string;
  device: DeviceKind;
}

/** The address we show and match on: noble's `address` (Linux), else its id (macOS hides addresses). */
export function peripheralAddress(p: PeripheralLike): string {
  return p.address && p.address !== "unknown" ? p.address.toLowerCase() : p.id.toLowerCase();
}

export function advertisementInfo(p: PeripheralLike): AdvertisementInfo {
  const adv = p.advertisement ?? {};
  return {
    localName: adv.localName || undefined,
    serviceUuids: adv.serviceUuids ?? [],
    manufacturerData: adv.manufacturerData ? new Uint8Array(adv.manufacturerData) : undefined,
    address: peripheralAddress(p),
  };
}

/** The device module that recognises a peripheral's advertisement (packages/devices registry), if any. */
export function recognise(p: PeripheralLike): { found: BleFoundSensor; module: DeviceModule } | undefined {
  const adv = advertisementInfo(p);
  const module = matchAdvertisement(adv);
  if (!module) return undefined;
  return {
    module,
    found: { id: p.id, address: adv.address!, name: adv.localName ?? "", model: module.model(adv), rssiDbm: p.rssi, device: module.kind },
  };
}

/**
 * Supported sensors seen so far, one per address. A peripheral advertises many times while we
 * scan (allowDuplicates), so we keep its strongest RSSI and the latest non-empty name (on Linux
 * the local name often arrives only in the scan response, after the first advertisement).
 */
export class FoundSensorList {
  readonly #byAddress = new Map<string, { found: BleFoundSensor; peripheral: PeripheralLike }>();

  /** Adds or updates an entry; returns it when it is new or changed, else undefined. */
  add(p: PeripheralLike): BleFoundSensor | undefined {
    const r = recognise(p);
    if (!r) return undefined;
    const known = this.#byAddress.get(r.found.address);
    if (!known) {
      this.#byAddress.set(r.found.address, { found: r.found, peripheral: p });
      return r.found;
    }
    const f = known.found;
    const name = r.found.name || f.name;
    const rssiDbm = Math.max(f.rssiDbm, r.found.rssiDbm);
    known.peripheral = p;
    if (name === f.name && rssiDbm === f.rssiDbm) return undefined;
    known.found = { ...f, name, model: r.found.name ? r.found.model : f.model, rssiDbm };
    return known.found;
  }

  /** Strongest first, then by address for a stable order. */
  list(): BleFoundSensor[] {
    return [...this.#byAddress.values()].map((e) => e.found).sort((a, b) => b.rssiDbm - a.rssiDbm || a.address.localeCompare(b.address));
  }

  peripheral(address: string): PeripheralLike | undefined {
    return this.#byAddress.get(address)?.peripheral;
  }

  get size(): number {
    return this.#byAddress.size;
  }
}

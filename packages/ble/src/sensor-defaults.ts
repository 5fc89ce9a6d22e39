import { getDeviceModule, type DeviceOptions } from "@spinewatch/devices";
import type { DeviceKind, MountPreset } from "@spinewatch/protocol";

/**
 * Defaults for a sensor family when the operator gives none.
 *
 * Rates: WitMotion 100 Hz (an official rate code, BLE-PROTOCOLS.md §1.6; swings reach ~250 °/s,
 * DESIGN.md, so 10 Hz, the device's default, is far too slow); Movella DOT 60 Hz (its highest
 * streaming rate, §2.6); Thingy:52 100 Hz; MetaMotion 100 Hz (fixed in sensor fusion, §0).
 * Movella payload mode 26 (quaternion + acc + gyro, packages/devices default).
 *
 * Mount: every family defaults to `{ up: "+x", out: "+z" }`, the CONTRACTS.md §1 example:
 * strap the sensor with its x axis (the long side of a WitMotion or DOT case) pointing up the
 * spine and its top face (z, the printed/logo face on all four families) out of the back. The
 * per-family axis markings are what the manufacturers print on the case; whether a given unit
 * matches is for the neutral calibration and the functional bend to confirm (DESIGN.md).
 * Override with `mounts` when strapping differently.
 */
export const DEFAULT_MOUNT: Readonly<MountPreset> = { up: "+x", out: "+z" };

const DEFAULT_RATE_HZ: Record<DeviceKind, number> = {
  "witmotion-wt901ble": 100,
  "movella-dot": 60,
  "nordic-thingy52": 100,
  "mbientlab-metamotion": 100,
  generic: 100,
};

const DEFAULT_OPTIONS: Partial<Record<DeviceKind, DeviceOptions>> = {
  "movella-dot": { payloadMode: 26 },
  "witmotion-wt901ble": { axisMode: 6 },
};

/**
 * Device options for a family with the operator's overrides, and the rate the device will
 * really run at (the module's nearest supported rate).
 */
export function deviceSettings(kind: DeviceKind, overrides: DeviceOptions = {}): { rateHz: number; options: DeviceOptions } {
  const module = getDeviceModule(kind);
  const requested = overrides.rateHz ?? DEFAULT_RATE_HZ[kind];
  const rates = module.supportedRatesHz;
  const rateHz = rates.length === 0 ? requested : rates.reduce((best, r) => (Math.abs(r - requested) < Math.abs(best - requested) ? r : best), rates[0]);
  return { rateHz, options: { ...DEFAULT_OPTIONS[kind], ...overrides, rateHz } };
}

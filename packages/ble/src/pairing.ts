import { BleError } from "./ble-error.js";
import { BleSource, type BleStreamOptions } from "./ble-source.js";
import { FoundSensorList, type BleFoundSensor } from "./found-sensors.js";
import { resolveRoles, ROLE_NAMES } from "./role-match.js";
import { readyNoble, startDiscovery } from "./scanner.js";

/**
 * The dashboard's pairing step when `serve --source ble` runs without roles: scanning runs
 * until `assign` (or `stop`), listing supported sensors as they appear; the operator picks
 * which is on the sacrum and which on T12/L1.
 */
export interface Pairing {
  /** Supported sensors seen so far, strongest first (wire FoundSensor plus id and device kind). */
  readonly found: BleFoundSensor[];
  /** Called with the whole list whenever a sensor appears or its name/RSSI improves. Returns an unsubscribe. */
  onFound(listener: (found: BleFoundSensor[]) => void): () => void;
  /**
   * Stops scanning and returns the source for these two sensors (addresses, or names that fit
   * exactly one found sensor). A BleError("roles") if either is not among the found.
   */
  assign(sacrum: string, thoracic: string): Promise<BleSource>;
  /** Stops scanning without choosing. */
  stop(): Promise<void>;
}

export async function createPairing(options: BleStreamOptions = {}): Promise<Pairing> {
  const noble = await readyNoble(options);
  const list = new FoundSensorList();
  const listeners = new Set<(found: BleFoundSensor[]) => void>();
  const discovery = await startDiscovery(noble, (p) => {
    if (!list.add(p)) return;
    const all = list.list();
    for (const l of listeners) l(all);
  });
  return {
    get found() {
      return list.list();
    },
    onFound(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async assign(sacrum, thoracic) {
      const specs = { sacrum, thoracic };
      const r = resolveRoles(list.list(), specs);
      const missing = ROLE_NAMES.filter((role) => !r.sensors[role]);
      if (missing.length > 0) {
        throw new BleError("roles", `pairing: ${missing.map((role) => `${role} '${specs[role]}'`).join(", ")} is not among the ${list.size} sensors found`);
      }
      await discovery.stop();
      listeners.clear();
      return new BleSource(
        ROLE_NAMES.map((role) => ({ role, found: r.sensors[role]!, peripheral: list.peripheral(r.sensors[role]!.address)! })),
        options,
      );
    },
    async stop() {
      listeners.clear();
      await discovery.stop();
    },
  };
}

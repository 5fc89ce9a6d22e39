import { BleError } from "./ble-error.js";
import { BleSource, type AssignedSensor, type BleStreamOptions } from "./ble-source.js";
import { FoundSensorList } from "./found-sensors.js";
import type { NobleLike } from "./noble-types.js";
import { resolveRoles, ROLE_NAMES, type RoleName, type RoleSpecs } from "./role-match.js";
import { readyNoble, schedulerOf, startDiscovery } from "./scanner.js";
import type { BleScheduler, CancelTimer } from "./scheduler.js";

export interface FindOptions {
  /** Scan this long for the sensors before giving up, s (default 20). */
  findTimeoutS?: number;
  /**
   * After every role is matched and one of them only by name, keep scanning this long for a
   * second sensor of the same name, ms (default 1500; two WitMotions both advertise "WT901BLE68").
   */
  nameSettleMs?: number;
}

export const DEFAULT_FIND_TIMEOUT_S = 20;

/**
 * Scans until each role's name or address is seen (role-match.ts), then stops scanning: some
 * adapters cannot connect while scanning (BLE-PROTOCOLS.md §6.4). A sensor that does not appear
 * within `findTimeoutS` is a BleError("not-found") naming it and what was seen instead.
 */
export function findSensors(noble: NobleLike, specs: RoleSpecs, scheduler: BleScheduler, options: FindOptions = {}): Promise<AssignedSensor[]> {
  const timeoutS = options.findTimeoutS ?? DEFAULT_FIND_TIMEOUT_S;
  const settleMs = options.nameSettleMs ?? 1500;
  const found = new FoundSensorList();
  return new Promise<AssignedSensor[]>((resolve, reject) => {
    let settled = false;
    let settleTimer: CancelTimer | undefined;
    let discovery: { stop(): Promise<void> } | undefined;
    const timers: CancelTimer[] = [];
    const finish = (result: AssignedSensor[] | Error): void => {
      if (settled) return;
      settled = true;
      for (const cancel of timers) cancel();
      settleTimer?.();
      const stop = discovery ? discovery.stop() : Promise.resolve();
      void stop.then(() => (result instanceof Error ? reject(result) : resolve(result)));
    };
    const assigned = (): AssignedSensor[] | undefined => {
      const r = resolveRoles(found.list(), specs);
      if (!ROLE_NAMES.every((role) => r.sensors[role])) return undefined;
      return ROLE_NAMES.map((role) => ({ role, found: r.sensors[role]!, peripheral: found.peripheral(r.sensors[role]!.address)! }));
    };
    const check = (): void => {
      try {
        const r = resolveRoles(found.list(), specs);
        if (!ROLE_NAMES.every((role) => r.sensors[role])) return;
        if (r.byName.length === 0) finish(assigned()!);
        else settleTimer ??= scheduler.setTimer(settleMs, () => {
          try {
            finish(assigned()!);
          } catch (err) {
            finish(err as Error);
          }
        });
      } catch (err) {
        finish(err as Error);
      }
    };
    timers.push(
      scheduler.setTimer(timeoutS * 1000, () => {
        const r = resolveRoles(found.list(), specs);
        const missing = ROLE_NAMES.filter((role) => !r.sensors[role]).map((role) => `${role} '${specs[role]}'`);
        const seen = found.list().map((f) => `${f.name || "(no name)"} ${f.address}`);
        finish(new BleError("not-found", `sensor not found within ${timeoutS} s: ${missing.join(", ")} (supported sensors seen: ${seen.length ? seen.join(", ") : "none"})`));
      }),
    );
    startDiscovery(noble, (p) => {
      if (!settled && found.add(p)) check();
    }).then(
      (d) => {
        discovery = d;
        if (settled) void d.stop();
      },
      (err: unknown) => finish(err as Error),
    );
  });
}

export interface BleSourceOptions extends BleStreamOptions, FindOptions {
  /** Name or address of the sacrum sensor (`--sacrum`). */
  sacrum?: string;
  /** Name or address of the T12/L1 sensor (`--thoracic`). */
  thoracic?: string;
}

/**
 * `serve --source ble --sacrum X --thoracic Y`: loads noble, waits for the adapter, finds both
 * sensors, and returns a source whose `events()` connects them. Every failure before streaming is
 * a one-line BleError (no adapter, permission, adapter off, not found, roles).
 */
export async function connectSensors(specs: RoleSpecs, options: BleStreamOptions & FindOptions = {}): Promise<BleSource> {
  for (const role of ROLE_NAMES) {
    if (typeof specs[role] !== "string" || specs[role].trim() === "") throw missingRoles();
  }
  const noble = await readyNoble(options);
  const sensors = await findSensors(noble, specs, schedulerOf(options), options);
  return new BleSource(sensors, options);
}

function missingRoles(): BleError {
  return new BleError(
    "roles",
    "BLE needs both sensors: --sacrum <name|address> --thoracic <name|address> (spinewatch scan lists them), or pair them in the dashboard",
  );
}

/** The gateway's entry point: `createBleSource({ sacrum, thoracic, clock })`. */
export function createBleSource(options: BleSourceOptions): Promise<BleSource> {
  const { sacrum, thoracic } = options;
  if (!sacrum || !thoracic) return Promise.reject(missingRoles());
  return connectSensors({ sacrum, thoracic } as Record<RoleName, string>, options);
}

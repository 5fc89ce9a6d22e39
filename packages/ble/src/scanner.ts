import type { Clock } from "@spinewatch/protocol";
import { toBleError } from "./ble-error.js";
import { FoundSensorList, type BleFoundSensor } from "./found-sensors.js";
import { loadNoble, waitForPoweredOn, type NobleImporter } from "./noble-loader.js";
import type { NobleLike, PeripheralLike } from "./noble-types.js";
import { clockScheduler, delay, realScheduler, type BleScheduler } from "./scheduler.js";

/** Where packages/ble gets noble and time; every field optional (real noble, real timers). */
export interface BleEnvironment {
  /** An already-loaded noble (tests pass testing/fake-noble.ts). */
  noble?: NobleLike;
  /** How to import noble when `noble` is not given (tests simulate load failures). */
  importer?: NobleImporter;
  /** Timers and time; default: on `clock` if given, else real timers. */
  scheduler?: BleScheduler;
  clock?: Clock;
  /** How long to wait for the adapter to report poweredOn, ms (default 5000). */
  powerOnTimeoutMs?: number;
}

export function schedulerOf(env: BleEnvironment): BleScheduler {
  return env.scheduler ?? (env.clock ? clockScheduler(env.clock) : realScheduler);
}

/** noble, loaded and powered on, or a BleError. */
export async function readyNoble(env: BleEnvironment): Promise<NobleLike> {
  const noble = env.noble ?? (await loadNoble({ importer: env.importer }));
  await waitForPoweredOn(noble, schedulerOf(env), env.powerOnTimeoutMs);
  return noble;
}

/** A running discovery: every advertisement goes to `onAdvertisement` until `stop()`. */
export interface Discovery {
  stop(): Promise<void>;
}

/**
 * Starts scanning with duplicates allowed (RSSI and late scan-response names keep coming).
 * All services: WitMotion's service UUID may not be advertised (BLE-PROTOCOLS.md §1.1).
 */
export async function startDiscovery(noble: NobleLike, onAdvertisement: (p: PeripheralLike) => void): Promise<Discovery> {
  noble.on("discover", onAdvertisement);
  try {
    await noble.startScanningAsync([], true);
  } catch (err) {
    noble.removeListener("discover", onAdvertisement);
    throw toBleError(err);
  }
  let stopped = false;
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      noble.removeListener("discover", onAdvertisement);
      await noble.stopScanningAsync().catch(() => undefined);
    },
  };
}

/**
 * `spinewatch scan`: supported sensors seen within `seconds` (name, address, model, RSSI),
 * recognised by the packages/devices registry, one per address, strongest RSSI first.
 */
export async function scan(options: { seconds: number } & BleEnvironment): Promise<BleFoundSensor[]> {
  if (!(options.seconds > 0)) throw new RangeError(`scan: seconds must be > 0, got ${options.seconds}`);
  const noble = await readyNoble(options);
  const found = new FoundSensorList();
  const discovery = await startDiscovery(noble, (p) => void found.add(p));
  try {
    await delay(schedulerOf(options), options.seconds * 1000);
  } finally {
    await discovery.stop();
  }
  return found.list();
}

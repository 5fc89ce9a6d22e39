import { bleErrors, stateError, toBleError } from "./ble-error.js";
import type { NobleLike } from "./noble-types.js";
import type { BleScheduler } from "./scheduler.js";

/** Imports the noble module; injectable so tests can simulate every way loading fails. */
export type NobleImporter = () => Promise<unknown>;

/**
 * The only place @abandonware/noble is imported, and only when scanning or connecting: the
 * simulator and replay paths never touch it. Importing it builds the HCI bindings at once
 * (lib/resolve-bindings.js), which is where a machine without Bluetooth fails (EAFNOSUPPORT).
 */
export const importAbandonwareNoble: NobleImporter = () => import("@abandonware/noble");

function looksLikeNoble(x: unknown): x is NobleLike {
  const n = x as Partial<NobleLike> | null;
  return !!n && typeof n.on === "function" && typeof n.startScanningAsync === "function" && typeof n.stopScanningAsync === "function";
}

/**
 * Loads noble lazily and returns its singleton. Every failure becomes a one-line BleError
 * (ble-error.ts `toBleError`): no adapter / binding not built, no permission, noble missing.
 */
export async function loadNoble(options: { importer?: NobleImporter } = {}): Promise<NobleLike> {
  const importer = options.importer ?? importAbandonwareNoble;
  let mod: unknown;
  try {
    mod = await importer();
  } catch (err) {
    throw toBleError(err);
  }
  // noble is CommonJS (`module.exports = noble`): under ESM import it is the default export.
  const candidate = (mod as { default?: unknown } | null)?.default ?? mod;
  if (!looksLikeNoble(candidate)) throw toBleError(new Error("the noble module has no startScanningAsync/stopScanningAsync"));
  return candidate;
}

/** How long noble may take to report the adapter's state before we give up. */
export const DEFAULT_POWER_ON_TIMEOUT_MS = 5000;

/**
 * Resolves once the adapter is poweredOn; rejects with a BleError for poweredOff, unauthorized,
 * unsupported, a binding init failure (noble reports those as `warning` events), or no state
 * within `timeoutMs`. Reading `state` first initialises noble's bindings synchronously, so an
 * init failure (no hci device) is thrown right here rather than lost in a warning.
 */
export function waitForPoweredOn(noble: NobleLike, scheduler: BleScheduler, timeoutMs = DEFAULT_POWER_ON_TIMEOUT_MS): Promise<void> {
  let state: string;
  try {
    state = noble.state;
  } catch (err) {
    return Promise.reject(toBleError(err));
  }
  if (state === "poweredOn") return Promise.resolve();
  const early = stateError(state);
  if (early) return Promise.reject(early);

  return new Promise<void>((resolve, reject) => {
    const finish = (err?: Error): void => {
      cancel();
      noble.removeListener("stateChange", onState);
      noble.removeListener("warning", onWarning);
      if (err) reject(err);
      else resolve();
    };
    const onState = (s: string): void => {
      state = s;
      if (s === "poweredOn") finish();
      else {
        const e = stateError(s);
        if (e) finish(e);
      }
    };
    const onWarning = (message: string): void => {
      // Only binding init failures end the wait; deprecation warnings and the like do not.
      if (/[Ii]nitiali[sz]ation .*failed|EPERM|EACCES|EAFNOSUPPORT|ENODEV|EBUSY/.test(String(message))) finish(toBleError(new Error(String(message))));
    };
    const cancel = scheduler.setTimer(timeoutMs, () => finish(bleErrors.notReady(timeoutMs / 1000, state)));
    noble.on("stateChange", onState);
    noble.on("warning", onWarning);
  });
}

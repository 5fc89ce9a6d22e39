/**
 * What can go wrong with Bluetooth before any data flows. Each has a one-line message meant for
 * the person at the terminal: the CLI prints `message` and exits 1, never a stack trace
 * (issue 6; CONTRACTS.md §2).
 */
export type BleErrorCode =
  /** No HCI adapter, or noble's native binding is missing / not built. */
  | "no-adapter"
  /** @abandonware/noble itself is not installed. */
  | "noble-missing"
  /** EPERM / EACCES on the HCI socket, or adapter state `unauthorized`. */
  | "permission"
  | "adapter-off"
  | "adapter-unsupported"
  /** HCI user channel on an adapter that is up (EBUSY). */
  | "adapter-busy"
  /** noble never reported a state within the wait. */
  | "adapter-not-ready"
  /** A role's sensor did not appear while scanning. */
  | "not-found"
  /** Role specs that cannot be satisfied as given (missing, same sensor twice, ambiguous name). */
  | "roles"
  /** noble failed in a way none of the above describes. */
  | "noble-failed";

export class BleError extends Error {
  readonly code: BleErrorCode;
  constructor(code: BleErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BleError";
    this.code = code;
  }
}

/** The capability hint from noble's README "Running without root/sudo" [BLE-PROTOCOLS.md §6.3]. */
export const SETCAP_HINT = "sudo setcap cap_net_raw+eip $(eval readlink -f $(which node))";

export const NO_ADAPTER_MESSAGE = "no Bluetooth adapter found (or noble's native part is not built: see README 'Prerequisites')";

export const bleErrors = {
  noAdapter: () => new BleError("no-adapter", NO_ADAPTER_MESSAGE),
  nobleMissing: () =>
    new BleError("noble-missing", "@abandonware/noble is not installed (run npm install in the repository; see README 'Prerequisites')"),
  permission: () =>
    new BleError("permission", `no permission to use the Bluetooth adapter: run \`${SETCAP_HINT}\` once (or run as root)`),
  adapterOff: () =>
    new BleError("adapter-off", "the Bluetooth adapter is off: switch it on (e.g. `bluetoothctl power on` or `rfkill unblock bluetooth`)"),
  unsupported: () =>
    new BleError(
      "adapter-unsupported",
      "the Bluetooth adapter does not support Bluetooth LE (noble reports 'unsupported'); pick another one with NOBLE_HCI_DEVICE_ID=N",
    ),
  busy: () =>
    new BleError("adapter-busy", "the Bluetooth adapter is busy (HCI_CHANNEL_USER needs it down first: sudo hciconfig hciN down)"),
  notReady: (seconds: number, state: string) =>
    new BleError("adapter-not-ready", `the Bluetooth adapter did not become ready within ${seconds} s (noble state '${state}')`),
};

const firstLine = (s: string): string => s.split("\n")[0];

/** Text and code of anything thrown or emitted (noble's warnings are strings). */
function describe(err: unknown): { code?: string; message: string } {
  if (err instanceof Error) return { code: (err as NodeJS.ErrnoException).code, message: err.message };
  return { message: String(err) };
}

/**
 * Turns what loading or initialising noble threw (or warned) into a BleError. Native socket
 * errors carry errno codes (EAFNOSUPPORT when the kernel has no Bluetooth, ENODEV when there is
 * no hci device, EPERM/EACCES without the capability); a missing binding shows up as
 * "No native build was found" (node-gyp-build) or MODULE_NOT_FOUND of bluetooth-hci-socket.
 */
export function toBleError(err: unknown): BleError {
  if (err instanceof BleError) return err;
  const { code, message } = describe(err);
  const text = `${code ?? ""} ${message}`;
  if (/\b(EPERM|EACCES)\b|Operation not permitted|[Pp]ermission denied/.test(text)) return bleErrors.permission();
  if (/\bEBUSY\b|[Rr]esource busy/.test(text)) return bleErrors.busy();
  if (/\b(EAFNOSUPPORT|ENODEV)\b|Address family not supported|No such device|No native build was found|No compatible USB Bluetooth|Unsupported platform/.test(text)) {
    return bleErrors.noAdapter();
  }
  if (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND" || code === "ERR_DLOPEN_FAILED") {
    if (/bluetooth[-_]hci[-_]socket|\.node\b/.test(message)) return bleErrors.noAdapter();
    if (/@abandonware\/noble/.test(message)) return bleErrors.nobleMissing();
  }
  return new BleError("noble-failed", `Bluetooth (noble) failed: ${firstLine(message)}`, { cause: err });
}

/** The message for a noble adapter state other than poweredOn, or undefined while it may still come up. */
export function stateError(state: string): BleError | undefined {
  switch (state) {
    case "poweredOff":
      return bleErrors.adapterOff();
    case "unauthorized":
      return bleErrors.permission();
    case "unsupported":
      return bleErrors.unsupported();
    default:
      return undefined;
  }
}

import { numberFlag, parseCommandArgs } from "../cli-args.js";
import { runtimeError } from "../cli-error.js";
import { importBle, oneLine } from "../server/sources.js";

interface Found {
  name: string;
  address: string;
  model: string;
  rssiDbm: number;
}

/** `spinewatch scan [--seconds N]`: nearby supported sensors, through packages/ble (the only noble user). */
export async function scanCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs("scan", argv, { seconds: { type: "string" }, help: { type: "boolean", short: "h" } });
  if (values.help) {
    process.stdout.write("usage: spinewatch scan [--seconds N]   (default 5 s)\n");
    return 0;
  }
  const seconds = numberFlag("scan", "seconds", values.seconds, 5, { min: 0.5, max: 600 });
  const ble = await importBle("scan");
  const scan = ble.scan as undefined | ((o: { seconds: number; scheduler?: unknown }) => Promise<Found[]>);
  if (typeof scan !== "function") throw runtimeError("scan: not implemented: the ble package has no scan() yet");
  let found: Found[];
  try {
    // Real timers that are cleared when cancelled (a clock's sleep could not be), so nothing
    // of packages/ble holds the process; noble's own timer is why the CLI ends with process.exit.
    found = await scan({ seconds, ...(ble.realScheduler ? { scheduler: ble.realScheduler } : {}) });
  } catch (err) {
    // packages/ble turns adapter and permission failures into one-line BleErrors.
    throw runtimeError(`scan: ${oneLine(err)}`);
  }
  if (found.length === 0) {
    process.stdout.write(`no supported sensors found in ${seconds} s\n`);
    return 0;
  }
  const rows = found.map((f) => [f.name || "(no name)", f.address, f.model, `${f.rssiDbm} dBm`]);
  const head = ["name", "address", "model", "RSSI"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [head, ...rows]) process.stdout.write(r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd() + "\n");
  return 0;
}

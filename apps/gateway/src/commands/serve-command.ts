import { realClock } from "../real-clock.js";
import { choiceFlag, numberFlag, parseCommandArgs } from "../cli-args.js";
import { usageError } from "../cli-error.js";
import { importBle, type SourceSpec } from "../server/sources.js";
import type { BleStreamOptions } from "@spinewatch/ble";
import { existsSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { EXERCISE_NAMES } from "@spinewatch/protocol";

const HELP = `usage: spinewatch serve [--source sim|replay|ble] [options]

  --source S          sim (default: the simulator, live), replay (a recording), ble (real sensors)
  --scenario S        simulator scenario (default kettlebell-swing)
  --seed N            simulator seed (default 1)
  --duration-s N      simulated session length (default 28800 = 8 h)
  --file F            recording to replay (--source replay)
  --rate R            replay rate, 1 = real time (default 1)
  --sacrum A          BLE sensor (name or address) on the sacrum (--source ble)
  --thoracic A        BLE sensor on T12/L1 (--source ble)
  --latency-ms N      your sensors' measured latency, sample taken to host arrival (the least,
                      i.e. the constant part), ms (--source ble); written to the recording header.
                      Default: only the notification's air time is assumed (DESIGN.md, Calibration)
  --port P            HTTP port (default 8080; 0 = any free port)
  --host H            bind address (default 127.0.0.1); any other address requires a token
  --token T           the token (generated and printed when --host is not loopback)
  --sessions-dir D    where sessions are recorded (default ./sessions)
  --record F          record this run to F instead of the sessions directory
  --no-record         do not record (the default for --source replay)
  --exercise NAME     exercise profile at start
  --allow-origin O    another origin allowed to connect (e.g. http://localhost:5173 for vite dev); repeatable
  --no-dashboard-build  serve without building apps/dashboard/dist when it is missing`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs("serve", argv, {
    source: { type: "string" },
    scenario: { type: "string" },
    seed: { type: "string" },
    "duration-s": { type: "string" },
    device: { type: "string" },
    file: { type: "string" },
    rate: { type: "string" },
    sacrum: { type: "string" },
    thoracic: { type: "string" },
    "latency-ms": { type: "string" },
    port: { type: "string" },
    host: { type: "string" },
    token: { type: "string" },
    "sessions-dir": { type: "string" },
    record: { type: "string" },
    "no-record": { type: "boolean" },
    exercise: { type: "string" },
    "allow-origin": { type: "string", multiple: true },
    "no-dashboard-build": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  const kind = choiceFlag("serve", "source", values.source, ["sim", "replay", "ble"] as const, "sim");
  let source: SourceSpec;
  if (kind === "replay") {
    const file = values.file;
    if (typeof file !== "string") throw usageError("serve: --source replay needs --file F");
    if (!existsSync(file)) throw usageError(`serve: ${file}: no such file`);
    source = { kind, file, rate: numberFlag("serve", "rate", values.rate, 1, { min: 0.01, allowInfinity: true }) };
  } else if (kind === "sim") {
    source = {
      kind,
      scenario: typeof values.scenario === "string" ? values.scenario : "kettlebell-swing",
      seed: numberFlag("serve", "seed", values.seed, 1, { integer: true, min: 0 }),
      durationS: numberFlag("serve", "duration-s", values["duration-s"], 8 * 3600, { min: 1 }),
      ...(typeof values.device === "string" ? { device: values.device } : {}),
    };
  } else {
    source = {
      kind,
      ...(typeof values.sacrum === "string" ? { sacrum: values.sacrum } : {}),
      ...(typeof values.thoracic === "string" ? { thoracic: values.thoracic } : {}),
    };
  }
  if (values["latency-ms"] !== undefined && kind !== "ble") throw usageError("serve: --latency-ms needs --source ble (recordings carry their sensors' latency)");
  const latencyMs = values["latency-ms"] === undefined ? undefined : numberFlag("serve", "latency-ms", values["latency-ms"], 0, { min: 0, max: 1000 });
  if (values.file !== undefined && kind !== "replay") throw usageError("serve: --file needs --source replay");
  if (values.record !== undefined && values["no-record"]) throw usageError("serve: --record and --no-record contradict each other");
  if (typeof values.exercise === "string" && !(EXERCISE_NAMES as readonly string[]).includes(values.exercise)) {
    throw usageError(`serve: unknown exercise '${values.exercise}' (one of ${EXERCISE_NAMES.join(", ")})`);
  }
  const allowOrigins = (values["allow-origin"] as unknown as string[] | undefined) ?? [];
  for (const o of allowOrigins) {
    if (!/^https?:\/\/[^/]+$/.test(o)) throw usageError(`serve: --allow-origin must look like http://host:port, got '${o}'`);
  }
  const port = numberFlag("serve", "port", values.port, 8080, { integer: true, min: 0, max: 65535 });
  const host = typeof values.host === "string" ? values.host : "127.0.0.1";
  const record = values["no-record"] ? false : typeof values.record === "string" ? values.record : kind !== "replay";
  const log = (line: string) => process.stderr.write(line + "\n");

  // BLE timers on real timers that are cleared when cancelled (a clock's sleep cannot be), so
  // nothing of packages/ble holds the process after the session (cli.ts ends it: noble's timer).
  const ble = kind === "ble" ? await importBle("serve") : null;
  const { startGateway } = await import("../server/start-gateway.js");
  const running = await startGateway({
    source,
    clock: realClock,
    host,
    port,
    // `npm start` must come up even when 8080 is taken; an explicit --port is honoured or fails.
    fallbackToFreePort: values.port === undefined,
    ...(typeof values.token === "string" ? { token: values.token } : {}),
    sessionsDir: typeof values["sessions-dir"] === "string" ? values["sessions-dir"] : "sessions",
    record,
    ...(typeof values.exercise === "string" ? { exercise: values.exercise } : {}),
    buildDashboard: !values["no-dashboard-build"],
    allowOrigins,
    log,
    ...(kind === "ble" ? { ble: bleOptions(ble?.realScheduler as BleStreamOptions["scheduler"], latencyMs) } : {}),
  });
  const tokenQuery = running.token && host !== "127.0.0.1" ? `?token=${running.token}` : "";
  process.stdout.write(`spinewatch: dashboard at ${running.url}${tokenQuery}\n`);
  if (host === "0.0.0.0" || host === "::") {
    // A wildcard bind is reached through the machine's own addresses: name them for the phone.
    for (const addrs of Object.values(networkInterfaces())) {
      for (const a of addrs ?? []) {
        if (!a.internal && a.family === "IPv4") process.stdout.write(`spinewatch: on this network: http://${a.address}:${running.port}/${tokenQuery}\n`);
      }
    }
  }
  if (running.token) process.stdout.write(`spinewatch: token ${running.token} (needed for control commands and the API)\n`);
  const recording = running.gateway.recordingPath;
  if (running.gateway.pairingPending) process.stdout.write("spinewatch: scanning for sensors: choose the sacrum and T12/L1 sensors on the dashboard\n");
  else process.stdout.write(recording ? `spinewatch: recording to ${recording}\n` : "spinewatch: not recording (start from the dashboard)\n");

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        log(`spinewatch: ${signal} again, exiting now`);
        process.exit(130);
      }
      stopping = true;
      log(`spinewatch: ${signal}: ending the session`);
      running.close().then(resolve, (err: unknown) => {
        log(`spinewatch: while stopping: ${err instanceof Error ? err.message : String(err)}`);
        resolve();
      });
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
  });
  const saved = recording ?? running.gateway.lastRecordingPath;
  if (saved) log(`spinewatch: session saved: ${saved}`);
  return 0;
}

/** The BLE source's options: the real timers, and a measured latency as both sensors' device option (read by the pipeline's clock). */
function bleOptions(scheduler: BleStreamOptions["scheduler"] | undefined, latencyMs: number | undefined): BleStreamOptions {
  const latency = latencyMs === undefined ? undefined : { transportLatencyMs: latencyMs };
  return {
    ...(scheduler ? { scheduler } : {}),
    ...(latency ? { deviceOptions: { sacrum: latency, thoracic: latency } } : {}),
  };
}

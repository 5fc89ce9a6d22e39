import type { Clock } from "@spinewatch/protocol";
import type { BleStreamOptions } from "@spinewatch/ble";
import type { AddressInfo } from "node:net";
import { AccessPolicy, generateToken, isLoopbackDefault } from "./access.js";
import { DashboardAssets } from "./dashboard-assets.js";
import { Gateway } from "./gateway.js";
import { createGatewayServer } from "./http-server.js";
import { SessionsStore } from "./sessions-store.js";
import type { SourceSpec } from "./sources.js";
import { runtimeError } from "../cli-error.js";

export interface StartGatewayOptions {
  source: SourceSpec;
  clock: Clock;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** When `port` is busy, take any free port instead of failing (the default port of `serve`). */
  fallbackToFreePort?: boolean;
  /** Required on a non-loopback host; generated when not given. Ignored on loopback unless set. */
  token?: string;
  sessionsDir: string;
  record: boolean | string;
  exercise?: string;
  /** Origins besides the gateway's own allowed to use the WebSocket and API (e.g. http://localhost:5173). */
  allowOrigins?: string[];
  /** The dashboard app directory (its dist/ is served); default apps/dashboard. */
  dashboardDir?: string;
  /** Build apps/dashboard/dist in the background when it is missing (default true). */
  buildDashboard?: boolean;
  log?: (line: string) => void;
  /** Where packages/ble gets noble and timers (tests: a fake noble and scheduler); default real noble on `clock`. */
  ble?: BleStreamOptions;
  onBatchSent?: (latencyMs: number, frames: number) => void;
}

export interface RunningGateway {
  url: string;
  port: number;
  host: string;
  token: string | null;
  gateway: Gateway;
  /** Ends the session (recording closed, summary written) and the server. */
  close(): Promise<void>;
}

/** Everything `spinewatch serve` starts, callable from tests and benchmarks too. */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? (() => {});
  const exposed = !isLoopbackDefault(host);
  // issue 5: any bind address other than loopback needs a token; on loopback one may be given.
  const token = options.token ?? (exposed ? generateToken() : null);
  const access = new AccessPolicy(token, exposed ? null : ["127.0.0.1", "localhost", "[::1]", "::1"], options.allowOrigins ?? []);
  const sessions = new SessionsStore(options.sessionsDir);
  const gateway = new Gateway({
    source: options.source,
    clock: options.clock,
    access,
    sessions,
    record: options.record,
    ...(options.exercise ? { exercise: options.exercise } : {}),
    ...(options.onBatchSent ? { onBatchSent: options.onBatchSent } : {}),
    ...(options.ble ? { ble: options.ble } : {}),
  });
  await gateway.start();
  const dashboard = new DashboardAssets(options.dashboardDir);
  const server = createGatewayServer({ gateway, access, sessions, dashboard });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  const wantedPort = options.port ?? 8080;
  try {
    try {
      await listen(wantedPort);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE" || !options.fallbackToFreePort) throw err;
      log(`spinewatch: port ${wantedPort} is in use; taking a free one`);
      await listen(0);
    }
  } catch (err) {
    await gateway.stop();
    const e = err as NodeJS.ErrnoException;
    const why = e.code === "EADDRINUSE" ? "address already in use (try --port 0)" : e.code === "EADDRNOTAVAIL" ? "no such address on this machine" : e.message;
    throw runtimeError(`serve: cannot listen on ${host}:${wantedPort}: ${why}`);
  }
  if (options.buildDashboard !== false) void dashboard.ensureBuilt(log);
  const port = (server.address() as AddressInfo).port;
  const hostInUrl = host.includes(":") ? `[${host}]` : host;
  const url = `http://${hostInUrl}:${port}/`;
  let closed: Promise<void> | null = null;
  return {
    url,
    port,
    host,
    token,
    gateway,
    close: () =>
      (closed ??= (async () => {
        await gateway.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })()),
  };
}

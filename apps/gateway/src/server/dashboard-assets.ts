import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** apps/dashboard, found from this file so that `serve` works from any working directory. */
export const DASHBOARD_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../../dashboard");

export type DashboardState =
  | { state: "ready"; root: string }
  | { state: "building" }
  | { state: "missing"; reason: string }
  | { state: "failed"; reason: string };

/**
 * The built dashboard (apps/dashboard/dist). When it is missing it is built once, in the
 * background, with Vite's own API (the server answers with a "building" page meanwhile);
 * when the dashboard app itself does not exist yet the server says so instead of failing.
 */
export class DashboardAssets {
  readonly #dir: string;
  #status: DashboardState;

  constructor(dir = DASHBOARD_DIR) {
    this.#dir = dir;
    this.#status = existsSync(join(dir, "dist", "index.html"))
      ? { state: "ready", root: join(dir, "dist") }
      : { state: "missing", reason: "apps/dashboard/dist is not built" };
  }

  get status(): DashboardState {
    return this.#status;
  }

  /** Builds dist when it is missing; never throws (a failed build becomes a status page). */
  async ensureBuilt(log: (line: string) => void): Promise<void> {
    if (this.#status.state === "ready") return;
    if (!existsSync(join(this.#dir, "index.html"))) {
      this.#status = { state: "missing", reason: "the dashboard app (apps/dashboard) has no index.html yet" };
      return;
    }
    this.#status = { state: "building" };
    log("spinewatch: building the dashboard (first start) ...");
    try {
      const vite = await import("vite");
      await vite.build({ root: this.#dir, logLevel: "error", configFile: findViteConfig(this.#dir) });
      if (!existsSync(join(this.#dir, "dist", "index.html"))) throw new Error("vite build produced no dist/index.html");
      this.#status = { state: "ready", root: join(this.#dir, "dist") };
      log("spinewatch: dashboard built");
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).split("\n")[0];
      this.#status = { state: "failed", reason: `dashboard build failed: ${reason}` };
      log(`spinewatch: ${this.#status.reason} (the API and WebSocket still work)`);
    }
  }
}

function findViteConfig(dir: string): string | false {
  for (const name of ["vite.config.ts", "vite.config.js", "vite.config.mjs"]) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  return false;
}

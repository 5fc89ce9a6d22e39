/**
 * Shared harness of the browser end-to-end tests: builds apps/dashboard when dist is missing or
 * older than its sources, starts the real gateway (`spinewatch serve` on port 0) replaying a
 * fixture, and opens the page in Debian's chromium through playwright-core.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync, copyFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import { createReadStream } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

export const ROOT = resolve(import.meta.dirname, "../..");
const DASHBOARD = join(ROOT, "apps/dashboard");
const BIN = join(ROOT, "apps/gateway/bin/spinewatch.js");
export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

function newestMtimeMs(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, name)));
  return newest;
}

/** Whether dist/index.html is missing or older than any dashboard source. */
export function dashboardStale(): boolean {
  const built = join(DASHBOARD, "dist/index.html");
  if (!existsSync(built)) return true;
  const sources = Math.max(
    newestMtimeMs(join(DASHBOARD, "src")),
    newestMtimeMs(join(DASHBOARD, "index.html")),
    newestMtimeMs(join(DASHBOARD, "vite.config.ts")),
  );
  return statSync(built).mtimeMs < sources;
}

/**
 * Runs the Vite build when needed. Test files run in parallel workers: a lock directory makes
 * one of them build while the others wait for it.
 */
export async function ensureDashboardBuilt(): Promise<void> {
  const lock = join(DASHBOARD, ".e2e-build.lock");
  const deadline = performance.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Someone else builds; a lock older than 2 minutes is left over from a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmdirSync(lock);
      if (performance.now() > deadline) throw new Error("timed out waiting for another dashboard build");
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (!dashboardStale()) return;
    const vite = await import("vite");
    await vite.build({ root: DASHBOARD, configFile: join(DASHBOARD, "vite.config.ts"), logLevel: "error" });
    if (!existsSync(join(DASHBOARD, "dist/index.html"))) throw new Error("vite build produced no dist/index.html");
  } finally {
    rmdirSync(lock);
  }
}

export interface ServedGateway {
  url: string;
  child: ChildProcess;
  close(): Promise<void>;
}

/** `spinewatch serve --port 0 --source replay --file F --rate R`; resolves with the page URL. */
export async function serveReplay(fixture: string, rate: number, extra: string[] = [], port = 0): Promise<ServedGateway> {
  const sessions = await mkdtemp(join(tmpdir(), "sw-e2e-"));
  const child = spawn(
    process.execPath,
    [BIN, "serve", "--port", String(port), "--source", "replay", "--file", join(ROOT, fixture), "--rate", String(rate), "--no-dashboard-build", "--sessions-dir", sessions, ...extra],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr!.on("data", (c) => (stderr += c));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 60_000);
    void exited.then(() => reject(new Error(`serve exited: ${stderr}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const m = /^spinewatch: dashboard at (\S+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
  });
  return {
    url,
    child,
    close: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      await rm(sessions, { recursive: true, force: true });
    },
  };
}

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/** A truth-event line of a simulated fixture (CONTRACTS.md §1). */
export interface TruthEvent {
  kind: "rep" | "hold" | "warning";
  startMs: number;
  endMs: number;
  [k: string]: unknown;
}

/** The fixture's truth-event lines, in file order. */
export async function readTruthEvents(fixture: string): Promise<TruthEvent[]> {
  const out: TruthEvent[] = [];
  const input = createReadStream(join(ROOT, fixture)).pipe(createGunzip());
  for await (const line of createInterface({ input })) {
    if (line.includes('"truth-event"')) out.push(JSON.parse(line) as TruthEvent);
  }
  return out;
}

/** Evaluates `fn` against sw-app's shadow root in the page. */
export const inApp = <T>(page: Page, fn: string): Promise<T> =>
  page.evaluate(`(() => { const app = document.querySelector("sw-app").shadowRoot; return (${fn})(app); })()`) as Promise<T>;

/**
 * Saves a screenshot to test-output/. With UPDATE_SCREENSHOTS=1 it is also copied to docs/img/
 * (the README's pictures), so an ordinary test run never rewrites tracked files.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(join(ROOT, "test-output"), { recursive: true });
  const out = join(ROOT, "test-output", name);
  await page.screenshot({ path: out, fullPage: false });
  if (process.env.UPDATE_SCREENSHOTS === "1") {
    mkdirSync(join(ROOT, "docs/img"), { recursive: true });
    copyFileSync(out, join(ROOT, "docs/img", name));
  }
  return out;
}

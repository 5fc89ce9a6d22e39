import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DashboardAssets } from "./dashboard-assets.js";

// A minimal Vite app in a temp directory stands in for apps/dashboard: the real Vite builds it.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sw-dash-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("DashboardAssets", () => {
  it("says so when the dashboard app does not exist yet", async () => {
    const assets = new DashboardAssets(join(dir, "none"));
    await assets.ensureBuilt(() => {});
    expect(assets.status).toMatchObject({ state: "missing" });
  });

  it("builds a missing dist with Vite on first start", async () => {
    const app = join(dir, "app");
    await mkdir(join(app, "src"), { recursive: true });
    await writeFile(join(app, "index.html"), '<!doctype html><title>t</title><script type="module" src="/src/main.js"></script>');
    await writeFile(join(app, "src", "main.js"), "document.title = 'built';");
    const assets = new DashboardAssets(app);
    expect(assets.status.state).toBe("missing");
    const log: string[] = [];
    await assets.ensureBuilt((l) => log.push(l));
    expect(assets.status).toEqual({ state: "ready", root: join(app, "dist") });
    expect(existsSync(join(app, "dist", "index.html"))).toBe(true);
    expect((await readdir(join(app, "dist", "assets"))).some((f) => f.endsWith(".js"))).toBe(true);
    expect(log[0]).toMatch(/building the dashboard/);
  }, 60_000);
});

/**
 * The dashboard marks a rep that the rep detector bridged across a sensor loss: a simulated
 * deadlift session (WitMotion, seed 2, 40 s) whose third rep loses the sacrum sensor for 890 ms
 * (1.4 s without frames), written by the simulator and replayed through the real gateway at 4x.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { writeSimulation } from "@spinewatch/gateway";
import { ensureDashboardBuilt, launchChromium, ROOT, serveReplay, type ServedGateway } from "./dashboard-harness.js";

let dir: string;
let gateway: ServedGateway;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sw-e2e-bridged-"));
  const file = join(dir, "deadlift.ndjson");
  await Promise.all([
    ensureDashboardBuilt(),
    writeSimulation(file, { scenario: "deadlift", durationS: 40, seed: 2, device: "witmotion-wt901ble" } as Parameters<typeof writeSimulation>[1]),
  ]);
  [gateway, browser] = await Promise.all([serveReplay(relative(ROOT, file), 4), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(gateway.url);
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("dashboard: a rep bridged across a sensor loss", () => {
  it("is counted and marked (*, with how long its frames were missing); the others are not", async () => {
    await page.locator('sw-rep-panel [data-count="5"]').waitFor({ timeout: 45_000 });
    const rows = await page.locator("sw-rep-panel tr[data-rep]").evaluateAll((trs) =>
      trs.map((tr) => ({ rep: (tr as HTMLElement).dataset.rep, ms: (tr as HTMLElement).dataset.bridgedMs, title: tr.querySelector(".gap")?.getAttribute("title") ?? null })),
    );
    const bridged = rows.filter((r) => r.ms !== "");
    expect(bridged.map((r) => r.rep)).toEqual(["3"]);
    // 1.4 s without frames (the 890 ms loss and the sensor's wait for its confirmation after it).
    expect(Number(bridged[0]!.ms)).toBeGreaterThan(1000);
    expect(bridged[0]!.title).toMatch(/^No frames for 1\.\d\d s in this rep \(a sensor loss\)/);
    expect(rows.filter((r) => r.title !== null)).toHaveLength(1);
  });
});

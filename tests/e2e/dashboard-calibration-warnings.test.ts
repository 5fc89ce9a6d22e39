/**
 * The dashboard in a real browser on the kettlebell-swing-rounding replay (fixtures/sim: reps
 * 7-10 round beyond the 25° flexion limit; 4 truth warnings). The gateway starts the replay at
 * 0.01x so that the page is connected while the fixture still stands still (500-3500 ms); the
 * rate control then plays it at 1x for the guided calibration (neutral, then the functional bend
 * over 4000-9000 ms); a seek back to the start and 4x then play up to the first warning, whose
 * banner must appear close to the truth start in sample time. Last, a seek forward.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { RANGE_DEFAULTS } from "@spinewatch/analysis";
import { ensureDashboardBuilt, launchChromium, readTruthEvents, screenshot, serveReplay, type ServedGateway, type TruthEvent } from "./dashboard-harness.js";

const FIXTURE = "fixtures/sim/kettlebell-swing-rounding.movella-dot.ndjson.gz";
const START_RATE = 0.01;

let gateway: ServedGateway;
let browser: Browser;
let page: Page;
let truth: TruthEvent[];

interface RangeEntry {
  level: string;
  axis: string;
  tMs: number;
}

beforeAll(async () => {
  await ensureDashboardBuilt();
  truth = await readTruthEvents(FIXTURE);
  [gateway, browser] = await Promise.all([serveReplay(FIXTURE, START_RATE), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(gateway.url);
  // Test-side recorder: every caution and warning the page's state held, as each events message
  // was applied (at 2x a caution may be up for less than one painted frame before its warning).
  await page.evaluate(() => {
    const log: { level: string; axis: string; tMs: number }[] = [];
    (window as unknown as { __rangeLog: typeof log }).__rangeLog = log;
    const attach = () => {
      const state = document.querySelector("sw-app")?.connection?.state;
      if (!state) return void requestAnimationFrame(attach);
      state.addEventListener("change", () => {
        for (const a of state.active.values()) {
          if (!log.some((e) => e.level === a.level && e.axis === a.axis && e.tMs === a.tMs)) log.push({ level: a.level, axis: a.axis, tMs: a.tMs });
        }
      });
    };
    attach();
  });
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

describe("dashboard: calibration and warnings on a swing replay", () => {
  it("plays the replay at the chosen rate", async () => {
    await page.locator('header [data-link="open"]').waitFor({ timeout: 15_000 });
    await page.locator("sw-replay-controls select").selectOption("1");
    await page.waitForFunction(() => {
      const el = document.querySelector("sw-app")!.shadowRoot!.querySelector("sw-replay-controls")!.shadowRoot!.querySelector<HTMLElement>("[data-position-ms]");
      return el !== null && Number(el.dataset.positionMs) >= 600;
    }, null, { timeout: 10_000, polling: "raf" });
  });

  it("performs the guided calibration: neutral, then the bend, with the quality shown", async () => {
    await page.locator('sw-calibration button[data-action="calibrate-neutral"]').click();
    await page.locator("sw-calibration [data-state=running]").waitFor({ timeout: 5_000 });
    const neutral = page.locator('sw-calibration [data-outcome][data-step="neutral"]');
    await neutral.waitFor({ timeout: 15_000 });
    expect(await neutral.getAttribute("data-outcome"), await neutral.textContent() ?? "").toBe("ok");
    await expect(page.locator("sw-calibration dl.quality").textContent()).resolves.toContain("Stillness");
    await page.locator('sw-calibration button[data-action="calibrate-bend"]').click();
    const bend = page.locator('sw-calibration [data-outcome][data-step="bend"]');
    await bend.waitFor({ timeout: 15_000 });
    expect(await bend.getAttribute("data-outcome")).toBe("ok");
    const quality = await page.locator("sw-calibration dl.quality").textContent();
    expect(quality).toContain("Bend planarity");
    // The bend paused at the bottom, and the second before the window or the one after it was
    // still: the gyroscopes' scales about the bend axis were measured (kinematics gyro-scale.ts).
    expect(quality).toMatch(/Gyro scale \(sacrum\)[+−]\d\.\d %.*Gyro scale \(thoracic\)[+−]\d\.\d %/);
    expect(await page.locator("sw-calibration [data-current]").getAttribute("data-current")).not.toBe("none");
  });

  it("shows the warning banner for the first exceedance, close to its truth start (sample time)", async () => {
    const firstTruth = truth.find((t) => t.kind === "warning")!;
    expect(firstTruth).toBeDefined();
    // Back to the start: the analysis restarts with the fixture's own calibration events, so the
    // angles do not depend on when the test's clicks landed (a calibration bend window reaching
    // into the first swings would change them), then 2x up to the warnings. The fixture's first
    // warnings last 240-410 ms of sample time; the banner keeps an ended warning up for
    // ENDED_WARNING_HOLD_MS of wall time (before that, a loaded CI run missed all four at 2x).
    await page.locator('sw-replay-controls input[name="seek"]').fill("0");
    await page.locator("sw-replay-controls select").selectOption("2");
    // The banner's event time, read in the same animation frame that found it up.
    const shownTMs = await page
      .waitForFunction(() => {
        const banner = document.querySelector("sw-app")!.shadowRoot!.querySelector("sw-warning-banner")!.shadowRoot!;
        const el = banner.querySelector<HTMLElement>('[data-level="warning"][data-axis="flexion"]');
        return el ? Number(el.dataset.tMs) : false;
      }, null, { timeout: 30_000, polling: "raf" })
      .then((h) => h.jsonValue() as Promise<number>)
      .catch(async (err) => {
        const dump = await page.evaluate(() => {
          const st = document.querySelector("sw-app")!.connection.state;
          return JSON.stringify({ reps: st.reps.map((r) => r.peakFlexionDeg.toFixed(1)), cal: st.calibration, limits: st.limits, warnings: st.warnings.length, replay: st.replay, problems: st.problems });
        });
        throw new Error(`${String(err).split("\n")[0]}; state: ${dump}`);
      });
    // 1x from here: the ended mark below is up until the next swing's warning, about 1 s at 1x.
    await page.locator("sw-replay-controls select").selectOption("1");
    const log = await page.evaluate(() => (window as unknown as { __rangeLog: RangeEntry[] }).__rangeLog);
    const firstWarning = log.find((e) => e.level === "warning" && e.axis === "flexion" && e.tMs > firstTruth.startMs - 1000)!;
    expect(shownTMs).toBe(firstWarning.tMs);
    const delayMs = firstWarning.tMs - firstTruth.startMs;
    console.log(`first warning: banner event at ${firstWarning.tMs.toFixed(1)} ms, truth start ${firstTruth.startMs} ms, delay ${delayMs.toFixed(1)} ms of sample time`);
    // Issue 7: the banner appears within 100 ms of sample time of the first exceedance. The
    // analysis declares a warning after the value stayed beyond the limit for its dwell
    // (RANGE_DEFAULTS.dwellMs, noise rejection); the dashboard adds nothing in sample time.
    expect(delayMs).toBeGreaterThanOrEqual(0);
    expect(delayMs).toBeLessThanOrEqual(100);
    expect(RANGE_DEFAULTS.dwellMs).toBeLessThan(100);
    // The caution (80% of the limit) showed before the exceedance itself.
    const caution = log.find((e) => e.level === "caution" && e.axis === "flexion" && e.tMs > firstTruth.startMs - 1000);
    expect(caution).toBeDefined();
    expect(caution!.tMs).toBeLessThanOrEqual(firstTruth.startMs + 10);
    // Once over, it stays up marked as ended (until the next swing's warning replaces it).
    await page.locator(`sw-warning-banner [data-level="warning"][data-ended="true"][data-t-ms="${shownTMs}"]`).waitFor({ timeout: 5_000 });
    // A picture of a later warning at 1x, page scrolled to the top.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator(`sw-warning-banner [data-level="warning"]:not([data-t-ms="${shownTMs}"])`).waitFor({ timeout: 15_000 });
    await screenshot(page, "dashboard-swing-warning.png");
    await page.locator("sw-replay-controls select").selectOption("4");
  });

  it("seeks the replay", async () => {
    const seek = page.locator('sw-replay-controls input[name="seek"]');
    await seek.fill("30000");
    await page.waitForFunction(() => {
      const el = document.querySelector("sw-app")!.shadowRoot!.querySelector("sw-replay-controls")!.shadowRoot!.querySelector<HTMLElement>("[data-position-ms]");
      return el !== null && Number(el.dataset.positionMs) >= 30_000;
    }, null, { timeout: 10_000 });
    // A seek restarts the analysis: the reps counted before it are gone with the new snapshot.
    await page.locator('sw-rep-panel [data-count="0"]').waitFor({ timeout: 10_000 });
  });
});

/**
 * The dashboard in a real browser (Debian's chromium, playwright-core) fed by the live gateway
 * with the simulator at two sensors × 200 Hz (WitMotion packets, kettlebell swings), the page
 * opened with `?perf` so that it records its own figures (apps/dashboard/src/util/perf-probe.ts).
 *
 * 1. Real time (DASHBOARD_BENCH_SECONDS, default 30, after 5 s warm-up):
 *    - frames per second: requestAnimationFrame callbacks counted in the page (goal ≥ 58);
 *    - main-thread script time per frame: CDP Performance.getMetrics ScriptDuration delta over
 *      the rAF count (goal ≤ 4 ms); TaskDuration (all main-thread work) alongside;
 *    - WebSocket `frames` message to painted frame: receive time stamped in the message handler,
 *      to the end of the animation-frame callback that gave the charts their data (painted right
 *      after it) and, conservatively, to the start of the next animation frame (goal p99 ≤ 20 ms).
 * 2. Heap: the session accelerated DASHBOARD_BENCH_SPEED times (default 5) on a scaled clock for
 *    DASHBOARD_BENCH_SESSION_MIN minutes of session time (default 30): JS heap after a forced GC
 *    at the start and at the end. (Accelerated: the page gets SPEED× more frames per second than
 *    live, which is harsher than a real 30 minutes, and its ring buffers and lists see 30 minutes.)
 *
 * BENCH lines: dashboard_fps, dashboard_script_ms_per_frame, dashboard_task_ms_per_frame,
 * dashboard_latency_p50_ms, dashboard_latency_p99_ms, dashboard_latency_next_frame_p50_ms,
 * dashboard_latency_next_frame_p99_ms, dashboard_heap_start_mb, dashboard_heap_end_mb,
 * dashboard_heap_growth_mb, dashboard_heap_session_min.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { Clock } from "@spinewatch/protocol";
import { realClock, startGateway, type RunningGateway } from "@spinewatch/gateway";
import { createSimulatedSource } from "@spinewatch/simulator";
import type { CDPSession, Page } from "playwright-core";
import { ensureDashboardBuilt, launchChromium } from "../tests/e2e/dashboard-harness.js";
import type { PerfFigures } from "../apps/dashboard/src/util/perf-probe.js";

const RUN_S = Number(process.env.DASHBOARD_BENCH_SECONDS ?? 30);
const SPEED = Number(process.env.DASHBOARD_BENCH_SPEED ?? 5);
const SESSION_MIN = Number(process.env.DASHBOARD_BENCH_SESSION_MIN ?? 30);
const RATE_HZ = 200;

const bench = (name: string, value: number, unit: string) => console.log(`BENCH ${name} ${Number(value.toFixed(3))} ${unit}`);
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/** A clock running `speed` times faster than the wall (the gateway and simulator pace on it). */
const scaledClock = (speed: number): Clock => ({
  nowMs: () => realClock.nowMs() * speed,
  sleep: (ms) => realClock.sleep(ms / speed),
});

async function serve(clock: Clock, dir: string): Promise<RunningGateway> {
  const source = createSimulatedSource({ scenario: "kettlebell-swing", device: "witmotion-wt901ble", rateHz: RATE_HZ, seed: 7, durationS: 8 * 3600 }, clock);
  const rates = source.info.sensors.map((s) => `${s.id} ${s.rateHz} Hz`).join(", ");
  console.log(`source: simulator, kettlebell-swing, ${rates}`);
  return startGateway({ source: { kind: "source", source, label: { kind: "sim", scenario: "kettlebell-swing" } }, clock, port: 0, sessionsDir: dir, record: false, buildDashboard: false });
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

async function heapMb(page: Page, cdp: CDPSession): Promise<number> {
  await cdp.send("HeapProfiler.collectGarbage");
  await page.waitForTimeout(200);
  return (await metrics(cdp)).JSHeapUsedSize / 1024 / 1024;
}


await ensureDashboardBuilt();
const dir = await mkdtemp(join(tmpdir(), "sw-dash-bench-"));
const browser = await launchChromium();
try {
  // 1. Real time.
  {
    const gw = await serve(realClock, dir);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    await page.goto(`${gw.url}?perf`);
    await sleep(5000);
    await page.evaluate(() => window.__spinewatchPerf!.reset());
    const m0 = await metrics(cdp);
    const t0 = performance.now();
    await sleep(RUN_S * 1000);
    const m1 = await metrics(cdp);
    const wallS = (performance.now() - t0) / 1000;
    const f = (await page.evaluate(() => JSON.parse(JSON.stringify(window.__spinewatchPerf!.figures)))) as PerfFigures;
    const fps = (f.rafCount - 1) / ((f.rafLastMs - f.rafFirstMs) / 1000);
    const scriptMs = ((m1.ScriptDuration - m0.ScriptDuration) * 1000) / f.rafCount;
    const taskMs = ((m1.TaskDuration - m0.TaskDuration) * 1000) / f.rafCount;
    console.log(`real time ${wallS.toFixed(1)} s: ${f.rafCount} animation frames (${fps.toFixed(1)} fps), ${f.framesMessages} frames messages (${(f.framesMessages / wallS).toFixed(0)}/s)`);
    console.log(`main thread per animation frame: script ${scriptMs.toFixed(2)} ms, all tasks ${taskMs.toFixed(2)} ms`);
    console.log(
      `message -> charts updated: p50 ${quantile(f.latencyToUpdateMs, 0.5).toFixed(1)} ms, p99 ${quantile(f.latencyToUpdateMs, 0.99).toFixed(1)} ms; ` +
        `-> next animation frame: p50 ${quantile(f.latencyToNextFrameMs, 0.5).toFixed(1)} ms, p99 ${quantile(f.latencyToNextFrameMs, 0.99).toFixed(1)} ms (${f.latencyToUpdateMs.length} messages)`,
    );
    bench("dashboard_fps", fps, "fps");
    bench("dashboard_script_ms_per_frame", scriptMs, "ms");
    bench("dashboard_task_ms_per_frame", taskMs, "ms");
    bench("dashboard_latency_p50_ms", quantile(f.latencyToUpdateMs, 0.5), "ms");
    bench("dashboard_latency_p99_ms", quantile(f.latencyToUpdateMs, 0.99), "ms");
    bench("dashboard_latency_next_frame_p50_ms", quantile(f.latencyToNextFrameMs, 0.5), "ms");
    bench("dashboard_latency_next_frame_p99_ms", quantile(f.latencyToNextFrameMs, 0.99), "ms");
    await page.close();
    await gw.close();
  }
  // 2. Heap over an accelerated session.
  {
    const gw = await serve(scaledClock(SPEED), dir);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    await page.goto(gw.url);
    await sleep(10_000 / SPEED + 2000);
    const lastTMs = () => page.evaluate(() => document.querySelector("sw-app")!.connection.state.ring.lastTMs);
    const startMb = await heapMb(page, cdp);
    const startT = await lastTMs();
    const endAtMs = startT + SESSION_MIN * 60_000;
    let next = 0;
    for (;;) {
      await sleep(5000);
      const t = await lastTMs();
      if (t >= next) {
        console.log(`session ${(t / 60_000).toFixed(1)} min: heap ${(await heapMb(page, cdp)).toFixed(1)} MB`);
        next = t + 5 * 60_000;
      }
      if (t >= endAtMs) break;
    }
    const endMb = await heapMb(page, cdp);
    const sessionMin = ((await lastTMs()) - startT) / 60_000;
    console.log(`heap after a forced GC: ${startMb.toFixed(1)} MB at the start, ${endMb.toFixed(1)} MB after ${sessionMin.toFixed(1)} min of session (${SPEED}x accelerated)`);
    bench("dashboard_heap_start_mb", startMb, "MB");
    bench("dashboard_heap_end_mb", endMb, "MB");
    bench("dashboard_heap_growth_mb", endMb - startMb, "MB");
    bench("dashboard_heap_session_min", sessionMin, "min");
    await page.close();
    await gw.close();
  }
} finally {
  await browser.close();
  await rm(dir, { recursive: true, force: true });
}

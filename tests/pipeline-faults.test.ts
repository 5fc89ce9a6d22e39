import { describe, expect, it } from "vitest";
import { from, lastValueFrom, toArray } from "rxjs";
import { spinePipeline, SummaryCollector, type PipelineOutput } from "@spinewatch/pipeline";
import { SYNTHETIC_INFO, syntheticEvents, syntheticTruth, type SyntheticOptions } from "../packages/pipeline/src/testing/synthetic-session.js";
import { mulberry32 } from "@spinewatch/protocol/testing";
import type { AngleFrame, MovementEvent, SourceEvent } from "@spinewatch/protocol";

async function run(events: SourceEvent[]) {
  const outs = await lastValueFrom(from(events).pipe(spinePipeline(SYNTHETIC_INFO), toArray()));
  const frames = outs.filter((o): o is Extract<PipelineOutput, { type: "frame" }> => o.type === "frame").map((o) => o.frame);
  const evs = outs.filter((o): o is Extract<PipelineOutput, { type: "event" }> => o.type === "event").map((o) => o.event);
  const collector = new SummaryCollector(SYNTHETIC_INFO);
  for (const o of outs) collector.next(o);
  return { outs, frames, events: evs, summary: collector.summary() };
}

function flexionError(frames: AngleFrame[], o: SyntheticOptions, fromMs = 0): number {
  let worst = 0;
  for (const f of frames) if (f.tMs >= fromMs) worst = Math.max(worst, Math.abs(f.flexionDeg - syntheticTruth(f.tMs / 1000, o).flexionDeg));
  return worst;
}

const BASE: SyntheticOptions = { durationS: 30, sensorClock: true };

describe("pipeline on a synthetic hinge session", () => {
  it("calibrates automatically on the first quiet upright 2 s and says so", async () => {
    const { frames, events, summary } = await run(syntheticEvents(BASE));
    const cal = events.find((e): e is Extract<MovementEvent, { kind: "calibration" }> => e.kind === "calibration");
    expect(cal?.calibration.source).toBe("auto");
    expect(cal?.calibration.refused).toBeUndefined();
    expect(summary.calibration.source).toBe("auto");
    // Frames only after the calibration; then every 10 ms to the end.
    expect(frames[0].tMs).toBeGreaterThanOrEqual(cal!.tMs);
    expect(frames.length).toBeGreaterThan(((30_000 - cal!.tMs) / 10) * 0.99);
    // Exact input: the flexion follows the truth (tolerance 2°: filter gain, interpolation).
    expect(flexionError(frames, BASE)).toBeLessThan(2);
  });

  it("calibrates from a calibrate-neutral event when there is one", async () => {
    const o = { ...BASE, calibrateAtS: 1 }; // announced before any 2 s quiet stretch has passed
    const { events, summary } = await run(syntheticEvents(o));
    const cals = events.filter((e) => e.kind === "calibration");
    expect(cals).toHaveLength(1);
    expect(summary.calibration.source).toBe("event");
  });

  it("marks a thoracic dropout, never emits stale angles, and resumes within 1 s of its return", async () => {
    const o = BASE;
    const events = syntheticEvents(o).filter((e) => !(e.type === "sample" && e.sensorId === "thoracic" && e.hostTimeMs > 15_000 && e.hostTimeMs < 18_000));
    const { frames, events: evs, summary } = await run(events);
    const returnMs = 18_000 - 8; // first sample after the gap (latency 8 ms)
    expect(frames.filter((f) => f.tMs > 15_000 && f.tMs < returnMs)).toEqual([]);
    const gap = evs.find((e) => e.kind === "sensor-gap" && e.sensor === "thoracic");
    expect(gap).toBeDefined();
    expect(evs.some((e) => e.kind === "sensor-state" && e.sensor === "thoracic" && e.state === "stale")).toBe(true);
    const resumed = frames.find((f) => f.tMs >= returnMs)!;
    expect(resumed.tMs - returnMs).toBeLessThan(1000);
    // The re-seeded orientation is right again (tolerance 3°).
    expect(flexionError(frames, o, returnMs)).toBeLessThan(3);
    const tho = summary.sensors.find((s) => s.id === "thoracic")!;
    expect(tho.gaps).toBe(1);
    expect(tho.lostPackets).toBeGreaterThanOrEqual(299);
  });

  it("keeps running through 5% random loss, loss bursts, duplicates and out-of-order packets", async () => {
    const rand = mulberry32(42);
    const clean = syntheticEvents(BASE);
    const faulty: SourceEvent[] = [];
    let burst = 0;
    for (const e of clean) {
      if (e.type !== "sample") {
        faulty.push(e);
        continue;
      }
      if (burst > 0) {
        burst--;
        continue;
      }
      const r = rand();
      if (r < 0.05) continue; // random loss
      if (r < 0.055) {
        burst = 5 + Math.floor(rand() * 10); // a burst of 5-15 lost
        continue;
      }
      faulty.push(e);
      if (r > 0.995) faulty.push({ ...e, hostTimeMs: e.hostTimeMs + 0.2 }); // duplicate
    }
    // Out of order: swap some neighbours of the same sensor.
    let swaps = 0;
    for (let i = 2000; i < faulty.length - 3; i += 397) {
      const a = faulty[i], b = faulty[i + 2];
      if (a.type === "sample" && b.type === "sample" && a.sensorId === b.sensorId) {
        faulty[i] = { ...b, hostTimeMs: a.hostTimeMs };
        faulty[i + 2] = { ...a, hostTimeMs: b.hostTimeMs };
        swaps++;
      }
    }
    const { frames, summary } = await run(faulty);
    expect(swaps).toBeGreaterThan(5);
    // Frames keep coming: most of the 24 s after calibration are covered.
    expect(frames.length).toBeGreaterThan(1500);
    for (let i = 1; i < frames.length; i++) expect(frames[i].tMs).toBeGreaterThan(frames[i - 1].tMs);
    expect(flexionError(frames, BASE)).toBeLessThan(3);
    const codes = summary.problems.map((p) => p.code);
    expect(codes).toContain("duplicate-sample");
    expect(codes).toContain("out-of-order-sample");
    for (const s of summary.sensors) expect(s.lostPackets).toBeGreaterThan(100);
  });

  it("places clockless samples by host time and still produces angles", async () => {
    const o = { ...BASE, sensorClock: false };
    const { frames } = await run(syntheticEvents(o));
    expect(frames.length).toBeGreaterThan(2000);
    expect(flexionError(frames, o)).toBeLessThan(2);
  });
});

import type { Clock, SourceEvent } from "@spinewatch/protocol";
import { describe, expect, it } from "vitest";
import { createSimulatedSource, lineToSourceEvent } from "./simulated-source.js";
import { simulateSession } from "./simulate-session.js";

/** A fake clock: sleeping advances time instantly, and every sleep is recorded. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = 1000;
  const sleeps: number[] = [];
  return {
    sleeps,
    nowMs: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

function drain(source: ReturnType<typeof createSimulatedSource>): Promise<SourceEvent[]> {
  return new Promise((resolve, reject) => {
    const got: SourceEvent[] = [];
    source.events().subscribe({ next: (e) => got.push(e), error: reject, complete: () => resolve(got) });
  });
}

describe("createSimulatedSource", () => {
  const options = { scenario: "kettlebell-swing", durationS: 12, device: "witmotion-wt901ble", seed: 9 } as const;

  it("emits the recording's data lines as source events, paced by the injected clock", async () => {
    const clock = fakeClock();
    const truth: number[] = [];
    const source = createSimulatedSource({ ...options, onTruth: (l) => l.type === "truth" && truth.push(l.tMs) }, clock);
    expect(source.kind).toBe("sim");
    expect(source.info.sensors.map((s) => s.role)).toEqual(["sacrum", "thoracolumbar"]);
    expect(source.info.exercise).toBe("kettlebell-swing");
    const got = await drain(source);
    const expected = [...simulateSession(options)].slice(1).map((l) => (l.type === "header" ? null : lineToSourceEvent(l))).filter((e) => e !== null);
    expect(got).toEqual(expected);
    expect(got.some((e) => e.type === "mark")).toBe(true);
    expect(truth.length).toBe(1200);
    // The clock advanced exactly to the last event's time: no drift from per-line sleeps.
    const last = got[got.length - 1];
    expect(clock.nowMs() - 1000).toBeCloseTo(Math.max(last.hostTimeMs, truth[truth.length - 1]), 6);
  });

  it("stops when unsubscribed", async () => {
    const clock = fakeClock();
    const source = createSimulatedSource(options, clock);
    let n = 0;
    await new Promise<void>((resolve) => {
      const sub = source.events().subscribe({
        next: () => {
          if (++n === 50) {
            sub.unsubscribe();
            setImmediate(resolve);
          }
        },
      });
    });
    const sleepsAtStop = clock.sleeps.length;
    await new Promise((r) => setImmediate(r));
    expect(n).toBe(50);
    expect(clock.sleeps.length).toBeLessThanOrEqual(sleepsAtStop + 1);
  });

  it("refuses bad options before anyone subscribes", () => {
    expect(() => createSimulatedSource({ ...options, device: "thingy" as never }, fakeClock())).toThrow(/device: "thingy" cannot be simulated/);
  });
});

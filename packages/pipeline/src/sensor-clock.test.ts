import { describe, expect, it } from "vitest";
import { SensorClock, type ClockReport, type TimedSample } from "./sensor-clock.js";
import { U32_WRAP_US } from "./timestamp-unwrapper.js";
import { mulberry32 } from "@spinewatch/protocol/testing";
import { exponential } from "./exponential-random.test-support.js";
import type { PacketSample } from "./types.js";

/** BLE-like latency: a 5 ms floor plus an exponential tail (mean 4 ms). */
const FLOOR_MS = 5;

interface Run {
  out: TimedSample[];
  truthMs: number[];
  reports: ClockReport[];
  clock: SensorClock;
}

/** A timestamped device (DOT-like): one sample per packet. */
function runTimestamped(opts: {
  rateHz: number; durationS: number; driftPpm?: number; startUs?: number; seed?: number;
  drop?: (i: number) => boolean; mutate?: (packets: PacketSample[], truth: number[]) => void;
}): Run {
  const rand = mulberry32(opts.seed ?? 1);
  const clock = new SensorClock("s", opts.rateHz);
  const T = 1000 / opts.rateHz;
  const n = Math.round(opts.durationS * opts.rateHz);
  const packets: PacketSample[] = [];
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    if (opts.drop?.(i)) continue;
    const trueMs = 1000 + i * T;
    const sensorUs = Math.round(((opts.startUs ?? 0) + i * T * 1000 * (1 + (opts.driftPpm ?? 0) * 1e-6)) % U32_WRAP_US);
    packets.push({ sensorId: "s", hostTimeMs: trueMs + FLOOR_MS + exponential(rand, 4), indexInPacket: 0, countInPacket: 1, sensorTimeUs: sensorUs });
    truth.push(trueMs);
  }
  opts.mutate?.(packets, truth);
  const out: TimedSample[] = [];
  const truthMs: number[] = [];
  const reports: ClockReport[] = [];
  packets.forEach((p, k) => {
    const r = clock.next({ ...p }, (x) => reports.push(x));
    if (r) {
      out.push(r);
      truthMs.push(truth[k]);
    }
  });
  return { out, truthMs, reports, clock };
}

function maxErrorAfter(run: Run, fromMs: number): number {
  let worst = 0;
  run.out.forEach((s, i) => {
    if (run.truthMs[i] < fromMs) return;
    worst = Math.max(worst, Math.abs(s.tMs - (run.truthMs[i] + FLOOR_MS)));
  });
  return worst;
}

function strictlyIncreasing(samples: TimedSample[]): boolean {
  return samples.every((s, i) => i === 0 || s.tMs > samples[i - 1].tMs);
}

describe("SensorClock, timestamped devices", () => {
  it("unwraps the Movella DOT u32 µs timestamp across its 71.6 min wrap", () => {
    // Start 5 s before the wrap; 20 s at 60 Hz (the DOT's default rate).
    const run = runTimestamped({ rateHz: 60, durationS: 20, startUs: U32_WRAP_US - 5e6 });
    expect(run.out).toHaveLength(1200);
    expect(strictlyIncreasing(run.out)).toBe(true);
    expect(run.reports).toEqual([]);
    // Tolerance 1.5 ms against the true time plus the latency floor.
    expect(maxErrorAfter(run, 2000)).toBeLessThan(1.5);
  });

  for (const driftPpm of [1000, -1000]) {
    it(`maps a ${driftPpm} ppm drifting clock within 2 ms over 10 minutes`, () => {
      const run = runTimestamped({ rateHz: 60, durationS: 600, driftPpm, seed: 7 });
      // The first seconds run before three block minima exist to fit the drift.
      expect(maxErrorAfter(run, 5000)).toBeLessThan(2);
      expect(Math.abs(run.clock.driftPpm - -driftPpm / (1 + driftPpm * 1e-6))).toBeLessThan(50);
      expect(run.reports.filter((r) => r.kind === "gap")).toEqual([]);
    });
  }

  it("counts random loss exactly and reports a dropout as one gap", () => {
    const rand = mulberry32(3);
    const dropped = new Set<number>();
    for (let i = 0; i < 6000; i++) if (rand() < 0.05) dropped.add(i);
    for (let i = 3000; i < 3120; i++) dropped.add(i); // 2 s dropout at 60 Hz
    const run = runTimestamped({ rateHz: 60, durationS: 100, drop: (i) => dropped.has(i) });
    expect(run.clock.counters.lostPackets).toBe(dropped.size);
    const long = run.reports.filter((r) => r.kind === "gap" && r.endMs - r.startMs > 1000);
    expect(long).toHaveLength(1);
    const g = long[0] as Extract<ClockReport, { kind: "gap" }>;
    expect(g.endMs - g.startMs).toBeCloseTo(2000 + 1000 / 60, -1); // within 5 ms
    expect(g.lostPackets).toBeGreaterThanOrEqual(120);
    expect(strictlyIncreasing(run.out)).toBe(true);
  });

  it("drops duplicates and out-of-order packets, counted, never going back in time", () => {
    const run = runTimestamped({
      rateHz: 60, durationS: 10,
      mutate(packets, truth) {
        // Duplicate packet 100 right after itself; swap packets 200 and 201.
        packets.splice(101, 0, { ...packets[100], hostTimeMs: packets[100].hostTimeMs + 0.5 });
        truth.splice(101, 0, truth[100]);
        [packets[201], packets[202]] = [packets[202], packets[201]];
        [truth[201], truth[202]] = [truth[202], truth[201]];
        packets[202].hostTimeMs = packets[201].hostTimeMs + 0.1;
      },
    });
    expect(run.clock.counters.duplicates).toBe(1);
    expect(run.clock.counters.outOfOrder).toBe(1);
    expect(run.out).toHaveLength(599); // 600 + 1 duplicate − 1 duplicate − 1 late
    expect(strictlyIncreasing(run.out)).toBe(true);
  });

  it("gives each sample its step on the sensor's own clock (stepMs), lost samples included, wrap and all", () => {
    const T = 1000 / 60;
    const run = runTimestamped({ rateHz: 60, durationS: 20, startUs: 2 ** 32 - 5e6, drop: (i) => i === 400 || i === 401 });
    expect(run.out[0].stepMs).toBeUndefined();
    for (let k = 1; k < run.out.length; k++) {
      // Timestamps are whole µs: tolerance 0.001 ms.
      const expected = run.truthMs[k] - run.truthMs[k - 1];
      expect(Math.abs((run.out[k].stepMs as number) - expected)).toBeLessThan(1e-3);
    }
    expect(run.out.filter((s) => (s.stepMs as number) > 1.5 * T)).toHaveLength(1);
  });

  it("subtracts the device's transport latency from every mapped time", () => {
    const plain = new SensorClock("s", 60);
    const late = new SensorClock("s", 60, { transportLatencyMs: 1.416 });
    for (let i = 0; i < 600; i++) {
      const p: PacketSample = { sensorId: "s", hostTimeMs: 1000 + i * 16.667 + FLOOR_MS + (i % 7), indexInPacket: 0, countInPacket: 1, sensorTimeUs: i * 16667 };
      const a = plain.next({ ...p }, () => {});
      const b = late.next({ ...p }, () => {});
      // Tolerance 1e-9 ms: the same mapping, shifted.
      expect(a!.tMs - b!.tMs).toBeCloseTo(1.416, 9);
    }
    expect(() => new SensorClock("s", 60, { transportLatencyMs: -1 })).toThrow(/transport latency/);
  });

  it("re-synchronises when the sensor clock restarts", () => {
    const run = runTimestamped({
      rateHz: 60, durationS: 10,
      mutate(packets) {
        for (let i = 300; i < packets.length; i++) packets[i].sensorTimeUs = (i - 300) * 16667;
      },
    });
    expect(run.clock.counters.clockResets).toBe(1);
    expect(strictlyIncreasing(run.out)).toBe(true);
    expect(maxErrorAfter(run, 7000)).toBeLessThan(2);
  });
});

describe("SensorClock, devices without a clock", () => {
  /** WitMotion-like: `batch` frames per notification, arriving after the last frame was taken. */
  function runCounted(opts: { rateHz: number; batch: number; durationS: number; rateErrorPpm?: number; jitterMs?: number; drop?: (packet: number) => boolean; delayMs?: (packet: number) => number }) {
    const rand = mulberry32(11);
    const clock = new SensorClock("w", opts.rateHz);
    const trueT = 1000 / opts.rateHz / (1 + (opts.rateErrorPpm ?? 0) * 1e-6);
    const nPackets = Math.floor((opts.durationS * opts.rateHz) / opts.batch);
    const out: TimedSample[] = [];
    const truth: number[] = [];
    let lastHost = 0;
    for (let p = 0; p < nPackets; p++) {
      if (opts.drop?.(p)) continue;
      const lastTrue = 500 + (p * opts.batch + opts.batch - 1) * trueT;
      const host = Math.max(lastHost, lastTrue + FLOOR_MS + exponential(rand, opts.jitterMs ?? 1) + (opts.delayMs?.(p) ?? 0));
      lastHost = host;
      for (let j = 0; j < opts.batch; j++) {
        const r = clock.next({ sensorId: "w", hostTimeMs: host, indexInPacket: j, countInPacket: opts.batch }, () => {});
        if (r) {
          out.push(r);
          truth.push(500 + (p * opts.batch + j) * trueT);
        }
      }
    }
    return { out, truth, clock };
  }

  it("spreads batched frames at 1/rate and locks onto a +1000 ppm rate error", () => {
    const { out, truth } = runCounted({ rateHz: 100, batch: 4, durationS: 120, rateErrorPpm: 1000 });
    expect(strictlyIncreasing(out)).toBe(true);
    let worst = 0;
    out.forEach((s, i) => {
      if (truth[i] > 10_000) worst = Math.max(worst, Math.abs(s.tMs - (truth[i] + FLOOR_MS)));
    });
    // Tolerance 2 ms: the batch spacing is 1/rate, the phase follows the arrival envelope.
    expect(worst).toBeLessThan(2);
    // Inside a batch, frames are one period apart (tolerance 0.1 ms).
    expect(out[41].tMs - out[40].tMs).toBeCloseTo(10, 1);
  });

  for (const rateErrorPpm of [7000, -7000]) {
    it(`locks onto a ${rateErrorPpm} ppm rate error (WitMotion's clock was measured 0.7 % off)`, () => {
      const { out, truth, clock } = runCounted({ rateHz: 100, batch: 4, durationS: 120, rateErrorPpm });
      expect(strictlyIncreasing(out)).toBe(true);
      expect(clock.counters.lostPackets).toBe(0);
      let worst = 0;
      out.forEach((s, i) => {
        if (truth[i] > 20_000) worst = Math.max(worst, Math.abs(s.tMs - (truth[i] + FLOOR_MS)));
      });
      // Tolerance 2 ms, as at 1000 ppm (the old ±5000 ppm bound left −7000 ppm 9-35 ms off).
      expect(worst).toBeLessThan(2);
    });
  }

  it("detects a burst of lost packets from arrival times and reports the gap", () => {
    const { clock, out } = runCounted({ rateHz: 100, batch: 1, durationS: 30, jitterMs: 0.5, drop: (p) => p >= 1000 && p < 1010 });
    expect(clock.counters.lostPackets).toBe(10);
    expect(clock.counters.gaps).toBe(1);
    expect(strictlyIncreasing(out)).toBe(true);
  });

  it("takes a notification delayed by retransmissions as delayed, not as a lost batch", () => {
    // Every 50th notification 30 ms late (two 15 ms connection events), its successors queued
    // behind it (in order, as BLE delivers them).
    const { clock, out, truth } = runCounted({ rateHz: 100, batch: 4, durationS: 60, delayMs: (p) => (p % 50 === 25 ? 30 : 0) });
    expect(clock.counters.lostPackets).toBe(0);
    expect(clock.counters.gaps).toBe(0);
    let worst = 0;
    out.forEach((s, i) => {
      if (truth[i] > 10_000) worst = Math.max(worst, Math.abs(s.tMs - (truth[i] + FLOOR_MS)));
    });
    // Tolerance 2 ms, as without delays: no sample is moved by the late notifications.
    expect(worst).toBeLessThan(2);
  });

  it("a notification delayed 60 ms, taken for two lost batches: the next one, bunched behind it, takes a batch back and shortens that step", () => {
    // Retransmissions can delay a notification by a few connection events; BLE queues the next
    // ones behind it (overcount-check.ts). 60 ms late counts as two lost batches (8 samples).
    const clock = new SensorClock("w", 100);
    let lastHost = 0;
    const firsts = new Map<number, TimedSample>();
    for (let p = 0; p < 1100; p++) {
      const host = Math.max(lastHost, 500 + (p * 4 + 3) * 10 + FLOOR_MS + (p === 1000 ? 60 : 0));
      lastHost = host;
      for (let j = 0; j < 4; j++) {
        const r = clock.next({ sensorId: "w", hostTimeMs: host, indexInPacket: j, countInPacket: 4 }, () => {});
        if (r && j === 0) firsts.set(p, { ...r });
      }
    }
    expect(firsts.get(1000)!.stepMs).toBe(90);
    expect(firsts.get(1001)!.stepRevisionMs).toBe(-40);
    expect(firsts.get(1001)!.stepRevisionPackets).toBe(1);
    // Nothing was lost; 4 of the 8 counted were taken back (the line had already dropped by
    // the rest at the delayed packet itself).
    expect(clock.counters.lostPackets).toBe(4);
    expect(firsts.get(1002)!.stepRevisionMs).toBeUndefined();
  });

  it("counts one lost notification when the one after it is late too", () => {
    const { clock, out, truth } = runCounted({ rateHz: 100, batch: 4, durationS: 60, drop: (p) => p === 1000 });
    expect(clock.counters.lostPackets).toBe(4);
    expect(clock.counters.gaps).toBe(1);
    // The first notification after the loss is placed one batch early (taken as delayed);
    // from the second on, samples are where they belong (tolerance 2 ms).
    const firstAfter = truth.findIndex((t) => t > 500 + 4004 * 10);
    out.forEach((s, i) => {
      if (i >= firstAfter + 4) expect(Math.abs(s.tMs - (truth[i] + FLOOR_MS))).toBeLessThan(2);
    });
    expect(strictlyIncreasing(out)).toBe(true);
  });

  it("a loss the motion misreads as a delay: counted at the third late notification, which revises the first one's step (2 packets back)", () => {
    // Notification 1000 lost. The rate is made to continue smoothly across the loss (as if
    // nothing were missing: 300·sin(2π·k/400) over the samples received, near a zero crossing,
    // 4.7 °/s per sample), so the first late notification looks delayed, and so does the second.
    const clock = new SensorClock("w", 100);
    const rand = mulberry32(3);
    const placed = new Map<number, TimedSample[]>();
    let received = 0;
    for (let p = 0; p < 1100; p++) {
      if (p === 1000) continue;
      const host = 500 + (p * 4 + 3) * 10 + FLOOR_MS + exponential(rand, 1);
      for (let j = 0; j < 4; j++) {
        const gyrDps: [number, number, number] = [300 * Math.sin((2 * Math.PI * received++) / 400), 0, 0];
        const r = clock.next({ sensorId: "w", hostTimeMs: host, indexInPacket: j, countInPacket: 4, gyrDps }, () => {});
        if (r) placed.set(p, [...(placed.get(p) ?? []), { ...r }]);
      }
    }
    expect(clock.counters.lostPackets).toBe(4);
    // 1001 and 1002 taken as delayed: placed a batch (40 ms) early (tolerance 2 ms).
    for (const p of [1001, 1002]) for (const [j, r] of placed.get(p)!.entries()) expect(Math.abs(r.tMs - (500 + (p * 4 + j) * 10 + FLOOR_MS) + 40)).toBeLessThan(2);
    // 1003 counts the loss and revises 1001's first step by the 40 ms lost; its own first step
    // is one period, and it is placed where it belongs.
    const third = placed.get(1003)!;
    expect(third[0].stepRevisionMs).toBeCloseTo(40, 9);
    expect(third[0].stepRevisionPackets).toBe(2);
    expect(third[0].stepMs).toBeCloseTo(10, 9);
    for (const [j, r] of third.entries()) expect(Math.abs(r.tMs - (500 + (1003 * 4 + j) * 10 + FLOOR_MS))).toBeLessThan(2);
    // No other sample carries a revision.
    const revised = [...placed.values()].flat().filter((r) => r.stepRevisionMs !== undefined);
    expect(revised).toHaveLength(1);
  });

  it("every other notification lost: the second late one, still late by the first's batch, revises it and counts both", () => {
    // Notifications 1000 and 1002 lost. Through 1001 the rate is steady (the motion cannot tell
    // a loss from a delay, so 1001 is taken as delayed, 40 ms early); from the lost 1002 on it
    // bends (100 + 2·k² °/s), so 1003 shows that 4 samples, not 8, were lost since 1001.
    const clock = new SensorClock("w", 100);
    const rand = mulberry32(5);
    const placed = new Map<number, TimedSample[]>();
    const rate = (k: number): number => (k <= 4007 ? 100 : 100 + 2 * (k - 4007) ** 2);
    for (let p = 0; p < 1010; p++) {
      if (p === 1000 || p === 1002) continue;
      const host = 500 + (p * 4 + 3) * 10 + FLOOR_MS + exponential(rand, 1);
      // The whole batch, as the decode stage hands it over (the motion verdict reads it).
      const packet = [0, 1, 2, 3].map((j) => ({ gyrDps: [0, 0, rate(p * 4 + j)] as [number, number, number] }));
      for (let j = 0; j < 4; j++) {
        const r = clock.next({ sensorId: "w", hostTimeMs: host, indexInPacket: j, countInPacket: 4, gyrDps: packet[j].gyrDps, packet }, () => {});
        if (r) placed.set(p, [...(placed.get(p) ?? []), { ...r }]);
      }
    }
    expect(clock.counters.lostPackets).toBe(8);
    // 1001 went 40 ms early (tolerance 2 ms); 1003 revises its first step by the 40 ms lost
    // before it, its own first step spans the 4 lost since (50 ms), and it is where it belongs.
    expect(Math.abs(placed.get(1001)![0].tMs - (500 + 4004 * 10 + FLOOR_MS) + 40)).toBeLessThan(2);
    const after = placed.get(1003)!;
    expect(after[0].stepRevisionMs).toBeCloseTo(40, 9);
    expect(after[0].stepRevisionPackets).toBe(1);
    expect(after[0].stepMs).toBeCloseTo(50, 9);
    for (const [j, r] of after.entries()) expect(Math.abs(r.tMs - (500 + (1003 * 4 + j) * 10 + FLOOR_MS))).toBeLessThan(2);
  });

  /**
   * A WitMotion-like clockless sensor (100 Hz, 4 frames per notification) mid-swing: rate
   * 200·sin(2π·0.7·t) °/s about x (~880 °/s² peak) plus noise. Notification `lost` is lost,
   * `delayed` arrives `delayMs` late (its successors queued behind it). Returns the clock, and
   * the placement error and step of each sample of notification `watch`.
   */
  function swingWithLoss(o: { seed: number; lost: number; delayed: number; delayMs: number; watch: number }) {
    const rateHz = 100, batch = 4, trueT = 10;
    const clock = new SensorClock("w", rateHz);
    const rand = mulberry32(o.seed);
    const gyr = (tMs: number): [number, number, number] => [200 * Math.sin(2 * Math.PI * 0.7 * (tMs / 1000)) + 0.1 * (rand() - 0.5), 0, 0];
    const errMs: number[] = [];
    const stepsMs: number[] = [];
    let lastHost = 0;
    for (let p = 0; p < 1500; p++) {
      if (p === o.lost) continue;
      const first = 500 + p * batch * trueT;
      const host = Math.max(lastHost, first + (batch - 1) * trueT + FLOOR_MS + exponential(rand, 1) + (p === o.delayed ? o.delayMs : 0));
      lastHost = host;
      for (let j = 0; j < batch; j++) {
        const r = clock.next({ sensorId: "w", hostTimeMs: host, indexInPacket: j, countInPacket: batch, gyrDps: gyr(first + j * trueT) }, () => {});
        if (r && p === o.watch) {
          errMs.push(r.tMs - (first + j * trueT + FLOOR_MS));
          stepsMs.push(r.stepMs!);
        }
      }
    }
    return { clock, errMs, stepsMs };
  }

  it("counts a lost notification at once when the angular rate shows the jump (a swing)", () => {
    // One notification lost mid-swing, and one delayed by 30 ms elsewhere in the swing. Without
    // the rate, the sample after the loss is taken as delayed and placed a batch (40 ms) early;
    // with it, where it belongs.
    const { clock, errMs } = swingWithLoss({ seed: 5, lost: 1000, delayed: 1200, delayMs: 30, watch: 1001 });
    expect(clock.counters.lostPackets).toBe(4);
    // Tolerance 3 ms (arrival jitter), against 40 ms when taken as delayed.
    for (const e of errMs) expect(Math.abs(e)).toBeLessThan(3);
  });

  it("a lost notification then a retransmitted one mid-swing: one batch lost, not two (the rate tells)", () => {
    // Notification 1004 lost and 1005 retransmitted 40 ms late: 1005 arrives two batches late,
    // as if two had been lost. Counting two placed its samples 40 ms late (40 ms of phantom
    // rotation integrated); the rate says only one batch is missing. (The rate extrapolated over
    // 5 or 9 periods must be 4x closer to one: near the rate's zero crossing, where it is nearly
    // linear; at 1001, with 138 °/s and the rate curving, it is undecided and two are counted.)
    const { clock, errMs, stepsMs } = swingWithLoss({ seed: 7, lost: 1004, delayed: 1005, delayMs: 40, watch: 1005 });
    expect(clock.counters.lostPackets).toBe(4);
    // The first step after the loss spans the 4 lost samples (50 ms), then 10 ms steps.
    expect(stepsMs).toEqual([50, 10, 10, 10]);
    // Tolerance 3 ms (arrival jitter), against 40 ms when two batches were counted.
    for (const e of errMs) expect(Math.abs(e)).toBeLessThan(3);
  });

  it("counts a long dropout of a clockless sensor", () => {
    const { clock } = runCounted({ rateHz: 100, batch: 2, durationS: 30, drop: (p) => p >= 500 && p < 800 });
    expect(clock.counters.gaps).toBe(1);
    expect(Math.abs(clock.counters.lostPackets - 600)).toBeLessThanOrEqual(2);
  });

  for (const phase of [1, 2, 3]) {
    it(`after a 3 s dropout the stream restarts with its batches ${phase} frame(s) off the old grid: placed within 5 ms from 0.5 s on`, () => {
      // A reconnected WitMotion starts batching afresh (simulated: simulated-sensor.ts), so the
      // silence is no whole number of batches. Counted in whole batches, the first packet after it
      // could be placed up to 2 frames early, and a line placed early only rises as its old minima
      // age out (lower-envelope-clock.ts): 10-20 ms early for ~5 s (simulator, sensor-dropout
      // WitMotion seed 3). Late, it drops at the next packet.
      const rand = mulberry32(20 + phase);
      const clock = new SensorClock("w", 100);
      const errMs: Array<{ trueMs: number; errMs: number }> = [];
      let lastHost = 0;
      const send = (first: number) => {
        const lastTrue = 500 + (first + 3) * 10;
        // Latency: a 5 ms floor, a 13.75 ms connection interval's wait, a little jitter.
        const host = Math.max(lastHost, lastTrue + FLOOR_MS + rand() * 13.75 + exponential(rand, 0.5));
        lastHost = host;
        for (let j = 0; j < 4; j++) {
          const r = clock.next({ sensorId: "w", hostTimeMs: host, indexInPacket: j, countInPacket: 4 }, () => {});
          if (r) errMs.push({ trueMs: 500 + (first + j) * 10, errMs: r.tMs - (500 + (first + j) * 10 + FLOOR_MS) });
        }
      };
      for (let k = 0; k < 6000; k += 4) send(k); // 60 s
      const returnK = 6000 + 300 + phase; // 3 s of silence, then batches on a new grid
      for (let k = returnK; k < returnK + 1000; k += 4) send(k);
      const returnMs = 500 + returnK * 10;
      const late = errMs.filter((e) => e.trueMs >= returnMs + 500 && Math.abs(e.errMs) > 5);
      // Tolerance 5 ms: a connection interval's wait is up to 13.75 ms; the envelope's minimum
      // comes within a few ms of the floor in half a second.
      expect(late).toEqual([]);
    });
  }
});

import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataLine, SourceEvent, TruthEventLine, TruthLine } from "@spinewatch/protocol";
import { FakeClock } from "./fake-clock.js";
import { RecordingError } from "./recording-error.js";
import { RecordingWriter } from "./recording-writer.js";
import { createReplaySource, type ReplaySource } from "./replay-source.js";
import { makeHeader, makeTempDir } from "./test-helpers.js";

const dir = makeTempDir();
afterAll(() => dir.remove());

const N = 3000;
const STEP_MS = 10;
let path: string;

beforeAll(() => {
  path = dir.file("replay.ndjson");
  const writer = RecordingWriter.open(path, makeHeader());
  for (let i = 0; i < N; i++) {
    writer.write({ type: "sample", tMs: i * STEP_MS, sensor: i % 2 ? "thoracic" : "sacrum", accMps2: [0, 0, 9.81], gyrDps: [i, 0, 0] });
  }
  writer.close();
});

interface Played {
  atMs: number;
  event: SourceEvent;
}

/** Subscribes and records each event with the fake time it arrived at. */
function record(source: ReplaySource, clock: FakeClock): { played: Played[]; done: () => boolean; stop: () => void } {
  const played: Played[] = [];
  let complete = false;
  const sub = source.events().subscribe({
    next: (event) => played.push({ atMs: clock.nowMs(), event }),
    error: (err) => {
      throw err;
    },
    complete: () => (complete = true),
  });
  return { played, done: () => complete, stop: () => sub.unsubscribe() };
}

const TOL_MS = 1e-6; // pacing is exact up to float rounding

describe("replay pacing with a fake clock", () => {
  for (const rate of [0.5, 1, 3]) {
    it(`emits each of ${N} events exactly at its scheduled time at rate ${rate} (no drift)`, async () => {
      const clock = new FakeClock(1000);
      const source = await createReplaySource(path, { clock, rate });
      const rec = record(source, clock);
      await clock.runUntil(rec.done);
      expect(rec.played).toHaveLength(N);
      let worst = 0;
      for (const { atMs, event } of rec.played) worst = Math.max(worst, Math.abs(atMs - (1000 + event.hostTimeMs / rate)));
      expect(worst).toBeLessThanOrEqual(TOL_MS);
      expect(clock.nowMs()).toBeCloseTo(1000 + ((N - 1) * STEP_MS) / rate, 6);
    });
  }

  it("does not accumulate lateness when every sleep wakes late (anchored, not incremental)", async () => {
    // Each sleep wakes 0.3-1.2 ms late, like a real timer. An incremental scheduler
    // (sleep step/rate after each event) would end up N x ~0.7 ms ≈ 2 s behind.
    const clock = new FakeClock(0, { lateMs: (n) => 0.3 + ((n * 7) % 10) / 10 });
    const source = await createReplaySource(path, { clock, rate: 3 });
    const rec = record(source, clock);
    await clock.runUntil(rec.done);
    const lateness = rec.played.map(({ atMs, event }) => atMs - event.hostTimeMs / 3);
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(-TOL_MS);
    expect(Math.max(...lateness)).toBeLessThanOrEqual(1.2 + TOL_MS);
  });

  it("rate Infinity makes no sleep calls and emits the same events in the same order", async () => {
    const realTimeClock = new FakeClock();
    const realTime = record(await createReplaySource(path, { clock: realTimeClock, rate: 1 }), realTimeClock);
    await realTimeClock.runUntil(realTime.done);

    const clock = new FakeClock();
    const source = await createReplaySource(path, { clock, rate: Infinity });
    let turns = 0;
    const tick = (): void => {
      turns++;
      if (!fast.done()) setImmediate(tick);
    };
    const fast = record(source, clock);
    setImmediate(tick);
    await clock.runUntil(fast.done);
    expect(clock.sleepCalls).toBe(0);
    expect(clock.nowMs()).toBe(0);
    expect(fast.played.map((p) => p.event)).toEqual(realTime.played.map((p) => p.event));
    // The replay yielded to the event loop while it ran (other work got turns).
    expect(turns).toBeGreaterThan(1);
  });

  it("pause holds time and resume continues where it stopped", async () => {
    const clock = new FakeClock();
    const source = await createReplaySource(path, { clock });
    const rec = record(source, clock);
    await clock.runUntil(() => rec.played.length >= 100);
    expect(clock.nowMs()).toBe(990);
    source.replay.pause();
    expect(source.replay.state).toMatchObject({ paused: true, positionMs: 990, rate: 1 });
    await clock.advanceBy(5000);
    expect(rec.played).toHaveLength(100);
    source.replay.resume();
    await clock.runUntil(rec.done);
    expect(rec.played).toHaveLength(N);
    for (const { atMs, event } of rec.played.slice(100)) expect(Math.abs(atMs - (5000 + event.hostTimeMs))).toBeLessThanOrEqual(TOL_MS);
  });

  it("a pause between two events keeps the remaining wait", async () => {
    const clock = new FakeClock();
    const source = await createReplaySource(path, { clock });
    const rec = record(source, clock);
    await clock.runUntil(() => rec.played.length >= 10); // t = 90 at 90
    await clock.advanceTo(94);
    source.replay.pause();
    await clock.advanceTo(1094);
    source.replay.resume();
    await clock.runUntil(() => rec.played.length >= 11);
    expect(rec.played[10]!).toMatchObject({ atMs: 1100, event: { hostTimeMs: 100 } });
    rec.stop();
  });

  it("setRate re-anchors at the current position, between events too", async () => {
    const clock = new FakeClock();
    const source = await createReplaySource(path, { clock });
    const rec = record(source, clock);
    await clock.runUntil(() => rec.played.length >= 100); // last played t = 990 at 990
    await clock.advanceTo(995); // position 995, the next line (t = 1000) is 5 ms away
    source.replay.setRate(0.5);
    await clock.runUntil(() => rec.played.length >= 200);
    source.replay.setRate(4); // at the moment t = 1990 was played
    const changedAtMs = clock.nowMs();
    expect(changedAtMs).toBeCloseTo(995 + (1990 - 995) / 0.5, 9);
    await clock.runUntil(rec.done);
    for (const { atMs, event } of rec.played.slice(100, 200)) {
      expect(Math.abs(atMs - (995 + (event.hostTimeMs - 995) / 0.5))).toBeLessThanOrEqual(TOL_MS);
    }
    for (const { atMs, event } of rec.played.slice(200)) {
      expect(Math.abs(atMs - (changedAtMs + (event.hostTimeMs - 1990) / 4))).toBeLessThanOrEqual(TOL_MS);
    }
  });

  it("seek jumps forward and backward, and plays on from there in time", async () => {
    const clock = new FakeClock();
    const source = await createReplaySource(path, { clock });
    const rec = record(source, clock);
    await clock.runUntil(() => rec.played.length >= 50); // t = 490 at 490
    source.replay.seek(20_000);
    expect(source.replay.state.positionMs).toBe(20_000);
    await clock.runUntil(() => rec.played.length >= 60);
    const forward = rec.played.slice(50, 60);
    expect(forward.map((p) => p.event.hostTimeMs)).toEqual([20_000, 20_010, 20_020, 20_030, 20_040, 20_050, 20_060, 20_070, 20_080, 20_090]);
    for (const { atMs, event } of forward) expect(atMs).toBeCloseTo(490 + event.hostTimeMs - 20_000, 9);
    const seekBackAtMs = clock.nowMs();
    source.replay.seek(1000);
    await clock.runUntil(rec.done);
    const back = rec.played.slice(60);
    expect(back.map((p) => p.event.hostTimeMs)).toEqual(Array.from({ length: N - 100 }, (_, i) => 1000 + i * STEP_MS));
    // Backwards means reopening the file; the mapping anchors when t = 1000 is ready to play.
    const anchorMs = back[0]!.atMs;
    expect(anchorMs).toBeGreaterThanOrEqual(seekBackAtMs);
    for (const { atMs, event } of back) expect(Math.abs(atMs - (anchorMs + event.hostTimeMs - 1000))).toBeLessThanOrEqual(TOL_MS);
    expect(source.replay.state.durationMs).toBe((N - 1) * STEP_MS);
  });

  it("startMs skips earlier lines; a seek while paused moves without playing", async () => {
    const clock = new FakeClock();
    const source = await createReplaySource(path, { clock, startMs: 10_000 });
    const rec = record(source, clock);
    await clock.runUntil(() => rec.played.length >= 1);
    expect(rec.played[0]).toMatchObject({ atMs: 0, event: { hostTimeMs: 10_000 } });
    source.replay.pause();
    source.replay.seek(25_000);
    await clock.advanceBy(1000);
    expect(rec.played).toHaveLength(1);
    source.replay.resume();
    await clock.runUntil(() => rec.played.length >= 3);
    expect(rec.played.slice(1).map((p) => [p.atMs, p.event.hostTimeMs])).toEqual([
      [1000, 25_000],
      [1010, 25_010],
    ]);
    rec.stop();
  });

  it("unsubscribing stops the replay", async () => {
    const clock = new FakeClock();
    const source = await createReplaySource(path, { clock });
    const rec = record(source, clock);
    await clock.runUntil(() => rec.played.length >= 5);
    rec.stop();
    await clock.advanceBy(10_000);
    expect(rec.played).toHaveLength(5);
    expect(rec.done()).toBe(false);
  });
});

describe("replay content", () => {
  it("maps lines to source events, truth to onTruth, problems in-band in file order", async () => {
    const file = dir.file("mixed.ndjson");
    const lines: (DataLine | string)[] = [
      { type: "event", tMs: 0, kind: "calibrate-neutral", durationMs: 3000 },
      { type: "status", tMs: 0, sensor: "sacrum", state: "streaming", detail: "ok" },
      { type: "packet", tMs: 5, sensor: "sacrum", char: "0000ffe400001000800000805f9a34fb", hex: "55610aff" },
      { type: "truth", tMs: 5, flexionDeg: 1, lateralBendDeg: 2, axialRotationDeg: 3, pelvisTiltDeg: 4 },
      "{broken",
      { type: "sample", tMs: 10, sensor: "thoracic", accMps2: [1, 2, 3], gyrDps: [4, 5, 6], quatWxyz: [1, 0, 0, 0], sensorTimeUs: 77 },
      { type: "truth-event", kind: "rep", startMs: 0, endMs: 10, index: 1 },
    ];
    writeFileSync(file, [JSON.stringify(makeHeader()), ...lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l)))].join("\n") + "\n");
    const clock = new FakeClock();
    const truth: (TruthLine | TruthEventLine)[] = [];
    const source = await createReplaySource(file, { clock, rate: Infinity, onTruth: (t) => truth.push(t) });
    expect(source.kind).toBe("replay");
    expect(source.info).toEqual({ sensors: makeHeader().sensors, exercise: "kettlebell-swing" });
    const rec = record(source, clock);
    await clock.runUntil(rec.done);
    const events = rec.played.map((p) => p.event);
    expect(events.map((e) => e.type)).toEqual(["mark", "status", "packet", "problem", "sample"]);
    expect(events[0]).toEqual({ type: "mark", hostTimeMs: 0, event: lines[0] });
    expect(events[1]).toEqual({ type: "status", sensorId: "sacrum", hostTimeMs: 0, state: "streaming", detail: "ok" });
    const packet = events[2] as Extract<SourceEvent, { type: "packet" }>;
    expect(packet.bytes).toBeInstanceOf(Uint8Array);
    expect([...packet.bytes]).toEqual([0x55, 0x61, 0x0a, 0xff]);
    expect(packet.bytes.byteOffset).toBe(0);
    expect(packet.bytes.buffer.byteLength).toBe(4);
    expect(events[3]).toMatchObject({ type: "problem", hostTimeMs: 5, code: "bad-json" });
    expect((events[3] as { message: string }).message).toMatch(/mixed\.ndjson:6: not valid JSON/);
    expect(events[4]).toEqual({
      type: "sample",
      sensorId: "thoracic",
      hostTimeMs: 10,
      sample: { accMps2: [1, 2, 3], gyrDps: [4, 5, 6], quatWxyz: [1, 0, 0, 0], sensorTimeUs: 77 },
    });
    expect(truth).toEqual([lines[3], lines[6]]);
  });

  it("rejects a bad header before any subscription", async () => {
    const file = dir.file("bad.ndjson");
    writeFileSync(file, JSON.stringify({ ...makeHeader(), version: 3 }) + "\n");
    await expect(createReplaySource(file, { clock: new FakeClock() })).rejects.toBeInstanceOf(RecordingError);
  });
});

import type { DataLine, HeaderLine, PacketLine, RecordingLine, SampleLine, TruthEventLine } from "@spinewatch/protocol";
import { getDeviceModule, hexToBytes } from "@spinewatch/devices";
import { describe, expect, it } from "vitest";
import { SCENARIO_NAMES, type ScenarioName } from "./scenarios/index.js";
import { simulateSession } from "./simulate-session.js";
import type { SimulationOptions } from "./simulation-options.js";

function collect(options: SimulationOptions): RecordingLine[] {
  return [...simulateSession(options)];
}
const data = (lines: RecordingLine[]) => lines.slice(1) as DataLine[];
const events = (lines: RecordingLine[], kind: string) =>
  lines.filter((l): l is TruthEventLine => l.type === "truth-event" && l.kind === kind);

describe("simulateSession", () => {
  it("is deterministic: the same seed gives identical lines, another seed different ones", () => {
    const a = collect({ scenario: "kettlebell-swing", durationS: 15, seed: 42 }).map((l) => JSON.stringify(l));
    const b = collect({ scenario: "kettlebell-swing", durationS: 15, seed: 42 }).map((l) => JSON.stringify(l));
    const c = collect({ scenario: "kettlebell-swing", durationS: 15, seed: 43 }).map((l) => JSON.stringify(l));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it("a longer session starts with the same lines (the plan does not depend on the duration)", () => {
    const short = collect({ scenario: "hip-hinge-holds", durationS: 20, seed: 5 }).filter((l) => l.type === "truth" && l.tMs < 12_000);
    const long = collect({ scenario: "hip-hinge-holds", durationS: 40, seed: 5 }).filter((l) => l.type === "truth" && l.tMs < 12_000);
    expect(long).toEqual(short);
  });

  it("writes the header first, then data lines in non-decreasing tMs", () => {
    const lines = collect({ scenario: "sensor-dropout", durationS: 30, device: "movella-dot" });
    const h = lines[0] as HeaderLine;
    expect(h.type).toBe("header");
    expect(h.format).toBe("spinewatch-recording");
    expect(h.sensors.map((s) => [s.id, s.role, s.device, s.rateHz])).toEqual([
      ["sacrum", "sacrum", "movella-dot", 60],
      ["thoracic", "thoracolumbar", "movella-dot", 60],
    ]);
    expect(h.sensors[0].deviceOptions).toEqual({ payloadMode: 21 });
    expect(h.simulation).toMatchObject({ scenario: "sensor-dropout", seed: 1 });
    expect(h.exercise).toBe("kettlebell-swing");
    expect(h.limits).toMatchObject({ flexionDeg: 25, extensionDeg: 10 });
    let prev = -Infinity;
    for (const l of data(lines)) {
      if (l.type === "truth-event") continue;
      expect(l.tMs).toBeGreaterThanOrEqual(prev);
      prev = l.tMs;
    }
  });

  it("starts with the calibration events of CONTRACTS.md", () => {
    const marks = collect({ scenario: "cat-camel", durationS: 12 }).filter((l) => l.type === "event");
    expect(marks).toEqual([
      { type: "event", tMs: 500, kind: "calibrate-neutral", durationMs: 3000 },
      { type: "event", tMs: 4000, kind: "calibrate-bend", durationMs: 5000 },
    ]);
  });

  it("rejects bad options with one-line errors", () => {
    expect(() => collect({ scenario: "moonwalk" as ScenarioName })).toThrow(/unknown scenario "moonwalk"; valid scenarios: kettlebell-swing/);
    expect(() => collect({ scenario: "bird-dog", durationS: -1 })).toThrow(/durationS: expected a positive number/);
    expect(() => collect({ scenario: "bird-dog", errorModel: { gyrBiasDps: "x" as unknown as number } })).toThrow(/errorModel.gyrBiasDps/);
    expect(() => collect({ scenario: "bird-dog", errorModel: { nope: 1 } as never })).toThrow(/errorModel.nope: unknown field/);
  });
});

describe("device output", () => {
  it("WitMotion packets decode to the same samples as generic lines (errorModel 'none', within quantisation)", () => {
    const opts = { scenario: "kettlebell-swing", durationS: 14, errorModel: "none", seed: 3 } as const;
    const generic = collect({ ...opts, device: "generic" }).filter((l): l is SampleLine => l.type === "sample" && l.sensor === "thoracic");
    const packets = collect({ ...opts, device: "witmotion-wt901ble" }).filter((l): l is PacketLine => l.type === "packet" && l.sensor === "thoracic");
    const decoder = getDeviceModule("witmotion-wt901ble").createDecoder({});
    const decoded = packets.flatMap((p) => decoder.next(p.char, hexToBytes(p.hex))).filter((i) => i.kind === "sample");
    // 100 Hz, 4 frames per notification (witDefaultBatchFrames): the host time is the last frame's.
    expect(packets[0].hex.length).toBe(4 * 20 * 2);
    expect(packets[0].tMs).toBe(30);
    expect(decoded.length).toBe(generic.length);
    for (let k = 0; k < generic.length; k += 7) {
      const s = decoded[k].kind === "sample" ? decoded[k].sample : null;
      for (let i = 0; i < 3; i++) {
        // Half an LSB: 16 g / 32768 · 9.80665 / 2 ≈ 0.0024 m/s², 2000/32768/2 ≈ 0.031 °/s.
        expect(Math.abs(s!.accMps2![i] - generic[k].accMps2[i])).toBeLessThan(0.0025);
        expect(Math.abs(s!.gyrDps![i] - generic[k].gyrDps[i])).toBeLessThan(0.031);
      }
    }
  });

  it("Movella DOT timestamps carry the sensor's clock drift (least-squares slope within 30 ppm)", () => {
    const lines = collect({ scenario: "side-bends", durationS: 60, device: "movella-dot", seed: 11, errorModel: { clockDriftPpm: 500 } });
    const drawn = (lines[0] as HeaderLine).simulation!.sensorErrors as Record<string, { clockDriftPpm: number }>;
    const decoder = getDeviceModule("movella-dot").createDecoder({ payloadMode: 21 });
    const xs: number[] = [], ys: number[] = [];
    let wraps = 0, prevUs = -1;
    for (const l of lines) {
      if (l.type !== "packet" || l.sensor !== "sacrum") continue;
      for (const item of decoder.next(l.char, hexToBytes(l.hex))) {
        if (item.kind !== "sample") continue;
        let us = item.sample.sensorTimeUs!;
        if (prevUs >= 0 && us + wraps * 2 ** 32 < prevUs - 2 ** 31) wraps++;
        us += wraps * 2 ** 32;
        prevUs = us;
        xs.push(us / 1000);
        ys.push(l.tMs);
      }
    }
    const n = xs.length;
    const mx = xs.reduce((a, b) => a + b) / n, my = ys.reduce((a, b) => a + b) / n;
    let sxy = 0, sxx = 0;
    for (let i = 0; i < n; i++) {
      sxy += (xs[i] - mx) * (ys[i] - my);
      sxx += (xs[i] - mx) ** 2;
    }
    // Host ms per sensor ms = 1 / (1 + drift): a fast sensor clock counts more µs per true ms.
    const measuredPpm = (1 / (sxy / sxx) - 1) * 1e6;
    expect(Math.abs(drawn.sacrum.clockDriftPpm)).toBeGreaterThan(0);
    expect(Math.abs(measuredPpm - drawn.sacrum.clockDriftPpm)).toBeLessThan(30);
    // Consecutive DOT timestamps step by exactly one nominal period (1e6/60 µs, rounded).
    expect(Math.abs(xs[1] - xs[0] - 1000 / 60)).toBeLessThan(0.002);
  });

  it("sensor-dropout: the thoracic sensor is silent for 3 s, with lost and reconnected status lines", () => {
    const lines = collect({ scenario: "sensor-dropout", durationS: 40, device: "witmotion-wt901ble" });
    const sim = (lines[0] as HeaderLine).simulation!;
    expect(sim.dropout).toEqual({ sensor: "thoracic", startMs: 20_000, durationMs: 3000 });
    const gapOf = (id: string) => {
      const t = lines.filter((l): l is PacketLine => l.type === "packet" && l.sensor === id).map((l) => l.tMs);
      let worst = 0;
      for (let i = 1; i < t.length; i++) worst = Math.max(worst, t[i] - t[i - 1]);
      return worst;
    };
    expect(gapOf("thoracic")).toBeGreaterThanOrEqual(3000);
    expect(gapOf("thoracic")).toBeLessThan(3200);
    expect(gapOf("sacrum")).toBeLessThan(500);
    const status = lines.filter((l) => l.type === "status" && l.sensor === "thoracic").map((l) => [l.type === "status" && l.state, (l as DataLine).tMs]);
    expect(status.map((s) => s[0])).toEqual(["streaming", "lost", "reconnected"]);
    expect(status[1][1]).toBeCloseTo(20_420, 3);
    expect(status[2][1] as number).toBeGreaterThanOrEqual(23_000);
    expect(status[2][1] as number).toBeLessThan(23_011);
  });

  for (const device of ["witmotion-wt901ble", "movella-dot", "generic"] as const) {
    it(`${device}: onDelivered gives each delivered notification, in line order, the true times of its samples`, () => {
      const delivered: Array<{ sensor: string; rxMs: number; sampleTrueMs: number[] }> = [];
      const lines = collect({ scenario: "sensor-dropout", durationS: 30, device, onDelivered: (d) => delivered.push(d) });
      const header = lines[0] as HeaderLine;
      const dropout = header.simulation!.dropout as { startMs: number; durationMs: number };
      const perSample = device === "witmotion-wt901ble" ? 4 : 1;
      for (const id of ["sacrum", "thoracic"]) {
        const rx = lines.filter((l): l is PacketLine | SampleLine => (l.type === "packet" || l.type === "sample") && l.sensor === id).map((l) => l.tMs);
        const mine = delivered.filter((d) => d.sensor === id);
        // Every data line but a trailing flushed batch was reported, with its receive time.
        expect(rx.length - mine.length).toBeGreaterThanOrEqual(0);
        expect(rx.length - mine.length).toBeLessThanOrEqual(1);
        mine.forEach((d, i) => expect(d.rxMs).toBeCloseTo(rx[i], 3));
        const periodMs = 1000 / header.sensors[0].rateHz;
        for (const d of mine) {
          // At most a batch, taken a period apart (the clock's
          // drift: within 1 %), received after the last of them (latency ≥ 0).
          expect(d.sampleTrueMs.length).toBeGreaterThan(0);
          expect(d.sampleTrueMs.length).toBeLessThanOrEqual(perSample);
          for (let k = 1; k < d.sampleTrueMs.length; k++) expect(Math.abs(d.sampleTrueMs[k] - d.sampleTrueMs[k - 1] - periodMs)).toBeLessThan(0.01 * periodMs);
          expect(d.rxMs).toBeGreaterThanOrEqual(d.sampleTrueMs[d.sampleTrueMs.length - 1]);
          if (id === "thoracic") {
            for (const t of d.sampleTrueMs) expect(t < dropout.startMs || t >= dropout.startMs + dropout.durationMs).toBe(true);
          }
        }
      }
    });
  }
});

describe("scenarios: truth events", () => {
  const run = (scenario: ScenarioName, durationS = 90) => collect({ scenario, durationS, device: "generic", seed: 2 });

  it("lists the scenarios of issue 3, and deadlifts, Jefferson curls and the child's-pose clock (their exercise profiles)", () => {
    expect([...SCENARIO_NAMES].sort()).toEqual(
      [
        "bird-dog",
        "cat-camel",
        "childs-pose-clock",
        "deadlift",
        "hip-hinge-holds",
        "jefferson-curl",
        "kettlebell-swing",
        "kettlebell-swing-overextension",
        "kettlebell-swing-rounding",
        "sensor-dropout",
        "side-bends",
      ].sort(),
    );
  });

  it("kettlebell-swing: sets of 10 good reps, 60-80° hinge, flexion under 10°, 1.25-1.9 s cycles, no warnings", () => {
    const lines = run("kettlebell-swing");
    const reps = events(lines, "rep");
    expect(reps.length).toBeGreaterThanOrEqual(20);
    expect(reps.length).toBeLessThanOrEqual(40);
    for (const r of reps) {
      expect(r.peakFlexionDeg as number).toBeLessThan(10);
      expect(r.peakPelvisTiltDeg as number).toBeGreaterThan(59.5);
      expect(r.peakPelvisTiltDeg as number).toBeLessThan(80);
    }
    for (let i = 1; i < 10; i++) {
      const cycle = reps[i].startMs - reps[i - 1].startMs;
      expect(cycle).toBeGreaterThan(1250 * 0.9);
      expect(cycle).toBeLessThan(1900 * 1.1);
    }
    expect(events(lines, "warning")).toEqual([]);
  });

  it("kettlebell-swing-rounding: the last 4 reps of each set reach 25-35° of flexion, each with a flexion warning", () => {
    const lines = run("kettlebell-swing-rounding");
    const reps = events(lines, "rep");
    const rounded = reps.filter((r) => (r.peakFlexionDeg as number) > 20);
    expect(rounded.length).toBeGreaterThanOrEqual(4);
    for (const r of rounded) {
      expect(r.peakFlexionDeg as number).toBeGreaterThanOrEqual(25);
      expect(r.peakFlexionDeg as number).toBeLessThanOrEqual(35);
    }
    expect(reps.slice(6, 10).every((r) => (r.peakFlexionDeg as number) >= 25)).toBe(true);
    const warnings = events(lines, "warning");
    expect(warnings.every((w) => w.axis === "flexion" && w.limitDeg === 25)).toBe(true);
    expect(warnings.map((w) => w.rep)).toEqual(rounded.map((r) => r.index));
  });

  it("kettlebell-swing-overextension: lockouts lean back 10-15° and raise extension warnings", () => {
    const lines = run("kettlebell-swing-overextension");
    const leaning = events(lines, "rep").filter((r) => (r.lockoutExtensionDeg as number) > 5);
    expect(leaning.length).toBeGreaterThanOrEqual(7);
    for (const r of leaning) {
      expect(r.lockoutExtensionDeg as number).toBeGreaterThanOrEqual(10);
      expect(r.lockoutExtensionDeg as number).toBeLessThanOrEqual(15);
    }
    const warnings = events(lines, "warning");
    expect(warnings.length).toBe(leaning.length);
    expect(warnings.every((w) => w.axis === "extension" && (w.peakDeg as number) > 10)).toBe(true);
  });

  it("hip-hinge-holds: one 2-3 s mid-range hold per rep, every third sagging 4-7°", () => {
    const lines = run("hip-hinge-holds");
    const reps = events(lines, "rep");
    const holds = events(lines, "hold");
    expect(reps.length).toBeGreaterThanOrEqual(6);
    expect(holds.length).toBe(reps.length);
    holds.forEach((h, i) => {
      expect(h.endMs - h.startMs).toBeGreaterThanOrEqual(2000);
      expect(h.endMs - h.startMs).toBeLessThanOrEqual(3000);
      expect(h.meanPelvisTiltDeg as number).toBeGreaterThan(34.5);
      expect(h.meanPelvisTiltDeg as number).toBeLessThan(45.5);
      if (i % 3 === 2) {
        expect(h.driftDeg as number).toBeGreaterThanOrEqual(4);
        expect(h.driftDeg as number).toBeLessThanOrEqual(7);
      } else expect(h.driftDeg).toBe(0);
    });
    expect(events(lines, "warning")).toEqual([]);
  });

  it("deadlift: sets of 5, 60-72° hinge; the last rep of each set rounds to 26-32° and raises a flexion warning", () => {
    const lines = run("deadlift", 200);
    const reps = events(lines, "rep");
    expect(reps.length).toBeGreaterThanOrEqual(10);
    for (const r of reps) {
      expect(r.peakPelvisTiltDeg as number).toBeGreaterThanOrEqual(59.9);
      expect(r.peakPelvisTiltDeg as number).toBeLessThanOrEqual(72);
    }
    const rounded = reps.filter((r) => (r.peakFlexionDeg as number) > 25);
    expect(rounded.map((r) => r.index)).toEqual(reps.filter((_, i) => i % 5 === 4).map((r) => r.index));
    for (const r of rounded) expect(r.peakFlexionDeg as number).toBeLessThanOrEqual(32);
    const warnings = events(lines, "warning");
    expect(warnings.every((w) => w.axis === "flexion" && w.limitDeg === 25)).toBe(true);
    expect(warnings.map((w) => w.rep)).toEqual(rounded.map((r) => r.index));
  });

  it("jefferson-curl: slow roll-downs to 42-52° of flexion, the thorax past horizontal; warnings only beyond 50°", () => {
    const lines = run("jefferson-curl", 120);
    const reps = events(lines, "rep");
    expect(reps.length).toBeGreaterThanOrEqual(6);
    for (const r of reps) {
      expect(r.peakFlexionDeg as number).toBeGreaterThanOrEqual(41.9);
      expect(r.peakFlexionDeg as number).toBeLessThanOrEqual(52);
      expect(r.endMs - r.startMs).toBeGreaterThan(9000);
    }
    const beyond = reps.filter((r) => (r.peakFlexionDeg as number) > 50);
    const warnings = events(lines, "warning");
    expect(warnings.every((w) => w.axis === "flexion" && w.limitDeg === 50)).toBe(true);
    expect(warnings.map((w) => w.rep)).toEqual(beyond.map((r) => r.index));
  });

  it("side-bends: alternating sides, 14-23° of lateral bend, warnings only beyond 20°", () => {
    const lines = run("side-bends");
    const reps = events(lines, "rep");
    expect(reps.length).toBeGreaterThanOrEqual(10);
    reps.forEach((r, i) => {
      expect(r.side).toBe(i % 2 === 0 ? "right" : "left");
      const lat = r.peakLateralBendDeg as number;
      expect(Math.sign(lat)).toBe(r.side === "right" ? 1 : -1);
      expect(Math.abs(lat)).toBeGreaterThanOrEqual(13.9);
      expect(Math.abs(lat)).toBeLessThanOrEqual(23);
    });
    const beyond = reps.filter((r) => Math.abs(r.peakLateralBendDeg as number) > 20);
    const warnings = events(lines, "warning");
    expect(warnings.length).toBe(beyond.length);
    expect(warnings.every((w) => w.axis === "lateralBendRight" || w.axis === "lateralBendLeft")).toBe(true);
  });

  it("cat-camel: on all fours, each rep rounds 20-28° and arches 10-15°", () => {
    const lines = run("cat-camel");
    const reps = events(lines, "rep");
    expect(reps.length).toBeGreaterThanOrEqual(6);
    for (const r of reps) {
      expect(r.peakFlexionDeg as number).toBeGreaterThanOrEqual(19.9);
      expect(r.peakFlexionDeg as number).toBeLessThanOrEqual(28);
      expect(r.peakExtensionDeg as number).toBeGreaterThanOrEqual(9.9);
      expect(r.peakExtensionDeg as number).toBeLessThanOrEqual(15);
      expect(r.peakPelvisTiltDeg as number).toBeGreaterThan(85);
    }
    expect(events(lines, "warning")).toEqual([]);
  });

  it("childs-pose-clock: 3 s pauses in child's pose, side reaches of 8-15° and every fourth of 21-24° (a lateral-bend warning); no reps", () => {
    const lines = run("childs-pose-clock", 120);
    expect(events(lines, "rep")).toEqual([]);
    const holds = events(lines, "hold");
    expect(holds.length).toBeGreaterThanOrEqual(9);
    for (const h of holds) {
      expect((h.endMs as number) - (h.startMs as number)).toBeGreaterThanOrEqual(2799);
      expect((h.endMs as number) - (h.startMs as number)).toBeLessThanOrEqual(3500);
    }
    const truth = lines.filter((l): l is Extract<RecordingLine, { type: "truth" }> => l.type === "truth");
    const mid = (h: (typeof holds)[number]) => truth.find((l) => l.tMs >= ((h.startMs as number) + (h.endMs as number)) / 2)!;
    const bends = holds.map((h) => mid(h).lateralBendDeg);
    // Each pause is at the centre or reached 8-24° to a side (tolerance 0.01°), and each side
    // pause comes after a centre one, alternating right and left; the pelvis folded 75-82°
    // forward and the lumbar spine flexed 27-38° throughout.
    const sides: number[] = [];
    bends.forEach((b, i) => {
      if (Math.abs(b) < 0.01) return;
      expect(Math.abs(b)).toBeGreaterThanOrEqual(7.99);
      expect(Math.abs(b)).toBeLessThanOrEqual(24.01);
      expect(Math.abs(bends[i - 1])).toBeLessThan(0.01);
      sides.push(Math.sign(b));
    });
    expect(sides.length).toBeGreaterThanOrEqual(4);
    sides.forEach((s, i) => expect(s).toBe(i % 2 === 0 ? 1 : -1));
    for (const h of holds) {
      expect(mid(h).pelvisTiltDeg).toBeGreaterThanOrEqual(74.99);
      expect(mid(h).pelvisTiltDeg).toBeLessThanOrEqual(82.01);
      expect(mid(h).flexionDeg).toBeGreaterThanOrEqual(26.99);
      expect(mid(h).flexionDeg).toBeLessThanOrEqual(38.01);
    }
    const far = bends.filter((b) => Math.abs(b) > 20);
    const warnings = events(lines, "warning");
    expect(warnings.length).toBe(far.length);
    expect(warnings.every((w) => w.axis === "lateralBendRight" || w.axis === "lateralBendLeft")).toBe(true);
  });

  it("bird-dog: one neutral hold per side; every fourth hold twists beyond the 5° rotation limit", () => {
    const lines = run("bird-dog");
    const reps = events(lines, "rep");
    const holds = events(lines, "hold");
    expect(reps.length).toBeGreaterThanOrEqual(8);
    expect(holds.length).toBe(reps.length);
    const warnings = events(lines, "warning");
    expect(warnings.length).toBe(Math.floor(reps.length / 4));
    for (const w of warnings) {
      expect(["rotationLeft", "rotationRight"]).toContain(w.axis);
      expect(w.peakDeg as number).toBeGreaterThan(6.4);
      expect(w.rep! as number % 4).toBe(0);
    }
    // The truth's pelvis obliquity: 0 standing and resting on all fours, rolled 1-3° toward the
    // reaching side during each hold (the right side up for a right reach; tolerance 0.01°).
    const truth = lines.filter((l): l is Extract<RecordingLine, { type: "truth" }> => l.type === "truth");
    for (const h of holds) {
      const rep = reps.find((r) => r.index === h.rep)!;
      const mid = truth.find((l) => l.tMs >= ((h.startMs as number) + (h.endMs as number)) / 2)!;
      const sign = rep.side === "right" ? 1 : -1;
      expect(sign * mid.pelvisObliquityDeg!).toBeGreaterThan(0.99 * Math.sin((85 * Math.PI) / 180));
      expect(sign * mid.pelvisObliquityDeg!).toBeLessThan(3.01);
      const before = truth.find((l) => l.tMs >= (rep.startMs as number) - 200)!;
      expect(Math.abs(before.pelvisObliquityDeg!)).toBeLessThan(0.01);
    }
  });
});

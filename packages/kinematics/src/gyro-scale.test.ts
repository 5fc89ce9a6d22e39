import { describe, expect, it } from "vitest";
import type { Vec3 } from "@spinewatch/protocol";
import { STANDARD_GRAVITY_MPS2 as G } from "@spinewatch/protocol";
import { estimateGyroScale, type GyroScaleInput } from "./gyro-scale.js";

const RATE_HZ = 100;
const R_M = 0.5; // lever arm of T12 about the hips: the tangential acceleration it feels

/** Minimum-jerk position 0..1 and its first two derivatives (per unit time). */
function minJerk(s: number): [number, number, number] {
  const p = 10 * s ** 3 - 15 * s ** 4 + 6 * s ** 5;
  const v = 30 * s ** 2 - 60 * s ** 3 + 30 * s ** 4;
  const a = 60 * s - 180 * s ** 2 + 120 * s ** 3;
  return [p, v, a];
}

interface BendSpec {
  bendDeg: number;
  gyroScale: number;
  biasDps?: number;
  /** Before, at the bottom, after, ms. */
  stillMs: [number, number, number];
  moveMs?: number;
  noise?: () => number;
}

/** A sensor turning about its own Z by bendDeg and back (min-jerk), Y up at the start. */
function bend(spec: BendSpec): GyroScaleInput {
  const moveMs = spec.moveMs ?? 2200;
  const [before, bottom, after] = spec.stillMs;
  const segments: { ms: number; from: number; to: number }[] = [
    { ms: before, from: 0, to: 0 },
    { ms: moveMs, from: 0, to: spec.bendDeg },
    { ms: bottom, from: spec.bendDeg, to: spec.bendDeg },
    { ms: moveMs, from: spec.bendDeg, to: 0 },
    { ms: after, from: 0, to: 0 },
  ];
  const noise = spec.noise ?? (() => 0);
  const out: GyroScaleInput & { tMs: number[]; accMps2: Vec3[]; gyrDps: Vec3[] } = { tMs: [], accMps2: [], gyrDps: [] };
  let t0 = 0;
  for (const seg of segments) {
    const n = Math.round((seg.ms / 1000) * RATE_HZ);
    for (let i = 0; i < n; i++) {
      const T = seg.ms / 1000;
      const [p, v, acc] = seg.from === seg.to ? [0, 0, 0] : minJerk(i / n);
      const thetaRad = ((seg.from + (seg.to - seg.from) * p) * Math.PI) / 180;
      const rateDps = ((seg.to - seg.from) * v) / T;
      const alphaRad = (((seg.to - seg.from) * acc) / (T * T)) * (Math.PI / 180);
      out.tMs.push(t0 + (i * 1000) / RATE_HZ);
      out.gyrDps.push([noise(), noise(), spec.gyroScale * rateDps + (spec.biasDps ?? 0) + noise()]);
      // Gravity reaction in sensor axes turns by −θ about Z; the tangential acceleration α·r
      // lies along the sensor's X (the direction of travel).
      out.accMps2.push([G * Math.sin(thetaRad) + alphaRad * R_M + noise() * 0.01, G * Math.cos(thetaRad) + noise() * 0.01, noise() * 0.01]);
    }
    t0 += seg.ms;
  }
  return out;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    // xorshift32 → roughly normal (sum of 4 uniforms), SD ~0.1 °/s for the gyro.
    let sum = 0;
    for (let k = 0; k < 4; k++) {
      s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
      sum += s / 2 ** 32 - 0.5;
    }
    return sum * 0.17;
  };
}

describe("estimateGyroScale (Tedaldi et al. 2014, reduced to one axis)", () => {
  for (const scale of [0.97, 1, 1.02]) {
    it(`finds a gyro scale of ${scale} about the bend axis within 0.1 % (noise, tangential acceleration at the starts and stops)`, () => {
      const r = estimateGyroScale(bend({ bendDeg: 43, gyroScale: scale, stillMs: [1000, 400, 1000], noise: seeded(7) }), [0, 0, 1]);
      expect(r.ok, r.ok ? "" : r.reason).toBe(true);
      if (!r.ok) return;
      expect(Math.abs(r.estimate.scale - scale)).toBeLessThan(0.001);
      expect(r.estimate.spreadDeg).toBeGreaterThan(42);
      expect(r.estimate.residualDeg).toBeLessThan(0.1);
    });
  }

  it("separates a residual gyro bias from the scale when standing before and after are both seen", () => {
    const r = estimateGyroScale(bend({ bendDeg: 40, gyroScale: 1.015, biasDps: 0.05, stillMs: [800, 400, 800] }), [0, 0, 1]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Math.abs(r.estimate.scale - 1.015)).toBeLessThan(0.001);
    expect(r.estimate.biasDps).toBeCloseTo(0.05, 2);
  });

  it("without the stop after the bend, the bias is not fitted and the scale comes from before and bottom", () => {
    const r = estimateGyroScale(bend({ bendDeg: 40, gyroScale: 1.02, stillMs: [800, 400, 0] }), [0, 0, 1]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.estimate.biasDps).toBeUndefined();
    expect(Math.abs(r.estimate.scale - 1.02)).toBeLessThan(0.001);
  });

  it("refuses a bend without a still moment at the bottom, a small bend, and an axis along gravity", () => {
    const noPause = estimateGyroScale(bend({ bendDeg: 43, gyroScale: 1.02, stillMs: [1000, 0, 1000] }), [0, 0, 1]);
    expect(noPause).toMatchObject({ ok: false, reason: expect.stringMatching(/apart about the axis/) });
    const small = estimateGyroScale(bend({ bendDeg: 10, gyroScale: 1, stillMs: [1000, 400, 1000] }), [0, 0, 1]);
    expect(small).toMatchObject({ ok: false, reason: expect.stringMatching(/only 10\.0° apart/) });
    const vertical = estimateGyroScale(bend({ bendDeg: 43, gyroScale: 1, stillMs: [1000, 400, 1000] }), [0, 1, 0]);
    expect(vertical).toMatchObject({ ok: false, reason: expect.stringMatching(/too close to vertical/) });
  });

  /** The window without samples [from, to) (a lost notification burst). */
  const withHole = (w: GyroScaleInput, from: number, to: number): GyroScaleInput => {
    const cut = <T,>(xs: readonly T[]) => [...xs.slice(0, from), ...xs.slice(to)];
    return { tMs: cut(w.tMs), accMps2: cut(w.accMps2), gyrDps: cut(w.gyrDps) };
  };

  it("measures across a hole during the bend from the stretch after it (one offset per stretch), within 0.1 %", () => {
    // Standing 0-1 s, bending 1-3.2 s, the bottom 3.2-3.6 s, back 3.6-5.8 s, standing to 6.8 s;
    // 110 ms lost mid-bend (2.0-2.1 s): the turn across it is unknown.
    const w = bend({ bendDeg: 43, gyroScale: 1.02, stillMs: [1000, 400, 1000], noise: seeded(3) });
    const r = estimateGyroScale(withHole(w, 200, 210), [0, 0, 1]);
    expect(r.ok, r.ok ? "" : r.reason).toBe(true);
    if (!r.ok) return;
    expect(Math.abs(r.estimate.scale - 1.02)).toBeLessThan(0.001);
    expect(r.estimate.spreadDeg).toBeGreaterThan(42);
    expect(r.estimate.residualDeg).toBeLessThan(0.1);
  });

  it("refuses when no stretch between holes holds still moments at two tilts, saying so", () => {
    // 300 ms lost in the middle of the bottom pause: before it, standing and the bottom's first
    // 150 ms; after it, the bottom's last 150 ms and standing. Neither has a still sample at the
    // bottom with 150 ms of stillness either side within its stretch.
    const w = bend({ bendDeg: 43, gyroScale: 1, stillMs: [1000, 600, 1000] });
    const r = estimateGyroScale(withHole(w, 335, 365), [0, 0, 1]);
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/only 0\.0° apart .*holes, the longest 310 ms/) });
  });

  it("refuses sample times that do not increase", () => {
    const w = bend({ bendDeg: 43, gyroScale: 1, stillMs: [1000, 400, 1000] });
    const t = [...w.tMs];
    t[100] = t[99];
    expect(estimateGyroScale({ ...w, tMs: t }, [0, 0, 1])).toMatchObject({ ok: false, reason: expect.stringMatching(/not increasing/) });
  });
});

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ButterworthLowpass, butterworthLowpassSections, filtfiltButterworth } from "./butterworth.js";
import { gainDb } from "./testing/sine-response.js";

interface ScipyCase { order: number; cutoffHz: number; length: number; output: number[] }
const scipy = JSON.parse(readFileSync(fileURLToPath(new URL("../../../fixtures/filters/filtfilt-scipy.json", import.meta.url)), "utf8")) as {
  sampleRateHz: number; input: number[]; cases: ScipyCase[];
};

describe("Butterworth low-pass (cascaded biquads)", () => {
  it("orders 1-6: DC gain 1 (within 1e-12), −3.01 dB at the cutoff (within 0.01 dB), −6N dB per octave far above", () => {
    for (let order = 1; order <= 6; order++) {
      const f = new ButterworthLowpass(order, 4, 100);
      f.reset(1);
      expect(Math.abs(f.next(1) - 1)).toBeLessThan(1e-12);
      f.reset();
      expect(Math.abs(gainDb((x) => f.next(x), 4, 100) + 3.0103)).toBeLessThan(0.01);
      // Analog Butterworth at 4 × fc: −10 log10(1 + 4^(2N)) dB; the bilinear transform only attenuates more.
      f.reset();
      expect(gainDb((x) => f.next(x), 16, 100)).toBeLessThan(-10 * Math.log10(1 + 4 ** (2 * order)) + 0.01);
    }
  });

  it("order 4 pole placement gives the textbook section Qs 0.5412 and 1.3066 (within 1e-4)", () => {
    // For a cookbook low-pass, a2 = (1 − α)/(1 + α) with α = sin(w0)/(2Q): recover Q from a2.
    const fs = 100, fc = 10;
    const w0 = (2 * Math.PI * fc) / fs;
    const qs = butterworthLowpassSections(4, fc, fs).map((s) => {
      const alpha = (1 - s.a2) / (1 + s.a2);
      return Math.sin(w0) / (2 * alpha);
    });
    expect(Math.abs(qs[0] - 0.5412)).toBeLessThan(1e-4);
    expect(Math.abs(qs[1] - 1.3066)).toBeLessThan(1e-4);
  });

  it("refuses a bad order or cutoff", () => {
    expect(() => new ButterworthLowpass(0, 5, 100)).toThrow(/order/);
    expect(() => new ButterworthLowpass(4, 50, 100)).toThrow(/cutoffHz/);
  });
});

describe("filtfiltButterworth (zero-lag, forward-backward)", () => {
  it("matches scipy.signal.sosfiltfilt (fixtures/filters/filtfilt-scipy.json) within 1e-9 for every case", () => {
    expect(scipy.cases.length).toBe(5);
    for (const c of scipy.cases) {
      const y = filtfiltButterworth(scipy.input.slice(0, c.length), c.cutoffHz, scipy.sampleRateHz, c.order);
      expect(y.length).toBe(c.length);
      let worst = 0;
      for (let i = 0; i < c.length; i++) worst = Math.max(worst, Math.abs(y[i] - c.output[i]));
      expect(worst, `order ${c.order}, ${c.cutoffHz} Hz, ${c.length} samples`).toBeLessThan(1e-9);
    }
  });

  it("keeps a constant signal unchanged (within 1e-12), ends included", () => {
    const y = filtfiltButterworth(new Float64Array(200).fill(3.25), 5, 100);
    for (const v of y) expect(Math.abs(v - 3.25)).toBeLessThan(1e-12);
  });

  it("zero phase: a 0.5 Hz sine under a 5 Hz cutoff keeps its peaks at the same samples, amplitude within 0.01 %", () => {
    const fs = 100;
    const x = Array.from({ length: 1000 }, (_, i) => Math.sin(2 * Math.PI * 0.5 * (i / fs) + 0.3));
    const y = filtfiltButterworth(x, 5, fs);
    const peaks = (s: ArrayLike<number>) => {
      const p: number[] = [];
      for (let i = 1; i < s.length - 1; i++) if (s[i] > s[i - 1] && s[i] >= s[i + 1] && s[i] > 0.5) p.push(i);
      return p;
    };
    expect(peaks(y)).toEqual(peaks(x));
    expect(peaks(x).length).toBe(5);
    for (let i = 100; i < 900; i++) expect(Math.abs(y[i] - x[i])).toBeLessThan(1e-4);
  });

  it("−6.02 dB at the cutoff (the squared response; within 0.02 dB)", () => {
    const fs = 100, fc = 5;
    const n = 4000;
    const x = Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * fc * i) / fs));
    const y = filtfiltButterworth(x, fc, fs);
    let s = 0, c = 0;
    for (let i = 1000; i < 3000; i++) {
      s += y[i] * Math.sin((2 * Math.PI * fc * i) / fs);
      c += y[i] * Math.cos((2 * Math.PI * fc * i) / fs);
    }
    const db = 20 * Math.log10((2 / 2000) * Math.hypot(s, c));
    expect(Math.abs(db + 6.0206)).toBeLessThan(0.02);
    expect(Math.abs(c) / Math.abs(s)).toBeLessThan(1e-3); // no phase shift: nothing in quadrature
  });

  it("handles short signals and refuses non-finite samples naming the index", () => {
    expect(filtfiltButterworth([], 5, 100).length).toBe(0);
    expect([...filtfiltButterworth([4], 5, 100)]).toEqual([4]);
    const y = filtfiltButterworth([1, 2, 3], 5, 100);
    expect(y.length).toBe(3);
    for (const v of y) expect(Number.isFinite(v)).toBe(true);
    expect(() => filtfiltButterworth([1, NaN, 3], 5, 100)).toThrow(/signal\[1\]/);
  });
});

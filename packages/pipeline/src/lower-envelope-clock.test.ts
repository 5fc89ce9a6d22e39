import { describe, expect, it } from "vitest";
import { LowerEnvelopeClock } from "./lower-envelope-clock.js";

/** Deterministic pseudo-random latency in [0, 15) ms (connection-interval phase). */
function latencies(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 15;
  };
}

describe("LowerEnvelopeClock", () => {
  it("tracks 300 ppm of drift under 0-15 ms latency (mapping within 1 ms after 30 s)", () => {
    const c = new LowerEnvelopeClock();
    const lat = latencies(7);
    for (let s = 0; s < 60_000; s += 40) c.observe(s, 1000 + s * (1 + 300e-6) + 8 + lat());
    expect(Math.abs(c.driftPpm - 300)).toBeLessThan(100);
    expect(Math.abs(c.map(60_000) - (1000 + 60_000 * (1 + 300e-6) + 8))).toBeLessThan(1);
  });

  it("recovers within 6 s from a 40 ms step of host − sensor (a sample count off by one batch)", () => {
    const c = new LowerEnvelopeClock();
    const lat = latencies(11);
    // Sensor time s; from 20 s on the counter is one 4-sample batch (40 ms) behind: host − s steps up.
    const host = (s: number) => 1000 + s + 8 + (s >= 20_000 ? 40 : 0);
    for (let s = 0; s < 40_000; s += 40) c.observe(s, host(s) + lat());
    // A least-squares slope through the block minima was tilted by ~2000 ppm by such a step.
    expect(Math.abs(c.driftPpm)).toBeLessThan(100);
    expect(Math.abs(c.map(40_000) - host(40_000))).toBeLessThan(2);
  });
});

import { describe, expect, it } from "vitest";
import { LatencyExcess } from "./latency-excess.js";

describe("LatencyExcess", () => {
  it("is the plain mean of the first arrivals, counting those below the line as 0", () => {
    const e = new LatencyExcess();
    for (const x of [4, 8, -3, 0]) e.add(x);
    expect(e.meanMs).toBeCloseTo(3, 12); // (4 + 8 + 0 + 0) / 4, tolerance 1e-12
  });

  it("becomes an exponential average (weight 0.01) after 100 arrivals, and starts over on reset", () => {
    const e = new LatencyExcess();
    for (let i = 0; i < 100; i++) e.add(5);
    e.add(105);
    expect(e.meanMs).toBeCloseTo(6, 12); // 5 + 0.01 · (105 − 5)
    e.reset();
    expect(e.meanMs).toBe(0);
    e.add(7);
    expect(e.meanMs).toBe(7);
  });

  it("counts the samples a late packet lost beyond the mean latency, in whole packets when batched", () => {
    const e = new LatencyExcess();
    e.add(6);
    // 10 ms periods: 41 ms late is 3.5 periods beyond the mean: 4 samples of a 4-frame batch.
    expect(e.lostSamples(41, 10, 4)).toBe(4);
    // 25 ms late (1.9 periods) is half a 4-frame batch, rounded to none...
    expect(e.lostSamples(25, 10, 4)).toBe(0);
    // ...but 2 single-sample notifications.
    expect(e.lostSamples(25, 10, 1)).toBe(2);
  });
});

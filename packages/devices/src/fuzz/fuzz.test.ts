import { describe, expect, it } from "vitest";
import { Mulberry32 } from "./prng.js";
import { runFuzz } from "./run.js";
import { fuzzTargets } from "./targets.js";

/**
 * A short deterministic fuzz for CI (20,000 notifications per family, fixed seed); the
 * 1,000,000-per-family run is bench/fuzz-decoders.ts (`npm run fuzz`, figures in docs/FUZZ.md).
 */
describe("decoder fuzz (20,000 notifications per family, seed 20261121)", () => {
  for (const target of fuzzTargets(new Mulberry32(1))) {
    it(`${target.family}: never throws, counters add up, every detectably bad notification is a counted problem`, () => {
      const r = runFuzz(target, 20_000, 20261121);
      expect(r.violations).toEqual([]);
      expect(r.notifications).toBeGreaterThanOrEqual(20_000);
      expect(r.mustReport).toBeGreaterThan(1000);
      expect(r.reported).toBe(r.mustReport);
      expect(r.samples).toBeGreaterThan(0);
      expect(r.problems).toBeGreaterThanOrEqual(r.mustReport);
    });
  }
});

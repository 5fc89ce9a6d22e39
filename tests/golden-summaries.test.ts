import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SIM_FIXTURES } from "@spinewatch/simulator";
import { compareSummaries, GOLDEN_TOLERANCES, summarizeRecording } from "../bench/lib/golden.js";

/**
 * Golden session summaries of the simulated fixtures (fixtures/README.md, "fixtures/golden"):
 * a fresh `analyze`-equivalent run (replay at rate Infinity -> runToSummary) must match the
 * kept summary within GOLDEN_TOLERANCES: counts exact, times ±20 ms, angles ±0.5°, other
 * numbers ±2 %. `UPDATE_GOLDEN=1 npx vitest run tests/golden-summaries.test.ts` rewrites them
 * (only when a change of results is intended and explained in the commit).
 */
const update = process.env.UPDATE_GOLDEN === "1";
const fixturePath = (rel: string) => fileURLToPath(new URL(`../fixtures/${rel}`, import.meta.url));

describe("golden summaries of fixtures/sim", () => {
  for (const f of SIM_FIXTURES) {
    const name = f.file.replace(/\.ndjson\.gz$/, "");
    it(`${name}: summary matches fixtures/golden/${name}.summary.json`, async () => {
      const summary = await summarizeRecording(fixturePath(`sim/${f.file}`));
      const goldenPath = fixturePath(`golden/${name}.summary.json`);
      if (update) writeFileSync(goldenPath, JSON.stringify(summary, null, 1) + "\n");
      const golden = JSON.parse(readFileSync(goldenPath, "utf8"));
      expect(compareSummaries(golden, JSON.parse(JSON.stringify(summary)), GOLDEN_TOLERANCES)).toEqual([]);
      expect(summary.reps.length + summary.holds.length).toBeGreaterThan(0);
    });
  }

  it("the comparison catches a changed count, a shifted time and an angle beyond tolerance", () => {
    const golden = { reps: [{ index: 1, startMs: 1000, peakFlexionDeg: 5 }], tempo: { repsPerMin: 40 } };
    expect(compareSummaries(golden, { reps: [{ index: 1, startMs: 1019, peakFlexionDeg: 5.4 }], tempo: { repsPerMin: 40.5 } })).toEqual([]);
    expect(compareSummaries(golden, { reps: [{ index: 2, startMs: 1021, peakFlexionDeg: 5.6 }], tempo: { repsPerMin: 41 } })).toHaveLength(4);
    expect(compareSummaries(golden, { reps: [], tempo: { repsPerMin: 40 } })).toEqual(["summary.reps: expected 1 entries, got 0"]);
  });
});

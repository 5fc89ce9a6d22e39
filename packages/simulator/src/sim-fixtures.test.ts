import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import type { HeaderLine, RecordingLine, TruthEventLine } from "@spinewatch/protocol";
import { describe, expect, it } from "vitest";
import { renderSessionNdjson, SIM_FIXTURES } from "./sim-fixtures.js";

const dir = new URL("../../../fixtures/sim/", import.meta.url);

describe("fixtures/sim", () => {
  for (const f of SIM_FIXTURES) {
    it(`${f.file} is what the generator makes (regenerate: node --import tsx scripts/make-sim-fixtures.ts)`, () => {
      const raw = readFileSync(new URL(f.file, dir));
      expect(raw.length).toBeLessThan(1024 * 1024);
      const text = gunzipSync(raw).toString("utf8");
      expect(text).toBe(renderSessionNdjson(f.options));
      const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l) as RecordingLine);
      const h = lines[0] as HeaderLine;
      expect(h.simulation).toMatchObject({ scenario: f.options.scenario, seed: f.options.seed });
      expect(h.sensors[0].device).toBe(f.options.device);
      const count = (kind: string) => lines.filter((l): l is TruthEventLine => l.type === "truth-event" && l.kind === kind).length;
      expect(count("rep")).toBeGreaterThan(0);
      if (f.options.scenario === "hip-hinge-holds") expect(count("hold")).toBe(count("rep"));
      if (f.options.scenario === "kettlebell-swing-rounding") expect(count("warning")).toBeGreaterThan(0);
    });
  }
});

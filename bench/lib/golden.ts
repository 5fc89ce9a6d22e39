import type { SessionSummary } from "@spinewatch/protocol";
import { createReplaySource, FakeClock } from "@spinewatch/recording";
import { runToSummary } from "@spinewatch/pipeline";

/** Tolerances of a golden-summary comparison (fixtures/README.md, "fixtures/golden"). */
export interface GoldenTolerances {
  /** Fields ending in `Ms`. */
  timeMs: number;
  /** Fields ending in `Deg`. */
  angleDeg: number;
  /** Other non-integer numbers (ratios, rates, quality figures): relative. */
  relative: number;
}

export const GOLDEN_TOLERANCES: Readonly<GoldenTolerances> = { timeMs: 20, angleDeg: 0.5, relative: 0.02 };

/** Integer-valued fields compared exactly (counts and indices). */
const EXACT_FIELDS = new Set(["index", "samples", "lostPackets", "gaps", "frames", "count", "rep", "warnings", "badPackets"]);

/** The session summary of a recording, as `spinewatch analyze --json` computes it: replay at rate Infinity through runToSummary. */
export async function summarizeRecording(path: string): Promise<SessionSummary> {
  const source = await createReplaySource(path, { rate: Infinity, clock: new FakeClock() });
  const { summary } = await runToSummary(source);
  return summary;
}

/**
 * Differences between a golden summary and a fresh one, as readable lines (empty: equal within
 * the tolerances). Counts (array lengths, EXACT_FIELDS) and strings exactly; times (…Ms) within
 * `timeMs`; angles (…Deg) within `angleDeg`; other numbers within `relative` (or 1e-6 absolute).
 */
export function compareSummaries(expected: unknown, actual: unknown, tol: GoldenTolerances = GOLDEN_TOLERANCES, path = "summary"): string[] {
  const out: string[] = [];
  const key = path.slice(path.lastIndexOf(".") + 1).replace(/\[\d+\]$/, "");
  if (typeof expected === "number" && typeof actual === "number") {
    let ok: boolean;
    let tolText: string;
    if (Number.isNaN(expected) || Number.isNaN(actual)) {
      ok = Number.isNaN(expected) && Number.isNaN(actual);
      tolText = "NaN";
    } else if (EXACT_FIELDS.has(key)) {
      ok = expected === actual;
      tolText = "exact";
    } else if (key.endsWith("Ms")) {
      ok = Math.abs(expected - actual) <= tol.timeMs;
      tolText = `±${tol.timeMs} ms`;
    } else if (key.endsWith("Deg")) {
      ok = Math.abs(expected - actual) <= tol.angleDeg;
      tolText = `±${tol.angleDeg}°`;
    } else {
      ok = Math.abs(expected - actual) <= Math.max(1e-6, tol.relative * Math.abs(expected));
      tolText = `±${tol.relative * 100}%`;
    }
    if (!ok) out.push(`${path}: expected ${expected}, got ${actual} (${tolText})`);
    return out;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) {
      out.push(`${path}: expected ${expected.length} entries, got ${actual.length}`);
      return out;
    }
    expected.forEach((e, i) => out.push(...compareSummaries(e, actual[i], tol, `${path}[${i}]`)));
    return out;
  }
  if (expected !== null && actual !== null && typeof expected === "object" && typeof actual === "object") {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const k of keys) {
      const e = (expected as Record<string, unknown>)[k], a = (actual as Record<string, unknown>)[k];
      if (e === undefined || a === undefined) {
        if (e !== a) out.push(`${path}.${k}: ${e === undefined ? "not in the golden file" : "missing"}`);
        continue;
      }
      out.push(...compareSummaries(e, a, tol, `${path}.${k}`));
    }
    return out;
  }
  if (expected !== actual) out.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  return out;
}

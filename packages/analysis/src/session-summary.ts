import type {
  CalibrationSummary,
  ProblemReport,
  SensorSummary,
  SessionSummary,
} from "@spinewatch/protocol";
import type { AnalyzerResults } from "./movement-analyzer.js";

/** What the pipeline knows beyond the detectors' results. */
export interface SessionSummaryParts {
  durationMs: number;
  exercise?: string;
  results: AnalyzerResults;
  calibration?: CalibrationSummary;
  sensors?: SensorSummary[];
  problems?: ProblemReport[];
  /** Number of angle frames produced. */
  frames?: number;
}

/**
 * Folds problems by sensor and code (ProblemReport: "problems are folded by code in
 * summaries"): the first occurrence's time and message, and the total count.
 */
export function foldProblems(problems: readonly ProblemReport[]): ProblemReport[] {
  const byKey = new Map<string, ProblemReport>();
  for (const p of problems) {
    const key = `${p.sensor ?? ""}\u0000${p.code}`;
    const seen = byKey.get(key);
    if (seen) {
      seen.count = (seen.count ?? 1) + (p.count ?? 1);
      if (p.tMs < seen.tMs) {
        seen.tMs = p.tMs;
        seen.message = p.message;
      }
    } else {
      byKey.set(key, { ...p, count: p.count ?? 1 });
    }
  }
  return [...byKey.values()].sort((a, b) => a.tMs - b.tMs);
}

/** The session summary of CONTRACTS.md §2 from the analyzer's results and the pipeline's parts. */
export function buildSessionSummary(parts: SessionSummaryParts): SessionSummary {
  const { results } = parts;
  const summary: SessionSummary = {
    durationMs: parts.durationMs,
    calibration: parts.calibration ?? { source: "none" },
    reps: results.reps,
    tempo: results.tempo,
    holds: results.holds,
    warnings: results.warnings,
    sensors: parts.sensors ?? [],
    problems: foldProblems(parts.problems ?? []),
  };
  if (parts.exercise !== undefined) summary.exercise = parts.exercise;
  if (parts.frames !== undefined) summary.frames = parts.frames;
  return summary;
}

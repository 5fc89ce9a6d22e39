import { buildSessionSummary, summarizeTempo } from "@spinewatch/analysis";
import type {
  CalibrationSummary,
  HoldSummary,
  ProblemReport,
  RepSummary,
  SensorStatus,
  SensorSummary,
  SessionInfo,
  SessionSummary,
  WarningSummary,
} from "@spinewatch/protocol";
import type { PipelineOutput } from "./types.js";

/**
 * Builds the session summary of CONTRACTS.md §2 from pipeline outputs alone, so that a live
 * gateway and `analyze` summarise the same way: reps, holds and warnings from their events,
 * tempo from the reps (analysis' summarizeTempo), sensors from the last status, problems
 * folded by sensor and code as they come (a long session with many dropped samples keeps one
 * entry per code, not one per sample). The assembly is analysis' buildSessionSummary.
 */
export class SummaryCollector {
  readonly #exercise: string | undefined;
  readonly #reps: RepSummary[] = [];
  readonly #holds: HoldSummary[] = [];
  readonly #warnings: WarningSummary[] = [];
  readonly #problems = new Map<string, ProblemReport>();
  #calibration: CalibrationSummary | null = null;
  #sensors: SensorStatus[] = [];
  #frames = 0;
  #lastMs = 0;

  constructor(info: SessionInfo, options: { exercise?: string } = {}) {
    this.#exercise = options.exercise ?? info.exercise;
  }

  next(out: PipelineOutput): void {
    switch (out.type) {
      case "frame":
        this.#frames++;
        this.#see(out.frame.tMs);
        break;
      case "sensors":
        this.#sensors = out.sensors;
        break;
      case "problem":
        this.#problem(out.problem);
        this.#see(out.problem.tMs);
        break;
      case "event": {
        const e = out.event;
        this.#see(e.tMs);
        if (e.kind === "rep") this.#reps.push(e.rep);
        else if (e.kind === "hold-end") this.#holds.push(e.hold);
        else if (e.kind === "range-clear" && e.warning) this.#warnings.push(e.warning);
        else if (e.kind === "calibration") {
          // The calibration in force: the last accepted one; a refusal only if none was accepted.
          if (!e.calibration.refused || this.#calibration === null || this.#calibration.refused) this.#calibration = e.calibration;
        }
        break;
      }
    }
  }

  summary(): SessionSummary {
    const durationS = this.#lastMs / 1000;
    const sensors: SensorSummary[] = this.#sensors.map((s) => {
      const samples = s.samples ?? 0;
      const out: SensorSummary = {
        id: s.id,
        samples,
        lostPackets: s.lostPackets,
        gaps: s.gaps ?? 0,
        meanRateHz: durationS > 0 ? samples / durationS : 0,
      };
      if (s.longestGapMs !== undefined) out.longestGapMs = s.longestGapMs;
      if (s.badPackets !== undefined) out.badPackets = s.badPackets;
      return out;
    });
    return buildSessionSummary({
      durationMs: this.#lastMs,
      ...(this.#exercise !== undefined ? { exercise: this.#exercise } : {}),
      results: { reps: [...this.#reps], holds: [...this.#holds], warnings: [...this.#warnings], tempo: summarizeTempo(this.#reps) },
      calibration: this.#calibration ?? { source: "none" },
      sensors,
      problems: [...this.#problems.values()],
      frames: this.#frames,
    });
  }

  #see(tMs: number): void {
    if (tMs > this.#lastMs) this.#lastMs = tMs;
  }

  #problem(p: ProblemReport): void {
    const key = `${p.sensor ?? ""}\u0000${p.code}`;
    const seen = this.#problems.get(key);
    if (seen) seen.count = (seen.count ?? 1) + (p.count ?? 1);
    else this.#problems.set(key, { ...p, count: p.count ?? 1 });
  }
}

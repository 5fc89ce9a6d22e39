import type { RepSummary, TempoSummary } from "@spinewatch/protocol";

export interface TempoOptions {
  /** A pause longer than this between two reps ends a set (rests do not dilute the tempo). */
  setBreakMs: number;
}

export const TEMPO_DEFAULTS: Readonly<TempoOptions> = { setBreakMs: 3000 };

/**
 * Tempo over the sets of a session. Reps closer than setBreakMs (end to next start) form a
 * set; reps per minute = all reps / total time from each set's first start to its last end,
 * so rests between sets do not count (a swing cadence of 32-48 per minute, LUMBAR-FACTS.md,
 * reads as such whatever the rests). repDurationCv = SD / mean of the rep durations
 * (population SD), 0 with fewer than two reps; both 0 without reps.
 */
export function summarizeTempo(reps: readonly RepSummary[], options: Partial<TempoOptions> = {}): TempoSummary {
  const { setBreakMs } = { ...TEMPO_DEFAULTS, ...options };
  if (reps.length === 0) return { repsPerMin: 0, repDurationCv: 0 };
  let activeMs = 0;
  let setStartMs = reps[0].startMs;
  for (let i = 1; i <= reps.length; i++) {
    const prev = reps[i - 1];
    if (i === reps.length || reps[i].startMs - prev.endMs > setBreakMs) {
      activeMs += prev.endMs - setStartMs;
      if (i < reps.length) setStartMs = reps[i].startMs;
    }
  }
  const repsPerMin = activeMs > 0 ? (reps.length * 60_000) / activeMs : 0;
  let sum = 0;
  for (const r of reps) sum += r.endMs - r.startMs;
  const mean = sum / reps.length;
  let ss = 0;
  for (const r of reps) ss += (r.endMs - r.startMs - mean) ** 2;
  const repDurationCv = reps.length >= 2 && mean > 0 ? Math.sqrt(ss / reps.length) / mean : 0;
  return { repsPerMin, repDurationCv };
}

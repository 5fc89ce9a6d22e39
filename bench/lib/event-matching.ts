/**
 * One-to-one matching of detected intervals (reps, holds, warnings) with truth intervals, by
 * overlap: pairs are taken greedily in order of decreasing overlap (ties: closer starts first),
 * each interval used at most once. An interval pair overlaps if the spans intersect after
 * widening the detected one by `slackMs` on each side (so that a warning detected a frame after
 * a very short truth exceedance ended still matches it).
 */
export interface Interval {
  startMs: number;
  endMs: number;
}

export interface Match<T extends Interval, D extends Interval> {
  truth: T;
  detected: D;
}

export interface Matching<T extends Interval, D extends Interval> {
  matches: Match<T, D>[];
  unmatchedTruth: T[];
  unmatchedDetected: D[];
}

export function overlapMs(a: Interval, b: Interval, slackMs = 0): number {
  return Math.min(a.endMs, b.endMs + slackMs) - Math.max(a.startMs, b.startMs - slackMs);
}

export function matchIntervals<T extends Interval, D extends Interval>(truth: readonly T[], detected: readonly D[], slackMs = 0): Matching<T, D> {
  const pairs: { i: number; j: number; overlap: number; startGap: number }[] = [];
  // Both lists are in time order: only nearby pairs can overlap (two-pointer window).
  let j0 = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    while (j0 < detected.length && detected[j0].endMs + slackMs < t.startMs) j0++;
    for (let j = j0; j < detected.length && detected[j].startMs - slackMs <= t.endMs; j++) {
      const o = overlapMs(t, detected[j], slackMs);
      if (o >= 0) pairs.push({ i, j, overlap: o, startGap: Math.abs(t.startMs - detected[j].startMs) });
    }
  }
  pairs.sort((a, b) => b.overlap - a.overlap || a.startGap - b.startGap);
  const usedT = new Uint8Array(truth.length);
  const usedD = new Uint8Array(detected.length);
  const matches: Match<T, D>[] = [];
  for (const p of pairs) {
    if (usedT[p.i] || usedD[p.j]) continue;
    usedT[p.i] = usedD[p.j] = 1;
    matches.push({ truth: truth[p.i], detected: detected[p.j] });
  }
  matches.sort((a, b) => a.truth.startMs - b.truth.startMs);
  return {
    matches,
    unmatchedTruth: truth.filter((_, i) => !usedT[i]),
    unmatchedDetected: detected.filter((_, j) => !usedD[j]),
  };
}

/** Precision, recall and F1 from counts (NaN when undefined: nothing detected / nothing true). */
export function prf(truePositives: number, detected: number, truth: number): { precision: number; recall: number; f1: number } {
  const precision = detected > 0 ? truePositives / detected : truth === 0 ? 1 : Number.NaN;
  const recall = truth > 0 ? truePositives / truth : detected === 0 ? 1 : Number.NaN;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** Quantile (linear interpolation) of a sample; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const v = [...values].sort((a, b) => a - b);
  const pos = (v.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

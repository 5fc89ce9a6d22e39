import type { TruthLine } from "@spinewatch/protocol";

/** The truth channels an angle frame is compared on (AngleFrame field names). */
export const TRUTH_CHANNELS = ["flexionDeg", "lateralBendDeg", "axialRotationDeg", "pelvisTiltDeg", "thoraxInclinationDeg", "pelvisObliquityDeg"] as const;
export type TruthChannel = (typeof TRUTH_CHANNELS)[number];

const N = TRUTH_CHANNELS.length;

/**
 * Ground truth of a simulated session as a time series that can be read at any instant by
 * linear interpolation between the two bracketing `truth` lines (the simulator writes them at
 * 100 Hz of a C²-smooth trajectory, so linear interpolation errs by < 0.01° even in a swing:
 * 250 °/s peak rate, curvature bounded by the minimum-jerk plan).
 *
 * Streaming: lines are appended in time order; `release` forgets what lies more than a few
 * seconds behind the queries, so a 1-hour session never holds more than that.
 */
export class TruthSeries {
  #t: number[] = [];
  #v: number[] = [];
  #head = 0;

  push(line: TruthLine): void {
    const n = this.#t.length;
    if (n > this.#head && line.tMs <= this.#t[n - 1]) throw new Error(`truth line at ${line.tMs} ms does not advance time (previous ${this.#t[n - 1]} ms)`);
    this.#t.push(line.tMs);
    this.#v.push(line.flexionDeg, line.lateralBendDeg, line.axialRotationDeg, line.pelvisTiltDeg, line.thoraxInclinationDeg ?? Number.NaN, line.pelvisObliquityDeg ?? Number.NaN);
  }

  /** Latest truth time held, ms (−Infinity when empty). */
  get lastMs(): number {
    return this.#t.length > this.#head ? this.#t[this.#t.length - 1] : -Infinity;
  }

  /**
   * Truth at `tMs`, written into `out` in TRUTH_CHANNELS order; false when `tMs` is outside
   * the span held (before the first line kept or after the last one).
   */
  at(tMs: number, out: Float64Array): boolean {
    const t = this.#t;
    const last = t.length - 1;
    if (last < this.#head || tMs < t[this.#head] || tMs > t[last]) return false;
    // Binary search for the last line at or before tMs.
    let lo = this.#head, hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (t[mid] <= tMs) lo = mid;
      else hi = mid - 1;
    }
    const i = lo;
    const j = Math.min(i + 1, last);
    const span = t[j] - t[i];
    const w = span > 0 ? (tMs - t[i]) / span : 0;
    const v = this.#v;
    for (let k = 0; k < N; k++) out[k] = v[i * N + k] + (v[j * N + k] - v[i * N + k]) * w;
    return true;
  }

  /** Drops lines more than `keepMs` before `tMs` (queries earlier than that fail). */
  release(tMs: number, keepMs = 2000): void {
    const t = this.#t;
    let i = this.#head;
    while (i < t.length - 1 && t[i + 1] < tMs - keepMs) i++;
    this.#advanceHead(i);
  }

  #advanceHead(i: number): void {
    this.#head = i;
    // Compact now and then so memory stays bounded.
    if (this.#head > 4096) {
      this.#t = this.#t.slice(this.#head);
      this.#v = this.#v.slice(this.#head * N);
      this.#head = 0;
    }
  }
}

/** Index of the first trace line at or after tMs (binary search). */
export function lowerBound(ts: readonly number[], tMs: number): number {
  let lo = 0, hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] < tMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

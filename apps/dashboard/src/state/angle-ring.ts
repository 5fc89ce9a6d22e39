import type { AngleFrame } from "@spinewatch/protocol";

/**
 * The channels kept per frame, in column order. pelvisObliquityDeg is kept for every exercise
 * (one more typed column, no allocation) although only bird dog shows it: the exercise can change
 * live, and its trace should then have the last 30 s at once. The angles are kept from the rest
 * the frame carries when it carries one (AngleFrame.restNeutral: the bird dog's all-fours rest,
 * its posture offsets taken out), i.e. as the reps, holds and range warnings count them.
 */
export const RING_CHANNELS = ["flexionDeg", "lateralBendDeg", "axialRotationDeg", "pelvisTiltDeg", "pelvisObliquityDeg"] as const;
export type RingChannel = (typeof RING_CHANNELS)[number];

/**
 * Fixed-capacity ring buffer of angle frames in typed-array columns (no allocation per frame).
 * Frames arrive in batches from the WebSocket; charts read a time window from it once per
 * animation frame (DESIGN.md: "charts update once per animation frame from ring buffers").
 */
export class AngleRing {
  readonly capacity: number;
  readonly #tMs: Float64Array;
  readonly #cols: Float64Array[];
  #head = 0; // next write index
  #size = 0;
  /** Incremented on every push or clear, so readers can tell whether anything changed. */
  revision = 0;
  /**
   * Whether the newest frame's angles were kept from a rest it carried (AngleFrame.restNeutral),
   * and whether the person had settled into it yet.
   */
  lastRest: "none" | "settling" | "settled" = "none";

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#tMs = new Float64Array(capacity);
    this.#cols = RING_CHANNELS.map(() => new Float64Array(capacity));
  }

  get size(): number {
    return this.#size;
  }

  push(f: AngleFrame): void {
    const i = this.#head;
    this.#tMs[i] = f.tMs;
    const rest = f.restNeutral;
    this.#cols[0][i] = rest ? f.flexionDeg - rest.flexionDeg : f.flexionDeg;
    this.#cols[1][i] = rest ? f.lateralBendDeg - rest.lateralBendDeg : f.lateralBendDeg;
    this.#cols[2][i] = rest ? f.axialRotationDeg - rest.axialRotationDeg : f.axialRotationDeg;
    this.#cols[3][i] = f.pelvisTiltDeg;
    this.#cols[4][i] = rest ? f.pelvisObliquityDeg - rest.pelvisObliquityDeg : f.pelvisObliquityDeg;
    this.lastRest = rest === undefined ? "none" : rest.settled ? "settled" : "settling";
    this.#head = (i + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size++;
    this.revision++;
  }

  clear(): void {
    this.#head = 0;
    this.#size = 0;
    this.lastRest = "none";
    this.revision++;
  }

  /** Time of the newest frame, or NaN when empty. */
  get lastTMs(): number {
    return this.#size === 0 ? Number.NaN : this.#tMs[(this.#head - 1 + this.capacity) % this.capacity];
  }

  /** Value of `channel` in the newest frame, or NaN when empty. */
  last(channel: RingChannel): number {
    if (this.#size === 0) return Number.NaN;
    return this.#cols[RING_CHANNELS.indexOf(channel)][(this.#head - 1 + this.capacity) % this.capacity];
  }

  /**
   * Copies the frames with tMs >= fromMs, oldest first, into `out` (x in seconds relative to the
   * newest frame, then one column per channel in RING_CHANNELS order; a null column is skipped,
   * so a chart copies only the channels it draws), which must have room for `capacity` values.
   * Returns the number of frames copied.
   */
  copyWindow(fromMs: number, outX: Float64Array, outCols: readonly (Float64Array | null)[]): number {
    const n = this.#size;
    if (n === 0) return 0;
    const cap = this.capacity;
    const start = (this.#head - n + cap) % cap;
    // Binary search over the logical order for the first frame at or after fromMs.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#tMs[(start + mid) % cap] < fromMs) lo = mid + 1;
      else hi = mid;
    }
    const count = n - lo;
    const lastMs = this.#tMs[(start + n - 1) % cap];
    for (let k = 0; k < count; k++) {
      const i = (start + lo + k) % cap;
      outX[k] = (this.#tMs[i] - lastMs) / 1000;
      for (let c = 0; c < outCols.length; c++) {
        const out = outCols[c];
        if (out) out[k] = this.#cols[c][i];
      }
    }
    return count;
  }

  /**
   * Start of the stretch, ending at the newest frame, over which `read(frame)` stayed above
   * `levelDeg`, with the crossing interpolated between frames; NaN if the newest frame is not above.
   */
  exceedanceStartMs(channel: RingChannel, sign: 1 | -1, levelDeg: number): number {
    const n = this.#size;
    if (n === 0) return Number.NaN;
    const cap = this.capacity;
    const col = this.#cols[RING_CHANNELS.indexOf(channel)];
    let i = (this.#head - 1 + cap) % cap;
    if (sign * col[i] <= levelDeg) return Number.NaN;
    for (let k = 1; k < n; k++) {
      const j = (i - 1 + cap) % cap;
      const v = sign * col[j];
      if (v <= levelDeg) {
        const v1 = sign * col[i];
        return this.#tMs[j] + ((this.#tMs[i] - this.#tMs[j]) * (levelDeg - v)) / (v1 - v);
      }
      i = j;
    }
    return this.#tMs[i];
  }
}

/** Boundaries of a rep read back from its trace (RepTrace.timing). */
export interface RepTiming {
  endMs: number;
  /** Index of the end frame in the trace. */
  endIndex: number;
  /** First time within ~1° (2% of the excursion) of the peak: arrival at the bottom. */
  arrivalMs: number;
  /** Last time within that band: departure from the bottom. */
  departureMs: number;
}

/**
 * The frames of the rep in progress (time, smoothed rep signal, raw flexion), from its start
 * to its lockout, for dating its end and its bottom once it is complete (RepDetector).
 */
export class RepTrace {
  readonly tMs: number[] = [];
  readonly signalDeg: number[] = [];
  readonly flexionDeg: number[] = [];

  push(tMs: number, signalDeg: number, flexionDeg: number): void {
    this.tMs.push(tMs);
    this.signalDeg.push(signalDeg);
    this.flexionDeg.push(flexionDeg);
  }

  clear(): void {
    this.tMs.length = 0;
    this.signalDeg.length = 0;
    this.flexionDeg.length = 0;
  }

  /**
   * The rep's end: `endAtMs` (the last frame) when given, else where the signal, after the exit
   * threshold at exitMs, first entered the rest band (restBandDeg) of its minimum after it (the
   * lockout). The bottom: first and last time within max(1°, 2% of the excursion above
   * startLevelDeg) of the peak, so a pause at the bottom belongs to neither phase.
   */
  timing(exitMs: number, startLevelDeg: number, restBandDeg: number, startMs: number, endAtMs?: number): RepTiming {
    const ts = this.tMs;
    const ss = this.signalDeg;
    let minAfterExit = Infinity;
    for (let i = 0; i < ts.length; i++) if (ts[i] >= exitMs && ss[i] < minAfterExit) minAfterExit = ss[i];
    let endMs = endAtMs ?? exitMs;
    let endIndex = ts.length - 1;
    for (let i = 0; i < ts.length && endAtMs === undefined; i++) {
      if (ts[i] >= exitMs && ss[i] <= minAfterExit + restBandDeg) {
        endMs = ts[i];
        endIndex = i;
        break;
      }
    }
    let peakDeg = -Infinity;
    for (let i = 0; i < ss.length; i++) if (ss[i] > peakDeg) peakDeg = ss[i];
    const bandDeg = Math.max(1, 0.02 * (peakDeg - startLevelDeg));
    let arrivalMs = startMs;
    let departureMs = endMs;
    for (let i = 0; i < ss.length; i++) {
      if (ss[i] >= peakDeg - bandDeg) {
        arrivalMs = ts[i];
        break;
      }
    }
    for (let i = ss.length - 1; i >= 0; i--) {
      if (ss[i] >= peakDeg - bandDeg) {
        departureMs = ts[i];
        break;
      }
    }
    return { endMs, endIndex, arrivalMs, departureMs };
  }
}

/**
 * In-page figures for bench/dashboard-perf.ts, switched on by `?perf` in the page URL (off:
 * every call is a cheap no-op). Latency = frames message received (stamped in the WebSocket
 * handler) to the end of the animation-frame callback that handed its data to the charts
 * (`toUpdate`), and to the start of the following animation frame (`toNextFrame`, after paint).
 */
export interface PerfFigures {
  rafCount: number;
  rafFirstMs: number;
  rafLastMs: number;
  framesMessages: number;
  latencyToUpdateMs: number[];
  latencyToNextFrameMs: number[];
}

const MAX_SAMPLES = 200_000;

class PerfProbe {
  readonly enabled: boolean;
  readonly figures: PerfFigures = {
    rafCount: 0,
    rafFirstMs: Number.NaN,
    rafLastMs: Number.NaN,
    framesMessages: 0,
    latencyToUpdateMs: [],
    latencyToNextFrameMs: [],
  };
  #pending: number[] = [];
  #painted: number[] = [];

  constructor(enabled: boolean) {
    this.enabled = enabled;
  }

  /** A frames message arrived now. */
  received(nowMs: number): void {
    if (!this.enabled) return;
    this.figures.framesMessages++;
    this.#pending.push(nowMs);
  }

  /** An animation frame started (before any update). */
  frameStart(nowMs: number): void {
    if (!this.enabled) return;
    const f = this.figures;
    f.rafCount++;
    if (Number.isNaN(f.rafFirstMs)) f.rafFirstMs = nowMs;
    f.rafLastMs = nowMs;
    for (const t of this.#painted) if (f.latencyToNextFrameMs.length < MAX_SAMPLES) f.latencyToNextFrameMs.push(nowMs - t);
    this.#painted.length = 0;
  }

  /** The charts got their data in this animation frame (it is painted right after). */
  frameUpdated(nowMs: number): void {
    if (!this.enabled || this.#pending.length === 0) return;
    const f = this.figures;
    for (const t of this.#pending) if (f.latencyToUpdateMs.length < MAX_SAMPLES) f.latencyToUpdateMs.push(nowMs - t);
    this.#painted.push(...this.#pending);
    this.#pending.length = 0;
  }

  reset(): void {
    const f = this.figures;
    f.rafCount = 0;
    f.rafFirstMs = Number.NaN;
    f.rafLastMs = Number.NaN;
    f.framesMessages = 0;
    f.latencyToUpdateMs = [];
    f.latencyToNextFrameMs = [];
  }
}

export const perfProbe = new PerfProbe(typeof location !== "undefined" && new URLSearchParams(location.search).has("perf"));

declare global {
  interface Window {
    __spinewatchPerf?: PerfProbe;
  }
}
if (perfProbe.enabled) window.__spinewatchPerf = perfProbe;

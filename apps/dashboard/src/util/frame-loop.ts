import { perfProbe } from "./perf-probe.js";

export type FrameCallback = (nowMs: number) => void;

/**
 * The one requestAnimationFrame loop of the page. Everything that follows the angle stream
 * (charts, numbers, spine figure) draws here, once per display frame, never per WebSocket
 * message (DESIGN.md, Gateway and dashboard; uPlot's sine-stream demo does the same).
 */
class FrameLoop {
  readonly #callbacks = new Set<FrameCallback>();
  #running = false;

  add(cb: FrameCallback): () => void {
    this.#callbacks.add(cb);
    if (!this.#running) {
      this.#running = true;
      requestAnimationFrame(this.#tick);
    }
    return () => this.#callbacks.delete(cb);
  }

  readonly #tick = (nowMs: number): void => {
    perfProbe.frameStart(performance.now());
    for (const cb of this.#callbacks) {
      try {
        cb(nowMs);
      } catch (err) {
        console.error("spinewatch: frame callback failed", err);
      }
    }
    perfProbe.frameUpdated(performance.now());
    if (this.#callbacks.size > 0 || perfProbe.enabled) requestAnimationFrame(this.#tick);
    else this.#running = false;
  };
}

export const frameLoop = new FrameLoop();

import type { ReplayState } from "@spinewatch/protocol";

/**
 * A one-line progress indicator on stderr (only when it is a terminal: the caller decides),
 * redrawn four times a second from the replay's position, erased when done.
 */
export class ProgressLine {
  readonly #timer: NodeJS.Timeout;
  #shown = false;

  constructor(label: string, state: () => ReplayState | undefined) {
    this.#timer = setInterval(() => {
      const s = state();
      if (!s) return;
      const pct = s.durationMs ? ` ${Math.min(100, (100 * s.positionMs) / s.durationMs).toFixed(0)}%` : "";
      process.stderr.write(`\r${label}:${pct} ${(s.positionMs / 60000).toFixed(1)} min of session time`);
      this.#shown = true;
    }, 250);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    if (this.#shown) process.stderr.write("\r\x1b[K");
  }
}

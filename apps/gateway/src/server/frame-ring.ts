import type { AngleFrame } from "@spinewatch/protocol";

/**
 * The last `windowMs` of angle frames (sample time) for a new client's snapshot
 * (issue 5: "the last 30 s of angle frames"). A fixed-capacity circular array, so memory is
 * bounded whatever the frame rate: at capacity the oldest frame goes first.
 */
export class FrameRing {
  readonly #windowMs: number;
  readonly #frames: (AngleFrame | undefined)[];
  #start = 0;
  #count = 0;

  constructor(windowMs = 30_000, capacity = 12_000) {
    this.#windowMs = windowMs;
    this.#frames = new Array(capacity);
  }

  push(frame: AngleFrame): void {
    const cap = this.#frames.length;
    if (this.#count === cap) {
      this.#frames[this.#start] = frame;
      this.#start = (this.#start + 1) % cap;
    } else {
      this.#frames[(this.#start + this.#count) % cap] = frame;
      this.#count++;
    }
    // Drop frames older than the window, measured from the newest frame's sample time.
    const oldestKeptMs = frame.tMs - this.#windowMs;
    while (this.#count > 1 && (this.#frames[this.#start] as AngleFrame).tMs < oldestKeptMs) {
      this.#frames[this.#start] = undefined;
      this.#start = (this.#start + 1) % cap;
      this.#count--;
    }
  }

  /** Oldest first. */
  toArray(): AngleFrame[] {
    const out: AngleFrame[] = new Array(this.#count);
    for (let i = 0; i < this.#count; i++) out[i] = this.#frames[(this.#start + i) % this.#frames.length] as AngleFrame;
    return out;
  }

  get size(): number {
    return this.#count;
  }

  clear(): void {
    this.#frames.fill(undefined);
    this.#start = 0;
    this.#count = 0;
  }
}

import { copyPairFrame } from "./pair-resample.js";
import type { OrientedSample, PairFrame } from "./types.js";

/**
 * The last `capacity` pair frames, copied into preallocated slots: a window that starts before
 * the mark announcing it (the still stance before a calibration bend) can still be had, without
 * copying every frame into new objects (1 hour is 360,000 frames; the resampler reuses its own).
 */
export class FrameRing {
  readonly #slots: PairFrame[];
  #next = 0;
  #size = 0;

  constructor(capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`frame ring capacity must be a whole number > 0, got ${capacity}`);
    this.#slots = Array.from({ length: capacity }, () => ({ tMs: Number.NaN, sacrum: emptySample(), thoracic: emptySample() }));
  }

  push(f: PairFrame): void {
    const slot = this.#slots[this.#next];
    slot.tMs = f.tMs;
    copyInto(f.sacrum, slot.sacrum);
    copyInto(f.thoracic, slot.thoracic);
    this.#next = (this.#next + 1) % this.#slots.length;
    if (this.#size < this.#slots.length) this.#size++;
  }

  /** Copies of the frames kept with tMs ≥ fromMs, oldest first. */
  since(fromMs: number): PairFrame[] {
    const out: PairFrame[] = [];
    const n = this.#slots.length;
    for (let i = 0; i < this.#size; i++) {
      const f = this.#slots[(this.#next - this.#size + i + n) % n];
      if (f.tMs >= fromMs) out.push(copyPairFrame(f));
    }
    return out;
  }

  clear(): void {
    this.#next = 0;
    this.#size = 0;
  }
}

function emptySample(): OrientedSample {
  return { sensorId: "", tMs: Number.NaN, quatWxyz: [1, 0, 0, 0], accMps2: [0, 0, 0], gyrDps: [0, 0, 0], fresh: false };
}

function copyInto(s: OrientedSample, d: OrientedSample): void {
  d.sensorId = s.sensorId;
  d.tMs = s.tMs;
  d.fresh = s.fresh;
  for (let k = 0; k < 4; k++) d.quatWxyz[k] = s.quatWxyz[k];
  for (let k = 0; k < 3; k++) {
    d.accMps2[k] = s.accMps2[k];
    d.gyrDps[k] = s.gyrDps[k];
  }
}

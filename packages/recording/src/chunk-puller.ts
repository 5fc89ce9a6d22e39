import type { Readable } from "node:stream";

/**
 * Pulls chunks from a Readable one at a time, with backpressure, and delivers every chunk that
 * arrived before an error before the error itself. (The stock async iterator of a Readable drops
 * buffered chunks once the stream is destroyed by an error; for a truncated gzip file that would
 * lose data zlib had already decoded.)
 */
export class ChunkPuller {
  readonly #stream: Readable;
  readonly #queue: Buffer[] = [];
  readonly #maxQueued: number;
  #ended = false;
  #error: Error | null = null;
  #wake: (() => void) | null = null;

  constructor(stream: Readable, maxQueued = 4) {
    this.#stream = stream;
    this.#maxQueued = maxQueued;
    stream.on("data", (chunk: Buffer) => {
      this.#queue.push(chunk);
      if (this.#queue.length >= this.#maxQueued) stream.pause();
      this.#notify();
    });
    stream.on("end", () => {
      this.#ended = true;
      this.#notify();
    });
    stream.on("error", (err: Error) => {
      this.#error ??= err;
      this.#notify();
    });
  }

  /** The next chunk, or null at the end; rejects with the stream's error once queued chunks are out. */
  async next(): Promise<Buffer | null> {
    for (;;) {
      const chunk = this.#queue.shift();
      if (chunk !== undefined) {
        if (this.#queue.length < this.#maxQueued && this.#stream.isPaused() && !this.#error) this.#stream.resume();
        return chunk;
      }
      if (this.#error) throw this.#error;
      if (this.#ended) return null;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  destroy(): void {
    this.#stream.destroy();
    this.#queue.length = 0;
    this.#ended = true;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}

import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { constants, createGunzip } from "node:zlib";
import { ChunkPuller } from "./chunk-puller.js";

function openByteStream(path: string, gzip: boolean, chunkBytes: number, lenient: boolean): Readable {
  const file = createReadStream(path, { highWaterMark: chunkBytes });
  if (!gzip) return file;
  const gunzip = createGunzip({
    chunkSize: 256 * 1024,
    ...(lenient ? { finishFlush: constants.Z_SYNC_FLUSH } : {}),
  });
  file.on("error", (err) => gunzip.destroy(err));
  // Destroying the gunzip stream (end of reading, a seek reopening the file) must close the file too.
  gunzip.on("close", () => file.destroy());
  return file.pipe(gunzip);
}

/**
 * The decoded bytes of a recording file, chunk by chunk (gunzipped when `gzip`).
 *
 * A truncated gzip file makes zlib fail at the very end ("unexpected end of file"), and Node
 * discards whatever decoded output was still buffered in the stream when it fails. To keep
 * every decodable byte (issue 3: a killed writer leaves a readable prefix), on a gzip error the
 * file is decoded a second time with `finishFlush: Z_SYNC_FLUSH` (zlib then stops quietly where
 * the data stops), the bytes already delivered are skipped, and the rest is delivered before
 * the original error is rethrown for the caller to report. The second pass happens only for
 * damaged files.
 */
export class DecodedByteSource {
  readonly #path: string;
  readonly #gzip: boolean;
  readonly #chunkBytes: number;
  #puller: ChunkPuller;
  #delivered = 0;
  #failure: unknown = null;

  constructor(path: string, gzip: boolean, chunkBytes: number) {
    this.#path = path;
    this.#gzip = gzip;
    this.#chunkBytes = chunkBytes;
    this.#puller = new ChunkPuller(openByteStream(path, gzip, chunkBytes, false));
  }

  /** The next decoded chunk, or null at the end; rejects with the stream error after the salvage. */
  async next(): Promise<Buffer | null> {
    if (this.#failure !== null) return this.#nextSalvaged();
    try {
      const chunk = await this.#puller.next();
      if (chunk !== null) this.#delivered += chunk.length;
      return chunk;
    } catch (err) {
      // Salvage only once something was decoded: a file that is not gzip at all fails at once.
      if (!this.#gzip || this.#delivered === 0) throw err;
      this.#failure = err;
      this.#puller.destroy();
      this.#puller = new ChunkPuller(openByteStream(this.#path, true, this.#chunkBytes, true));
      return this.#nextSalvaged();
    }
  }

  destroy(): void {
    this.#puller.destroy();
  }

  async #nextSalvaged(): Promise<Buffer | null> {
    for (;;) {
      let chunk: Buffer | null;
      try {
        chunk = await this.#puller.next();
      } catch {
        chunk = null;
      }
      if (chunk === null) {
        this.#puller.destroy();
        throw this.#failure;
      }
      if (this.#delivered > 0) {
        const skip = Math.min(this.#delivered, chunk.length);
        this.#delivered -= skip;
        if (skip === chunk.length) continue;
        chunk = chunk.subarray(skip);
      }
      return chunk;
    }
  }
}

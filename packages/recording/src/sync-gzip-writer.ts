import { writeSync } from "node:fs";
import { constants, crc32, deflateRawSync } from "node:zlib";

/**
 * How much earlier text primes each block. Deflate can refer back 32 KiB (RFC 1951 §2), but
 * priming costs time per block: on packet + truth lines in 30-line blocks a 4 KiB dictionary
 * measured 112 µs per block at 13.5x compression, 32 KiB 222 µs at 13.8x.
 */
const WINDOW_BYTES = 4 * 1024;
/** gzip member header (RFC 1952 §2.3): magic, CM=8 (deflate), no flags, no mtime, OS=255 (unknown). */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** An empty final fixed-Huffman deflate block (BFINAL=1, BTYPE=01, end-of-block), byte-aligned. */
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);

/**
 * Writes one gzip member synchronously, block by block, each block ending in a sync flush so
 * that the file on disk is, after every `writeBlock`, a readable (if trailer-less) gzip prefix:
 * a process killed with SIGKILL leaves everything up to its last block decodable.
 *
 * Why not zlib.createGzip + flush(Z_SYNC_FLUSH)? That stream compresses on the thread pool and
 * hands output back asynchronously, so a busy or killed process can lose flushed data, and a
 * synchronous producer (the simulator) would queue a whole file in memory. Node has no public
 * synchronous streaming deflate, so each block is compressed with `deflateRawSync`, primed with
 * the previous text (WINDOW_BYTES) as its preset dictionary: the raw outputs then concatenate into
 * one valid deflate stream that can refer back exactly as a single stream would, and compression
 * stays close to whole-file gzip (measured 12.1x vs 14.1x on packet lines with 20-line blocks
 * and a 32 KiB dictionary; independent gzip members per block gave 4.7x).
 */
export class SyncGzipWriter {
  readonly #fd: number;
  readonly #level: number;
  #history: Buffer = Buffer.alloc(0);
  #crc = 0;
  #size = 0;
  #finished = false;

  constructor(fd: number, level = 6) {
    this.#fd = fd;
    this.#level = level;
    writeSync(fd, GZIP_HEADER);
  }

  /** Compresses `data` as the next block(s) and writes them; returns compressed bytes written. */
  writeBlock(data: Buffer): number {
    if (this.#finished) throw new Error("gzip member already finished");
    if (data.length === 0) return 0;
    const out = deflateRawSync(data, {
      level: this.#level,
      finishFlush: constants.Z_SYNC_FLUSH,
      ...(this.#history.length > 0 ? { dictionary: this.#history } : {}),
    });
    writeSync(this.#fd, out);
    this.#crc = crc32(data, this.#crc);
    this.#size = (this.#size + data.length) >>> 0; // ISIZE is the length modulo 2^32 (RFC 1952)
    this.#history =
      data.length >= WINDOW_BYTES
        ? Buffer.from(data.subarray(data.length - WINDOW_BYTES))
        : Buffer.concat([this.#history, data]).subarray(Math.max(0, this.#history.length + data.length - WINDOW_BYTES));
    return out.length;
  }

  /** Ends the deflate stream and writes the CRC-32 and size trailer. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.#crc >>> 0, 0);
    trailer.writeUInt32LE(this.#size, 4);
    writeSync(this.#fd, Buffer.concat([FINAL_EMPTY_BLOCK, trailer]));
  }
}

import { isAscii } from "node:buffer";

/**
 * Splits a byte stream into text lines without the `\n` (and without a `\r` before it).
 * Works on bytes first: the bytes after a chunk's last newline are carried over, so a line (and
 * a multi-byte UTF-8 character) split across chunks is joined before decoding. Each chunk's
 * run of whole lines is decoded once (as latin1 when it is pure ASCII, which is faster and gives
 * V8 one-byte strings that JSON.parse reads faster; UTF-8 otherwise) and cut with indexOf.
 * Measured faster than node:readline on NDJSON (docs/BENCHMARKS.md, Recording). `end()` returns
 * the unterminated rest, so a file cut mid-line can be reported rather than silently dropped.
 */
export class LineSplitter {
  #carry: Buffer | null = null;

  /** Appends the complete lines this chunk finishes to `out`. */
  push(chunk: Buffer, out: string[]): void {
    const lastNl = chunk.lastIndexOf(10);
    if (lastNl === -1) {
      this.#carry = this.#carry ? Buffer.concat([this.#carry, chunk]) : Buffer.from(chunk);
      return;
    }
    let start = 0;
    if (this.#carry !== null) {
      // The line begun in an earlier chunk ends at this chunk's first newline.
      const firstNl = chunk.indexOf(10);
      out.push(stripCr(decode(Buffer.concat([this.#carry, chunk.subarray(0, firstNl)]))));
      this.#carry = null;
      start = firstNl + 1;
    }
    if (lastNl + 1 < chunk.length) this.#carry = Buffer.from(chunk.subarray(lastNl + 1));
    if (start > lastNl) return;
    const text = decode(chunk.subarray(start, lastNl + 1));
    let from = 0;
    let nl = text.indexOf("\n");
    while (nl !== -1) {
      const end = nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      out.push(text.slice(from, end));
      from = nl + 1;
      nl = text.indexOf("\n", from);
    }
  }

  /** The unterminated rest of the stream ("" when it ended with a newline). */
  end(): string {
    const rest = this.#carry ? decode(this.#carry) : "";
    this.#carry = null;
    return rest;
  }

  reset(): void {
    this.#carry = null;
  }
}

function decode(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}

function stripCr(line: string): string {
  return line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

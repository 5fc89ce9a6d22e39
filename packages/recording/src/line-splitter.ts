import { StringDecoder } from "node:string_decoder";

/**
 * Splits a byte stream into text lines without the `\n` (and without a `\r` before it). Each
 * chunk is decoded once as UTF-8 (StringDecoder keeps a multi-byte character split across chunks
 * intact) and cut with indexOf, which measured faster than node:readline on NDJSON (see
 * docs/BENCHMARKS.md, Recording). Whatever follows the last `\n` is carried into the next chunk;
 * `end()` returns it, so a file cut mid-line can be reported rather than silently dropped.
 */
export class LineSplitter {
  #decoder = new StringDecoder("utf8");
  #carry = "";

  /** Appends the complete lines this chunk finishes to `out`. */
  push(chunk: Buffer, out: string[]): void {
    let text = this.#decoder.write(chunk);
    if (this.#carry !== "") text = this.#carry + text;
    let start = 0;
    let nl = text.indexOf("\n", start);
    while (nl !== -1) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      out.push(text.slice(start, end));
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    this.#carry = start === 0 ? text : text.slice(start);
  }

  /** The unterminated rest of the stream ("" when it ended with a newline). */
  end(): string {
    const rest = this.#carry + this.#decoder.end();
    this.#carry = "";
    return rest;
  }

  reset(): void {
    this.#decoder = new StringDecoder("utf8");
    this.#carry = "";
  }
}

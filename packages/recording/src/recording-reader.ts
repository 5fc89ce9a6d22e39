import type { DataLine, HeaderLine } from "@spinewatch/protocol";
import { DecodedByteSource } from "./decoded-byte-source.js";
import { DataLineParser } from "./data-line-parser.js";
import { parseHeaderText } from "./header-validation.js";
import { LineSplitter } from "./line-splitter.js";
import { RecordingError, formatLocation, type RecordingProblem } from "./recording-error.js";

/** One delivered data line and its 1-based line number in the (decompressed) file. */
export interface RecordingLineItem {
  lineNo: number;
  line: DataLine;
  problem?: undefined;
}
/** One malformed line (or the end of a cut-off file), in file order among the lines. */
export interface RecordingProblemItem {
  lineNo: number;
  problem: RecordingProblem;
  line?: undefined;
}
export type RecordingItem = RecordingLineItem | RecordingProblemItem;

export interface OpenRecordingOptions {
  /** Called for every problem as it is found (besides the in-band items and `problems`). */
  onProblem?: (problem: RecordingProblem) => void;
  /** How many problems `problems` keeps (all are counted in `problemCount`); default 1000. */
  maxStoredProblems?: number;
  /** Read size in bytes; default 1 MiB. */
  chunkBytes?: number;
  /**
   * Line types to drop unread, e.g. `["truth", "truth-event"]` when ground truth is not wanted
   * (a simulated hour has 360,000 truth lines). Counted in `skippedCount`, never checked.
   */
  skipTypes?: readonly string[];
}

/**
 * A recording opened for one streaming pass (CONTRACTS.md §1). The header is read and checked
 * by `openRecording`; data lines are then read lazily, chunk by chunk, so a 1-hour recording is
 * never in memory whole. Iterate with `lines()` (or `for await` on the reader), `items()` for
 * problems in-band, or `batches()` (the fast path: one array per read chunk).
 */
export interface RecordingReader extends AsyncIterable<RecordingLineItem> {
  readonly path: string;
  readonly gzip: boolean;
  readonly header: HeaderLine;
  /** The first `maxStoredProblems` problems found so far, in file order. */
  readonly problems: readonly RecordingProblem[];
  /** Every problem found so far. */
  readonly problemCount: number;
  /** Lines of unknown type skipped so far, by type (CONTRACTS.md §1: readers skip them). */
  readonly unknownTypes: ReadonlyMap<string, number>;
  readonly unknownTypeCount: number;
  /** Lines dropped unread because of `skipTypes`. */
  readonly skippedCount: number;
  /** Number of the last line read so far (the header is line 1). */
  readonly lineCount: number;
  /** True once the last line has been read. */
  readonly done: boolean;
  lines(): AsyncIterable<RecordingLineItem>;
  items(): AsyncIterable<RecordingItem>;
  batches(): AsyncIterable<readonly RecordingItem[]>;
  close(): Promise<void>;
}

function reasonOf(err: unknown): string {
  if (err && typeof err === "object" && "code" in err && (err as { code: unknown }).code === "ENOENT") {
    return "no such file";
  }
  if (err && typeof err === "object" && "code" in err && (err as { code: unknown }).code === "EISDIR") {
    return "is a directory, not a recording";
  }
  return err instanceof Error ? err.message : String(err);
}

class FileRecordingReader implements RecordingReader {
  readonly path: string;
  readonly gzip: boolean;
  readonly header: HeaderLine;
  readonly problems: RecordingProblem[] = [];
  problemCount = 0;
  readonly unknownTypes = new Map<string, number>();
  unknownTypeCount = 0;
  lineCount = 1;
  done = false;
  readonly #puller: DecodedByteSource;
  readonly #splitter: LineSplitter;
  readonly #parser: DataLineParser;
  readonly #options: OpenRecordingOptions;
  readonly #maxStored: number;
  #firstTexts: string[];
  #started = false;

  constructor(
    path: string,
    gzip: boolean,
    header: HeaderLine,
    puller: DecodedByteSource,
    splitter: LineSplitter,
    firstTexts: string[],
    options: OpenRecordingOptions,
  ) {
    this.path = path;
    this.gzip = gzip;
    this.header = header;
    this.#puller = puller;
    this.#splitter = splitter;
    this.#firstTexts = firstTexts;
    this.#options = options;
    this.#maxStored = options.maxStoredProblems ?? 1000;
    this.#parser = new DataLineParser(
      path,
      header.sensors.map((s) => s.id),
      options.skipTypes ? { skipTypes: options.skipTypes } : {},
    );
  }

  get skippedCount(): number {
    return this.#parser.skippedCount;
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordingLineItem> {
    return this.lines()[Symbol.asyncIterator]();
  }

  async *lines(): AsyncGenerator<RecordingLineItem> {
    for await (const batch of this.batches()) {
      for (const item of batch) if (item.line !== undefined) yield item;
    }
  }

  async *items(): AsyncGenerator<RecordingItem> {
    for await (const batch of this.batches()) yield* batch;
  }

  async *batches(): AsyncGenerator<readonly RecordingItem[]> {
    if (this.#started) throw new Error(`${this.path}: a recording reader reads once; open the file again to re-read`);
    this.#started = true;
    try {
      if (this.#firstTexts.length > 0) yield this.#parseTexts(this.#firstTexts);
      this.#firstTexts = [];
      const texts: string[] = [];
      for (;;) {
        let chunk: Buffer | null;
        try {
          chunk = await this.#puller.next();
        } catch (err) {
          const tail = this.#finish(err);
          if (tail.length > 0) yield tail;
          return;
        }
        if (chunk === null) {
          const tail = this.#finish(null);
          if (tail.length > 0) yield tail;
          return;
        }
        texts.length = 0;
        this.#splitter.push(chunk, texts);
        if (texts.length > 0) yield this.#parseTexts(texts);
      }
    } finally {
      this.#puller.destroy();
    }
  }

  async close(): Promise<void> {
    this.#puller.destroy();
  }

  #parseTexts(texts: readonly string[]): RecordingItem[] {
    const items: RecordingItem[] = [];
    const parser = this.#parser;
    let lineNo = this.lineCount;
    for (let i = 0; i < texts.length; i++) {
      lineNo++;
      const text = texts[i]!;
      if (text.length === 0) continue;
      const line = parser.parse(text, lineNo);
      if (line !== null) items.push({ lineNo, line });
      else if (parser.problem !== null) items.push(this.#record(parser.problem));
      else if (parser.unknownType !== null) this.#countUnknown(parser.unknownType);
    }
    this.lineCount = lineNo;
    return items;
  }

  /** The end of the stream: a last line without a newline, and how the stream ended. */
  #finish(err: unknown): RecordingItem[] {
    this.done = true;
    const items: RecordingItem[] = [];
    const rest = this.#splitter.end();
    let streamProblem: RecordingProblem | null = null;
    if (err !== null) {
      const lineNo = this.lineCount + 1;
      const zlibCode = err && typeof err === "object" && "code" in err ? String((err as { code: unknown }).code) : "";
      const isZlib = this.gzip && (zlibCode.startsWith("Z_") || /unexpected end|invalid|incorrect/i.test(reasonOf(err)));
      streamProblem = {
        lineNo,
        code: isZlib ? "truncated-gzip" : "read-error",
        message: formatLocation(
          this.path,
          lineNo,
          "",
          isZlib
            ? `gzip stream ends early or is damaged (${reasonOf(err)}); kept the ${this.lineCount} lines decoded before it`
            : `read failed (${reasonOf(err)}); kept the ${this.lineCount} lines read before it`,
        ),
      };
    }
    if (rest.trim() !== "") {
      const lineNo = this.lineCount + 1;
      this.lineCount = lineNo;
      // A final line without its newline still counts when it is whole JSON (a hand-made file);
      // otherwise the file was cut mid-write and we say where.
      const line = this.#parser.parse(rest, lineNo);
      if (line !== null) items.push({ lineNo, line });
      else if (this.#parser.problem?.code === "bad-json") {
        items.push(
          this.#record({
            lineNo,
            code: "truncated-line",
            message: formatLocation(
              this.path,
              lineNo,
              "",
              `file ends inside this line (cut off mid-write?); read up to line ${lineNo - 1}`,
            ),
          }),
        );
      } else if (this.#parser.problem !== null) items.push(this.#record(this.#parser.problem));
      else if (this.#parser.unknownType !== null) this.#countUnknown(this.#parser.unknownType);
    }
    if (streamProblem !== null) items.push(this.#record(streamProblem));
    return items;
  }

  #record(problem: RecordingProblem): RecordingProblemItem {
    this.problemCount++;
    if (this.problems.length < this.#maxStored) this.problems.push(problem);
    this.#options.onProblem?.(problem);
    return { lineNo: problem.lineNo, problem };
  }

  #countUnknown(type: string): void {
    this.unknownTypeCount++;
    this.unknownTypes.set(type, (this.unknownTypes.get(type) ?? 0) + 1);
  }
}

/**
 * Opens a recording (`.gz` by name is gunzipped on the fly) and reads and checks its header.
 * Throws `RecordingError` (one-line message with file, line and field) when the file cannot be
 * read or its header is not a valid v1 header; everything after the header is reported, not thrown.
 */
export async function openRecording(path: string, options: OpenRecordingOptions = {}): Promise<RecordingReader> {
  const gzip = path.endsWith(".gz");
  const puller = new DecodedByteSource(path, gzip, options.chunkBytes ?? 1 << 20);
  const splitter = new LineSplitter();
  const texts: string[] = [];
  let ended = false;
  try {
    while (texts.length === 0 && !ended) {
      const chunk = await puller.next();
      if (chunk === null) ended = true;
      else splitter.push(chunk, texts);
    }
  } catch (err) {
    puller.destroy();
    const what = gzip ? "cannot read as gzip" : "cannot read";
    throw new RecordingError("unreadable", path, undefined, [{ field: "", reason: `${what}: ${reasonOf(err)}` }]);
  }
  let headerText = texts.shift();
  if (headerText === undefined) {
    headerText = splitter.end();
    if (headerText.trim() === "") {
      throw new RecordingError("bad-header", path, 1, [{ field: "header", reason: "the file is empty (expected a header line)" }]);
    }
  }
  let header: HeaderLine;
  try {
    header = parseHeaderText(headerText, path);
  } catch (err) {
    puller.destroy();
    throw err;
  }
  return new FileRecordingReader(path, gzip, header, puller, splitter, texts, options);
}

/** Alias of `openRecording` (the name the cross-package seams use). */
export const readRecording = openRecording;

/** Reads only the header of a recording, then closes it. */
export async function readRecordingHeader(path: string): Promise<HeaderLine> {
  const reader = await openRecording(path);
  await reader.close();
  return reader.header;
}

/**
 * Errors and problems of recording files (CONTRACTS.md §1). A bad header makes the whole file
 * unusable, so it throws a `RecordingError`; a bad data line only costs that line, so it becomes
 * a `RecordingProblem` that travels in-band and is counted (DESIGN.md: problems in-band).
 */

/** One bad field, as `file:line: field: reason`. */
export interface RecordingFieldIssue {
  field: string;
  reason: string;
}

export type RecordingErrorCode = "bad-header" | "unreadable" | "bad-usage";

/**
 * A file that cannot be read as a recording at all (missing, not gzip, bad header). The message
 * is one line, `recording.ndjson:1: header.sensors[1].mount.up: expected one of ..., got "up"`,
 * meant to be printed as is by the CLI, which then exits with code 2 (CONTRACTS.md §2).
 */
export class RecordingError extends Error {
  override readonly name = "RecordingError";
  readonly code: RecordingErrorCode;
  readonly file: string;
  /** 1-based line number, when the error belongs to a line. */
  readonly lineNo: number | undefined;
  /** Dotted path of the first bad field, e.g. `header.sensors[1].mount.up`. */
  readonly field: string | undefined;
  /** Every bad field found (the message names the first). */
  readonly issues: readonly RecordingFieldIssue[];

  constructor(
    code: RecordingErrorCode,
    file: string,
    lineNo: number | undefined,
    issues: readonly RecordingFieldIssue[],
  ) {
    const first = issues[0] ?? { field: "", reason: "unknown error" };
    super(formatLocation(file, lineNo, first.field, first.reason));
    this.code = code;
    this.file = file;
    this.lineNo = lineNo;
    this.field = first.field || undefined;
    this.issues = issues;
  }
}

export function isRecordingError(err: unknown): err is RecordingError {
  return err instanceof RecordingError;
}

/** Why a data line was not delivered (or how the file ended). */
export type RecordingProblemCode =
  /** Not valid JSON, or not a JSON object. */
  | "bad-json"
  /** A known line type with a missing or wrongly typed field. */
  | "bad-field"
  /** `tMs` smaller than an earlier line's (CONTRACTS.md §1: non-decreasing). */
  | "time-backwards"
  /** A line naming a sensor the header does not declare. */
  | "unknown-sensor"
  /** The file ends inside a line (cut off mid-write, e.g. power loss). */
  | "truncated-line"
  /** The gzip stream ends early or is corrupt past some point; what decoded before is kept. */
  | "truncated-gzip"
  /** The file could not be read to its end. */
  | "read-error";

/** One problem, with the 1-based line number it belongs to. */
export interface RecordingProblem {
  lineNo: number;
  code: RecordingProblemCode;
  /** Dotted field path, for `bad-field`. */
  field?: string;
  /** One line: `file:line: field: reason`. */
  message: string;
}

export function formatLocation(file: string, lineNo: number | undefined, field: string, reason: string): string {
  const where = lineNo === undefined ? file : `${file}:${lineNo}`;
  return field ? `${where}: ${field}: ${reason}` : `${where}: ${reason}`;
}

/** Short, printable rendering of a bad value for error messages (never more than ~40 chars). */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

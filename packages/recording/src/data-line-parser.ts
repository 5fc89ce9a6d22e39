import type { DataLine, PacketLine } from "@spinewatch/protocol";
import { checkLimits } from "./header-validation.js";
import {
  describeValue,
  formatLocation,
  type RecordingFieldIssue,
  type RecordingProblem,
  type RecordingProblemCode,
} from "./recording-error.js";

const LINK_STATES: readonly unknown[] = ["connecting", "streaming", "lost", "reconnected"];
const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;
const TYPE_PREFIX = '{"type":"';
/**
 * A packet line exactly as JSON.stringify writes it: fields in CONTRACTS.md order, nothing more,
 * strings without escapes, hex already checked. One native regex match measured about half the
 * time of JSON.parse on such lines (docs/BENCHMARKS.md, Recording).
 */
const CANONICAL_PACKET =
  /^\{"type":"packet","tMs":(-?[0-9][0-9.eE+-]*),"sensor":"([^"\\]*)","char":"([^"\\]*)","hex":"((?:[0-9a-fA-F]{2})*)"\}$/;

export interface DataLineParserOptions {
  /**
   * Line types to skip without parsing (e.g. `truth` when nobody wants ground truth): a line
   * whose text starts `{"type":"<type>"` is dropped unread and counted in `skippedCount`.
   */
  skipTypes?: Iterable<string>;
}

function isNum(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

function isVec(v: unknown, n: number): boolean {
  if (!Array.isArray(v) || v.length !== n) return false;
  for (let i = 0; i < n; i++) if (!isNum(v[i])) return false;
  return true;
}

/**
 * Turns the text of one data line into a checked `DataLine` (CONTRACTS.md §1), or explains why
 * not. One instance per pass over a file: it remembers the last `tMs` to enforce the
 * non-decreasing rule. Allocation-light on purpose (one JSON.parse per line, no wrapper
 * objects): `parse` returns the line or `null`, and on `null` the reason is in `problem`
 * (a malformed line) or `unknownType` (a line type this version does not know, skipped).
 * Unknown fields are left on the parsed object and never interpreted.
 *
 * Fast path: a packet line in the exact form JSON.stringify gives it (fields in CONTRACTS.md
 * order, nothing extra, no escapes) is matched by one regex instead of JSON.parse; anything else
 * takes the general path, so the result and the checks are the same either way.
 */
export class DataLineParser {
  readonly #file: string;
  readonly #sensorIds: ReadonlySet<string>;
  readonly #skipTypes: ReadonlySet<string>;
  #lastTMs = -Infinity;
  /** Lines dropped unread because of `skipTypes`. */
  skippedCount = 0;
  /** Why the last `parse` returned null, if the line was malformed. */
  problem: RecordingProblem | null = null;
  /** The type of the last line skipped as unknown, if that is why `parse` returned null. */
  unknownType: string | null = null;

  constructor(file: string, sensorIds: Iterable<string>, options: DataLineParserOptions = {}) {
    this.#file = file;
    this.#sensorIds = new Set(sensorIds);
    this.#skipTypes = new Set(options.skipTypes ?? []);
  }

  /** `tMs` of the last delivered line that has one (-Infinity before the first). */
  get lastTMs(): number {
    return this.#lastTMs;
  }

  reset(): void {
    this.#lastTMs = -Infinity;
    this.problem = null;
    this.unknownType = null;
  }

  parse(text: string, lineNo: number): DataLine | null {
    this.problem = null;
    this.unknownType = null;
    if (this.#skipTypes.size > 0 && text.startsWith(TYPE_PREFIX)) {
      const type = text.slice(TYPE_PREFIX.length, text.indexOf('"', TYPE_PREFIX.length));
      if (this.#skipTypes.has(type)) {
        this.skippedCount++;
        return null;
      }
    }
    const packet = this.#fastPacket(text);
    if (packet !== null && packet.tMs >= this.#lastTMs) {
      this.#lastTMs = packet.tMs;
      return packet;
    }
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(text);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return this.#fail(lineNo, "bad-json", "", `not valid JSON: ${reason}`);
    }
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
      return this.#fail(lineNo, "bad-json", "", `expected a JSON object, got ${describeValue(obj)}`);
    }
    const type = obj.type;
    let issue: RecordingFieldIssue | null;
    switch (type) {
      case "packet":
        issue = this.#checkPacket(obj);
        break;
      case "sample":
        issue = this.#checkSample(obj);
        break;
      case "event":
        issue = checkEvent(obj);
        break;
      case "status":
        issue = this.#checkStatus(obj);
        break;
      case "truth":
        issue = checkTruth(obj);
        break;
      case "truth-event":
        issue = checkTruthEvent(obj);
        break;
      case "header":
        return this.#fail(lineNo, "bad-field", "type", "a second header line (only line 1 may be a header)");
      default:
        if (typeof type !== "string") {
          return this.#fail(lineNo, "bad-field", "type", `expected a line type string, got ${describeValue(type)}`);
        }
        this.unknownType = type;
        return null;
    }
    if (issue !== null) {
      const code: RecordingProblemCode = issue.field === "sensor" && typeof obj.sensor === "string" ? "unknown-sensor" : "bad-field";
      return this.#fail(lineNo, code, `${type}.${issue.field}`, issue.reason);
    }
    if (type !== "truth-event") {
      const tMs = obj.tMs as number;
      if (tMs < this.#lastTMs) {
        return this.#fail(
          lineNo,
          "time-backwards",
          `${type}.tMs`,
          `${tMs} is earlier than ${this.#lastTMs} on an earlier line (tMs must not decrease)`,
        );
      }
      this.#lastTMs = tMs;
    }
    return obj as unknown as DataLine;
  }

  /** A canonical packet line, or null to let the general path decide. */
  #fastPacket(text: string): PacketLine | null {
    const m = CANONICAL_PACKET.exec(text);
    if (m === null) return null;
    const tMs = Number(m[1]);
    const sensor = m[2]!;
    if (!(tMs >= 0 && tMs < Infinity) || !this.#sensorIds.has(sensor)) return null;
    return { type: "packet", tMs, sensor, char: m[3]!, hex: m[4]! };
  }

  #fail(lineNo: number, code: RecordingProblemCode, field: string, reason: string): null {
    this.problem = { lineNo, code, message: formatLocation(this.#file, lineNo, field, reason) };
    if (field) this.problem.field = field;
    return null;
  }

  #checkSensor(obj: Record<string, unknown>): RecordingFieldIssue | null {
    const sensor = obj.sensor;
    if (typeof sensor !== "string") return { field: "sensor", reason: `expected a sensor id string, got ${describeValue(sensor)}` };
    if (!this.#sensorIds.has(sensor)) {
      return { field: "sensor", reason: `${describeValue(sensor)} is not a sensor of the header (${[...this.#sensorIds].join(", ")})` };
    }
    return null;
  }

  #checkPacket(obj: Record<string, unknown>): RecordingFieldIssue | null {
    if (!isNum(obj.tMs) || obj.tMs < 0) return tMsIssue(obj.tMs);
    const s = this.#checkSensor(obj);
    if (s) return s;
    if (typeof obj.char !== "string") return { field: "char", reason: `expected a UUID string, got ${describeValue(obj.char)}` };
    if (typeof obj.hex !== "string" || !HEX_RE.test(obj.hex)) {
      return { field: "hex", reason: `expected bytes as an even number of hex digits, got ${describeValue(obj.hex)}` };
    }
    return null;
  }

  #checkSample(obj: Record<string, unknown>): RecordingFieldIssue | null {
    if (!isNum(obj.tMs) || obj.tMs < 0) return tMsIssue(obj.tMs);
    const s = this.#checkSensor(obj);
    if (s) return s;
    if (!isVec(obj.accMps2, 3)) return vecIssue("accMps2", 3, obj.accMps2);
    if (!isVec(obj.gyrDps, 3)) return vecIssue("gyrDps", 3, obj.gyrDps);
    if (obj.magUt !== undefined && !isVec(obj.magUt, 3)) return vecIssue("magUt", 3, obj.magUt);
    if (obj.quatWxyz !== undefined && !isVec(obj.quatWxyz, 4)) return vecIssue("quatWxyz", 4, obj.quatWxyz);
    if (obj.sensorTimeUs !== undefined && !isNum(obj.sensorTimeUs)) {
      return { field: "sensorTimeUs", reason: `expected a number, got ${describeValue(obj.sensorTimeUs)}` };
    }
    return null;
  }

  #checkStatus(obj: Record<string, unknown>): RecordingFieldIssue | null {
    if (!isNum(obj.tMs) || obj.tMs < 0) return tMsIssue(obj.tMs);
    const s = this.#checkSensor(obj);
    if (s) return s;
    if (!LINK_STATES.includes(obj.state)) {
      return { field: "state", reason: `expected one of ${LINK_STATES.join(" ")}, got ${describeValue(obj.state)}` };
    }
    if (obj.detail !== undefined && typeof obj.detail !== "string") {
      return { field: "detail", reason: `expected a string, got ${describeValue(obj.detail)}` };
    }
    return null;
  }
}

function tMsIssue(v: unknown): RecordingFieldIssue {
  return { field: "tMs", reason: `expected a number of milliseconds >= 0, got ${describeValue(v)}` };
}

function vecIssue(field: string, n: number, v: unknown): RecordingFieldIssue {
  return { field, reason: `expected an array of ${n} numbers, got ${describeValue(v)}` };
}

function optionalIssue(obj: Record<string, unknown>, field: string, kind: "number" | "string"): RecordingFieldIssue | null {
  const v = obj[field];
  if (v === undefined) return null;
  const ok = kind === "number" ? isNum(v) : typeof v === "string";
  return ok ? null : { field, reason: `expected a ${kind}, got ${describeValue(v)}` };
}

function checkEvent(obj: Record<string, unknown>): RecordingFieldIssue | null {
  if (!isNum(obj.tMs) || obj.tMs < 0) return tMsIssue(obj.tMs);
  if (typeof obj.kind !== "string") return { field: "kind", reason: `expected a string, got ${describeValue(obj.kind)}` };
  if (obj.durationMs !== undefined && (!isNum(obj.durationMs) || obj.durationMs < 0)) {
    return { field: "durationMs", reason: `expected a number >= 0, got ${describeValue(obj.durationMs)}` };
  }
  const issue = optionalIssue(obj, "name", "string") ?? optionalIssue(obj, "text", "string") ?? optionalIssue(obj, "value", "number");
  if (issue) return issue;
  if (obj.kind === "exercise" && typeof obj.name !== "string") {
    return { field: "name", reason: `an exercise event needs the exercise name, got ${describeValue(obj.name)}` };
  }
  if (obj.limits !== undefined || obj.kind === "limits") {
    const issues: RecordingFieldIssue[] = [];
    checkLimits(obj.limits, "limits", issues);
    if (issues.length > 0) return issues[0]!;
  }
  return null;
}

function checkTruth(obj: Record<string, unknown>): RecordingFieldIssue | null {
  if (!isNum(obj.tMs) || obj.tMs < 0) return tMsIssue(obj.tMs);
  for (const f of ["flexionDeg", "lateralBendDeg", "axialRotationDeg", "pelvisTiltDeg"]) {
    if (!isNum(obj[f])) return { field: f, reason: `expected a number, got ${describeValue(obj[f])}` };
  }
  return optionalIssue(obj, "thoraxInclinationDeg", "number") ?? optionalIssue(obj, "pelvisObliquityDeg", "number") ?? optionalIssue(obj, "phase", "string");
}

function checkTruthEvent(obj: Record<string, unknown>): RecordingFieldIssue | null {
  if (typeof obj.kind !== "string") return { field: "kind", reason: `expected a string, got ${describeValue(obj.kind)}` };
  if (!isNum(obj.startMs)) return { field: "startMs", reason: `expected a number, got ${describeValue(obj.startMs)}` };
  if (!isNum(obj.endMs) || obj.endMs < obj.startMs) {
    return { field: "endMs", reason: `expected a number >= startMs, got ${describeValue(obj.endMs)}` };
  }
  return null;
}

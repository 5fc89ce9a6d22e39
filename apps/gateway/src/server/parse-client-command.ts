import {
  MAX_CLIENT_MESSAGE_BYTES,
  RANGE_LIMIT_FIELDS,
  type ClientCommand,
  type ClientCommandType,
  type WireErrorCode,
} from "@spinewatch/protocol";

export type ParsedCommand =
  | { ok: true; command: ClientCommand }
  | { ok: false; id?: string; code: WireErrorCode; message: string };

type FieldKind = "string" | "number" | "finite-positive" | "object" | "limits" | "mark-kind";
type FieldSpec = Record<string, { kind: FieldKind; optional?: boolean }>;

/**
 * What each command carries besides `type` and `id` (packages/protocol wire.ts, docs/PROTOCOL.md).
 * Checked here, at the edge, so that nothing downstream sees a wrong field type.
 */
const COMMAND_FIELDS: Record<ClientCommandType, FieldSpec> = {
  "calibrate-neutral": { durationMs: { kind: "finite-positive", optional: true } },
  "calibrate-bend": { durationMs: { kind: "finite-positive", optional: true } },
  "set-exercise": { exercise: { kind: "string" } },
  "set-limits": { limits: { kind: "limits" } },
  "start-recording": {},
  "stop-recording": {},
  "replay-pause": {},
  "replay-resume": {},
  "replay-seek": { tMs: { kind: "number" } },
  "replay-rate": { rate: { kind: "finite-positive" } },
  "replay-session": { session: { kind: "string" } },
  mark: { kind: { kind: "mark-kind" }, text: { kind: "string", optional: true }, value: { kind: "number", optional: true } },
  "assign-roles": { sacrum: { kind: "string" }, thoracolumbar: { kind: "string" } },
  hello: { token: { kind: "string", optional: true } },
};

const LIMIT_FIELDS: ReadonlySet<string> = new Set(RANGE_LIMIT_FIELDS);
const MAX_TEXT_CHARS = 2000;
const MAX_LIMIT_DEG = 180;

/** Parses and checks one client message; never throws. */
export function parseClientCommand(data: string, byteLength: number): ParsedCommand {
  if (byteLength > MAX_CLIENT_MESSAGE_BYTES) {
    return { ok: false, code: "too-large", message: `message of ${byteLength} bytes exceeds the ${MAX_CLIENT_MESSAGE_BYTES}-byte limit` };
  }
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (err) {
    return { ok: false, code: "bad-json", message: `malformed JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, code: "bad-json", message: "a command must be a JSON object" };
  }
  const msg = value as Record<string, unknown>;
  const id = typeof msg.id === "string" ? msg.id : undefined;
  if (typeof msg.type !== "string") return { ok: false, id, code: "bad-field", message: "type: missing or not a string" };
  const spec = (COMMAND_FIELDS as Record<string, FieldSpec | undefined>)[msg.type];
  if (!spec) return { ok: false, id, code: "unknown-type", message: `unknown command type '${msg.type.slice(0, 64)}'` };
  if (typeof msg.id !== "string" || msg.id.length === 0 || msg.id.length > 128) {
    return { ok: false, code: "bad-field", message: `${msg.type}.id: missing or not a string of 1-128 characters` };
  }
  for (const [field, rule] of Object.entries(spec)) {
    const problem = checkField(msg[field], rule.kind, rule.optional ?? false);
    if (problem) return { ok: false, id, code: "bad-field", message: `${msg.type}.${field}: ${problem}` };
  }
  return { ok: true, command: msg as unknown as ClientCommand };
}

function checkField(v: unknown, kind: FieldKind, optional: boolean): string | null {
  if (v === undefined) return optional ? null : "missing";
  switch (kind) {
    case "string":
      if (typeof v !== "string") return `expected a string, got ${describe(v)}`;
      return v.length > MAX_TEXT_CHARS ? `longer than ${MAX_TEXT_CHARS} characters` : null;
    case "number":
      return typeof v === "number" && Number.isFinite(v) ? null : `expected a finite number, got ${describe(v)}`;
    case "finite-positive":
      return typeof v === "number" && Number.isFinite(v) && v > 0 ? null : `expected a positive number, got ${describe(v)}`;
    case "mark-kind":
      return v === "note" || v === "rpe" || v === "comfort" ? null : `expected "note", "rpe" or "comfort", got ${describe(v)}`;
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v) ? null : `expected an object, got ${describe(v)}`;
    case "limits": {
      if (typeof v !== "object" || v === null || Array.isArray(v)) return `expected an object, got ${describe(v)}`;
      for (const [k, deg] of Object.entries(v)) {
        if (!LIMIT_FIELDS.has(k)) return `unknown limit '${k.slice(0, 64)}'`;
        if (typeof deg !== "number" || !Number.isFinite(deg) || deg < 0 || deg > MAX_LIMIT_DEG) {
          return `${k}: expected degrees in 0..${MAX_LIMIT_DEG}, got ${describe(deg)}`;
        }
      }
      return null;
    }
  }
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `a string`;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "a non-finite number";
  return `a ${typeof v}`;
}

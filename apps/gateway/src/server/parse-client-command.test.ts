import { describe, expect, it } from "vitest";
import { MAX_CLIENT_MESSAGE_BYTES } from "@spinewatch/protocol";
import { parseClientCommand } from "./parse-client-command.js";

const parse = (text: string) => parseClientCommand(text, Buffer.byteLength(text));

describe("parseClientCommand", () => {
  it("accepts each well-formed command", () => {
    const good = [
      { type: "calibrate-neutral", id: "1" },
      { type: "calibrate-bend", id: "2", durationMs: 5000 },
      { type: "set-exercise", id: "3", exercise: "deadlift" },
      { type: "set-limits", id: "4", limits: { flexionDeg: 30, rotationLeftDeg: 5 } },
      { type: "start-recording", id: "5" },
      { type: "replay-seek", id: "6", tMs: 1200 },
      { type: "replay-rate", id: "7", rate: 4 },
      { type: "mark", id: "8", kind: "rpe", value: 7 },
      { type: "hello", id: "9", token: "abc" },
    ];
    for (const cmd of good) expect(parse(JSON.stringify(cmd))).toEqual({ ok: true, command: cmd });
  });

  it("names malformed JSON", () => {
    const r = parse("{not json");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe("bad-json");
      expect(r.message).toMatch(/^malformed JSON/);
    }
  });

  it("names an unknown type and keeps the request id", () => {
    expect(parse(JSON.stringify({ type: "launch-rocket", id: "x1" }))).toEqual({
      ok: false,
      id: "x1",
      code: "unknown-type",
      message: "unknown command type 'launch-rocket'",
    });
  });

  it("names the field of the wrong type", () => {
    const cases: [unknown, string][] = [
      [{ type: "replay-seek", id: "a", tMs: "12" }, "replay-seek.tMs: expected a finite number, got a string"],
      [{ type: "replay-rate", id: "a", rate: -1 }, "replay-rate.rate: expected a positive number, got -1"],
      [{ type: "set-limits", id: "a", limits: { flexionDeg: "lots" } }, "set-limits.limits: flexionDeg: expected degrees in 0..180, got a string"],
      [{ type: "set-limits", id: "a", limits: { kneeDeg: 3 } }, "set-limits.limits: unknown limit 'kneeDeg'"],
      [{ type: "set-exercise", id: "a" }, "set-exercise.exercise: missing"],
      [{ type: "mark", id: "a", kind: "shout" }, 'mark.kind: expected "note", "rpe" or "comfort", got a string'],
      [{ type: "start-recording" }, "start-recording.id: missing or not a string of 1-128 characters"],
      [{ type: 7, id: "a" }, "type: missing or not a string"],
    ];
    for (const [cmd, message] of cases) {
      const r = parse(JSON.stringify(cmd));
      expect(r).toMatchObject({ ok: false, code: "bad-field", message });
    }
  });

  it("refuses non-object JSON", () => {
    expect(parse("[1,2]")).toMatchObject({ ok: false, code: "bad-json", message: "a command must be a JSON object" });
    expect(parse("null")).toMatchObject({ ok: false, code: "bad-json" });
  });

  it("refuses an oversized message before parsing it", () => {
    const big = JSON.stringify({ type: "mark", id: "a", kind: "note", text: "x".repeat(MAX_CLIENT_MESSAGE_BYTES) });
    expect(parse(big)).toMatchObject({ ok: false, code: "too-large" });
  });
});

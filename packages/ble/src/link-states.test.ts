import { describe, expect, it } from "vitest";
import { backoffDelayMs, LINK_TRANSITIONS, nextPhase, type LinkPhase } from "./link-states.js";

const PHASES: LinkPhase[] = ["idle", "connecting", "configuring", "streaming", "lost", "reconnecting", "failed"];

describe("link transition table", () => {
  it("has one row per (phase, trigger) and reaches every phase", () => {
    const keys = LINK_TRANSITIONS.map((t) => `${t.from}|${t.on}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(LINK_TRANSITIONS.map((t) => t.to))).toEqual(new Set(PHASES));
  });

  it("stop returns every active phase to idle", () => {
    for (const p of PHASES.filter((p) => p !== "idle")) expect(nextPhase(p, "stop")).toBe("idle");
  });

  it("the lifecycle: connect, configure, stream, lose, retry, back", () => {
    const path: LinkPhase[] = ["idle"];
    for (const t of ["start", "connected", "configured", "disconnect", "retry", "connected", "configured"] as const) path.push(nextPhase(path.at(-1)!, t)!);
    expect(path).toEqual(["idle", "connecting", "configuring", "streaming", "lost", "reconnecting", "configuring", "streaming"]);
  });

  it("ignores triggers that do not apply (a stale disconnect while lost, data before start)", () => {
    expect(nextPhase("lost", "disconnect")).toBeUndefined();
    expect(nextPhase("idle", "connected")).toBeUndefined();
    expect(nextPhase("streaming", "retry")).toBeUndefined();
    expect(nextPhase("failed", "retry")).toBeUndefined();
  });
});

describe("backoff", () => {
  it("doubles from 500 ms and caps at 8 s (exact)", () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelayMs(n))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffDelayMs(3, { initialMs: 100, factor: 3, maxMs: 500, maxAttempts: 5 })).toBe(500);
    expect(backoffDelayMs(2, { initialMs: 100, factor: 3, maxMs: 500, maxAttempts: 5 })).toBe(300);
  });
});

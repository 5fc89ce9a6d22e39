import { describe, expect, it } from "vitest";
import { isValidSessionName } from "./sessions-store.js";

describe("isValidSessionName", () => {
  it("accepts the names the gateway makes", () => {
    expect(isValidSessionName("2026-11-21T10-00-00-sim")).toBe(true);
    expect(isValidSessionName("swing_1.part2")).toBe(true);
  });
  it("refuses anything that could leave the sessions directory", () => {
    for (const bad of ["..", "../etc/passwd", "a/b", "a\\b", ".hidden", "a..b", "a.", "", "x\0y", "%2e%2e", "a b", "a".repeat(129)]) {
      expect(isValidSessionName(bad), bad).toBe(false);
    }
  });
});

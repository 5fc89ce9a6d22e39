import { describe, expect, it } from "vitest";
import type { IncomingMessage } from "node:http";
import { AccessPolicy, generateToken, isLoopbackDefault } from "./access.js";

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const LOOPBACK = ["127.0.0.1", "localhost", "[::1]", "::1"];

describe("AccessPolicy", () => {
  it("treats only 127.0.0.1, localhost and ::1 as the unexposed default", () => {
    for (const h of ["127.0.0.1", "localhost", "::1"]) expect(isLoopbackDefault(h)).toBe(true);
    for (const h of ["127.0.0.2", "0.0.0.0", "192.168.1.5", "::"]) expect(isLoopbackDefault(h)).toBe(false);
  });

  it("accepts the page's own origin and no origin, refuses other sites", () => {
    const p = new AccessPolicy(null, LOOPBACK);
    expect(p.originAllowed(req({ host: "127.0.0.1:8080" }))).toBe(true);
    expect(p.originAllowed(req({ host: "127.0.0.1:8080", origin: "http://127.0.0.1:8080" }))).toBe(true);
    expect(p.originAllowed(req({ host: "127.0.0.1:8080", origin: "http://127.0.0.1:9999" }))).toBe(false);
    expect(p.originAllowed(req({ host: "127.0.0.1:8080", origin: "https://evil.example" }))).toBe(false);
    expect(p.originAllowed(req({ host: "127.0.0.1:8080", origin: "null" }))).toBe(false);
    const dev = new AccessPolicy(null, LOOPBACK, ["http://localhost:5173/"]);
    expect(dev.originAllowed(req({ host: "127.0.0.1:8080", origin: "http://localhost:5173" }))).toBe(true);
  });

  it("refuses a rebound Host on loopback, any Host when exposed", () => {
    const p = new AccessPolicy(null, LOOPBACK);
    expect(p.hostAllowed(req({ host: "localhost:8080" }))).toBe(true);
    expect(p.hostAllowed(req({ host: "[::1]:8080" }))).toBe(true);
    expect(p.hostAllowed(req({ host: "evil.example:8080" }))).toBe(false);
    expect(p.hostAllowed(req({}))).toBe(false);
    expect(new AccessPolicy("t", null).hostAllowed(req({ host: "192.168.1.5:8080" }))).toBe(true);
  });

  it("compares tokens exactly", () => {
    const token = generateToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const p = new AccessPolicy(token, null);
    expect(p.tokenRequired).toBe(true);
    expect(p.tokenMatches(token)).toBe(true);
    expect(p.tokenMatches(token.slice(1))).toBe(false);
    expect(p.tokenMatches(undefined)).toBe(false);
    expect(new AccessPolicy(null, LOOPBACK).tokenMatches(undefined)).toBe(true);
  });
});

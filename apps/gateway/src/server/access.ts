import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Hosts that count as "not exposed" (issue 5: a token is required for any other bind address). */
const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export const isLoopbackDefault = (host: string): boolean => LOOPBACK_NAMES.has(host);

export function generateToken(): string {
  return randomBytes(18).toString("base64url");
}

/**
 * Who may do what. On the default loopback bind nothing needs a token (only this machine's
 * users reach it; the Host and Origin checks keep web pages of other sites out). On any
 * other bind address control commands, the JSON API and downloads need the token.
 */
export class AccessPolicy {
  readonly token: string | null;
  readonly #allowedHosts: Set<string> | null;
  readonly #extraOrigins: Set<string>;

  /**
   * `allowedHosts`: Host header names accepted (null = any, when exposed with a token).
   * `extraOrigins`: origins besides the gateway's own that may connect (e.g. the Vite dev server).
   */
  constructor(token: string | null, allowedHosts: string[] | null, extraOrigins: string[] = []) {
    this.token = token;
    this.#allowedHosts = allowedHosts ? new Set(allowedHosts.map((h) => h.toLowerCase())) : null;
    this.#extraOrigins = new Set(extraOrigins.map((o) => o.toLowerCase().replace(/\/$/, "")));
  }

  get tokenRequired(): boolean {
    return this.token !== null;
  }

  tokenMatches(candidate: string | null | undefined): boolean {
    if (this.token === null) return true;
    if (typeof candidate !== "string") return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** The token from `Authorization: Bearer T` or `?token=T`. */
  requestToken(req: IncomingMessage, url: URL): string | null {
    const auth = req.headers.authorization;
    if (auth?.startsWith("Bearer ")) return auth.slice(7).trim();
    return url.searchParams.get("token");
  }

  /**
   * Host header check against DNS rebinding: a page on evil.example that re-points its name
   * at 127.0.0.1 still sends `Host: evil.example`, which is refused.
   */
  hostAllowed(req: IncomingMessage): boolean {
    if (this.#allowedHosts === null) return true;
    const host = (req.headers.host ?? "").toLowerCase().replace(/:\d+$/, "");
    return this.#allowedHosts.has(host);
  }

  /**
   * Origin check: browsers send Origin on WebSocket upgrades and cross-site requests; only the
   * dashboard's own origin (same host and port as the request) is accepted. Non-browser
   * clients send no Origin and are governed by the token alone.
   */
  originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    if (this.#extraOrigins.has(origin.toLowerCase())) return true;
    try {
      return new URL(origin).host.toLowerCase() === (req.headers.host ?? "").toLowerCase();
    } catch {
      return false;
    }
  }
}

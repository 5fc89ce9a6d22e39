import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { AccessPolicy } from "./access.js";
import type { DashboardAssets } from "./dashboard-assets.js";
import { sendFileBytes } from "./file-body.js";
import type { Gateway } from "./gateway.js";
import { isValidSessionName, type SessionsStore } from "./sessions-store.js";

/**
 * Largest WebSocket frame accepted at all; beyond it ws closes the connection (1009). Messages
 * between MAX_CLIENT_MESSAGE_BYTES (16 KB) and this get an `error` reply and the connection
 * stays up (parse-client-command.ts).
 */
export const MAX_WS_FRAME_BYTES = 1024 * 1024;

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json",
  ".wav": "audio/wav",
};

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

export interface HttpDeps {
  gateway: Gateway;
  access: AccessPolicy;
  sessions: SessionsStore;
  dashboard: DashboardAssets;
}

/** One HTTP server on one port: the dashboard, the JSON API and the WebSocket at /ws. */
export function createGatewayServer(deps: HttpDeps): Server {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_FRAME_BYTES, perMessageDeflate: false });
  const server = createServer((req, res) => {
    handleRequest(deps, req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: `internal error: ${err instanceof Error ? err.message : String(err)}` });
      else res.destroy();
    });
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://gateway.invalid");
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== "/ws") return refuse(404, "Not Found");
    if (!deps.access.hostAllowed(req)) return refuse(403, "Forbidden Host");
    if (!deps.access.originAllowed(req)) return refuse(403, "Forbidden Origin");
    const token = url.searchParams.get("token");
    if (token !== null && !deps.access.tokenMatches(token)) return refuse(401, "Unauthorized");
    const authenticated = !deps.access.tokenRequired || token !== null;
    wss.handleUpgrade(req, socket, head, (ws) => deps.gateway.attach(ws, authenticated));
  });
  server.on("close", () => wss.close());
  return server;
}

async function handleRequest(deps: HttpDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://gateway.invalid");
  if (!deps.access.hostAllowed(req)) return sendJson(res, 403, { error: "forbidden Host header" });
  if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res, 405, { error: `method ${req.method} not allowed` });
  if (url.pathname.startsWith("/api/")) return handleApi(deps, req, res, url);
  return serveDashboard(deps.dashboard, url.pathname, res);
}

async function handleApi(deps: HttpDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (!deps.access.originAllowed(req)) return sendJson(res, 403, { error: "forbidden Origin" });
  if (deps.access.tokenRequired && !deps.access.tokenMatches(deps.access.requestToken(req, url))) {
    return sendJson(res, 401, { error: "this gateway needs the token (Authorization: Bearer T, or ?token=T)" });
  }
  if (url.pathname === "/api/sessions") return sendJson(res, 200, await deps.sessions.list());
  const m = /^\/api\/sessions\/([^/]+)\/(summary|recording)$/.exec(url.pathname);
  if (!m) return sendJson(res, 404, { error: `no such API path ${url.pathname.slice(0, 100)}` });
  let name: string;
  try {
    name = decodeURIComponent(m[1]);
  } catch {
    return sendJson(res, 400, { error: "bad session name" });
  }
  if (!isValidSessionName(name)) return sendJson(res, 400, { error: "bad session name: letters, digits, '-', '_' and inner '.' only" });
  if (m[2] === "summary") {
    const summary = await deps.sessions.summary(name);
    if (summary) return sendJson(res, 200, summary);
    const exists = await deps.sessions.findRecording(name);
    return sendJson(res, 404, {
      error: exists ? `session '${name}' has no summary (still running, or ended abnormally: run spinewatch analyze on it)` : `no session '${name}'`,
    });
  }
  const file = await deps.sessions.findRecording(name);
  if (!file) return sendJson(res, 404, { error: `no session '${name}'` });
  const gz = file.endsWith(".gz");
  const s = await stat(file);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "content-type": gz ? "application/gzip" : "application/x-ndjson",
    "content-length": String(s.size),
    "content-disposition": `attachment; filename="${name}.ndjson${gz ? ".gz" : ""}"`,
  });
  if (req.method === "HEAD") return void res.end();
  sendFileBytes(res, file, s.size);
}

async function serveDashboard(dashboard: DashboardAssets, pathname: string, res: ServerResponse): Promise<void> {
  const status = dashboard.status;
  if (status.state !== "ready") {
    const text =
      status.state === "building"
        ? "The dashboard is being built (first start). Reload in a few seconds."
        : `No dashboard to show: ${status.reason}. The WebSocket (/ws) and the API (/api/sessions) work.`;
    res.writeHead(status.state === "building" ? 503 : 200, { ...SECURITY_HEADERS, "content-type": "text/html; charset=utf-8", ...(status.state === "building" ? { "retry-after": "3" } : {}) });
    res.end(`<!doctype html><meta charset="utf-8"><title>spinewatch</title><h1>spinewatch</h1><p>${escapeHtml(text)}</p>\n`);
    return;
  }
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return sendJson(res, 400, { error: "bad path" });
  }
  // normalize() folds '..' away; the prefix check then catches anything that still escapes.
  const target = normalize(join(status.root, rel === "/" ? "index.html" : rel));
  if (!target.startsWith(status.root + sep) || rel.includes("\0")) return sendJson(res, 403, { error: "forbidden path" });
  let file = target;
  let s = await stat(file).catch(() => null);
  if (!s?.isFile()) {
    // Client-side routes fall back to the app; a missing asset (with an extension) is a 404.
    if (extname(rel) !== "") return sendJson(res, 404, { error: "not found" });
    file = join(status.root, "index.html");
    s = await stat(file).catch(() => null);
    if (!s?.isFile()) return sendJson(res, 404, { error: "not found" });
  }
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "content-type": MIME[extname(file)] ?? "application/octet-stream",
    "content-length": String(s.size),
    "cache-control": file.includes(`${sep}assets${sep}`) ? "public, max-age=31536000, immutable" : "no-cache",
  });
  sendFileBytes(res, file, s.size);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

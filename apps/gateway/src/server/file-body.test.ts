import { appendFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { createServer, request, Agent, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendFileBytes } from "./file-body.js";

/** A real HTTP server on port 0 whose handler changes the file between the stat and the read. */
describe("sendFileBytes: the body is exactly the announced length", () => {
  const dir = mkdtempSync(join(tmpdir(), "sw-file-body-"));
  const file = join(dir, "rec.ndjson");
  let server: Server;
  let base = "";
  let change: () => void = () => {};
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/ping") {
        res.writeHead(200, { "content-length": "4" });
        res.end("pong");
        return;
      }
      const size = 100; // as stat gave it
      res.writeHead(200, { "content-length": String(size) });
      change();
      sendFileBytes(res, file, size);
    });
    // Longer than the test's own timeout: a response short of its length would otherwise hang
    // until the server drops the idle connection (5 s by default), not fail.
    server.keepAliveTimeout = 600_000;
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  });
  afterAll(async () => {
    agent.destroy();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(base + path, { agent }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end();
    });

  it("a file that grew after the stat: the first 100 bytes, and the kept-alive connection still speaks HTTP", async () => {
    writeFileSync(file, "a".repeat(100));
    change = () => appendFileSync(file, "b".repeat(50));
    const r = await get("/file");
    expect(r.body).toBe("a".repeat(100));
    // Streamed whole, the 50 extra bytes preceded this response on the same socket: a parse error.
    expect(await get("/ping")).toEqual({ status: 200, body: "pong" });
  });

  it("a file that shrank after the stat: the connection is closed instead of left waiting", async () => {
    writeFileSync(file, "a".repeat(100));
    change = () => truncateSync(file, 40);
    await expect(get("/file")).rejects.toThrow();
    expect(await get("/ping")).toEqual({ status: 200, body: "pong" });
  });
});

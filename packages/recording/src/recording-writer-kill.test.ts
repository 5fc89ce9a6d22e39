import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { openRecording } from "./recording-reader.js";
import { makeTempDir } from "./test-helpers.js";

const dir = makeTempDir();
afterAll(() => dir.remove());
const child = fileURLToPath(new URL("./kill-test-writer.ts", import.meta.url));

/** Runs the writer child until it reports having written past `untilTMs`, then SIGKILLs it. */
function writeAndKill(path: string, untilTMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", child, path], { stdio: ["ignore", "pipe", "pipe"] });
    let reported = -1;
    let stderr = "";
    let buffered = "";
    proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    proc.stdout.on("data", (d: Buffer) => {
      buffered += d.toString();
      const parts = buffered.split("\n");
      buffered = parts.pop()!;
      for (const p of parts) reported = Math.max(reported, Number(p));
      if (reported >= untilTMs && proc.exitCode === null && !proc.killed) proc.kill("SIGKILL");
    });
    proc.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(reported);
      else reject(new Error(`writer child exited with ${code}: ${stderr}`));
    });
  });
}

describe("a writer killed with SIGKILL mid-stream", () => {
  for (const name of ["killed.ndjson", "killed.ndjson.gz"]) {
    it(`leaves ${name} readable up to within 100 ms of data before the kill`, async () => {
      const path = dir.file(name);
      const reportedTMs = await writeAndKill(path, 20_000);
      const reader = await openRecording(path);
      let expectedTMs = 0;
      let sequential = true;
      for await (const { line } of reader) {
        if (line.type !== "sample" || line.tMs !== expectedTMs) sequential = false;
        expectedTMs += 5;
      }
      const lastTMs = expectedTMs - 5;
      expect(sequential).toBe(true);
      // The child had handed lines up to reportedTMs to write() before the kill; the writer keeps at
      // most 100 ms of tMs unwritten (flushIntervalMs default), so at least this much is on disk.
      expect(lastTMs).toBeGreaterThanOrEqual(reportedTMs - 100);
      // Only an unfinished end may be reported, never a malformed line in between.
      for (const p of reader.problems) expect(["truncated-line", "truncated-gzip"]).toContain(p.code);
      if (name.endsWith(".gz")) expect(reader.problems.map((p) => p.code)).toContain("truncated-gzip");
    });
  }
});

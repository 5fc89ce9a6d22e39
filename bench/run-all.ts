/**
 * `npm run bench`: runs every benchmark script under bench/ in turn, each in its own process
 * (so one benchmark's heap and JIT state cannot colour another's figures), and echoes their
 * `BENCH name value unit` lines (CONTRACTS.md §3) at the end as one list.
 *
 * Usage: npm run bench [-- name-filter]
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? "";
// accuracy and fuzz have their own npm scripts (long runs); run-all covers speed benchmarks.
const skip = new Set(["run-all.ts", "accuracy.ts", "fuzz-decoders.ts"]);
const scripts = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && !skip.has(f) && !f.startsWith("_") && f.includes(filter))
  .sort();

const benchLines: string[] = [];
let failed = 0;
for (const script of scripts) {
  process.stdout.write(`\n=== ${script} ===\n`);
  const r = spawnSync(process.execPath, ["--import", "tsx", join(here, script)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(r.stdout ?? "");
  for (const line of (r.stdout ?? "").split("\n")) if (line.startsWith("BENCH ")) benchLines.push(line);
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`bench: ${script} exited with ${r.status}\n`);
  }
}
process.stdout.write(`\n=== all figures ===\n${benchLines.join("\n")}\n`);
process.exitCode = failed > 0 ? 1 : 0;

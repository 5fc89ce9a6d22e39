/**
 * Regenerates the simulated recordings in fixtures/sim (documented in fixtures/README.md,
 * section "fixtures/sim"). Deterministic: the simulator is seeded and has no wall clock, and
 * Node's gzip writes no timestamp, so running this again gives the same bytes.
 *
 *   node --import tsx scripts/make-sim-fixtures.ts            # write the fixtures
 *   node --import tsx scripts/make-sim-fixtures.ts --check    # fail if any file would change
 */
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { renderSessionNdjson, SIM_FIXTURES, type SimulationOptions } from "@spinewatch/simulator";

const DIR = fileURLToPath(new URL("../fixtures/sim/", import.meta.url));
const MAX_BYTES = 1024 * 1024;

function render(options: SimulationOptions): Buffer {
  return gzipSync(renderSessionNdjson(options), { level: 9 });
}

function main(): void {
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const f of SIM_FIXTURES) {
    const bytes = render(f.options);
    if (bytes.length >= MAX_BYTES) throw new Error(`fixtures/sim/${f.file}: ${bytes.length} bytes, over the 1 MB fixture limit`);
    const path = DIR + f.file;
    const same = existsSync(path) && readFileSync(path).equals(bytes);
    if (check) {
      if (!same) stale++;
      console.log(`${same ? "ok   " : "STALE"} fixtures/sim/${f.file}`);
    } else {
      writeFileSync(path, bytes);
      console.log(`wrote fixtures/sim/${f.file} (${(bytes.length / 1024).toFixed(0)} KiB)`);
    }
  }
  if (stale > 0) {
    console.error(`${stale} simulated fixture(s) differ from the generator; run node --import tsx scripts/make-sim-fixtures.ts`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();

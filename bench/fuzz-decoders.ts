/**
 * `npm run fuzz`: 1,000,000 valid and damaged notifications per device family through its
 * decoder(s) (packages/devices/src/fuzz: truncated, extended, bit flips, random garbage,
 * garbage between frames, wrong characteristic, split and merged notifications), checking after
 * every notification that nothing threw, counters add up, and every detectably bad notification
 * became a counted problem. Prints `BENCH fuzz_<family>_notifications_per_s` and a summary;
 * exit code 1 on any violation. Record the last result in docs/FUZZ.md.
 *
 * Usage: npm run fuzz [-- count [seed]]
 */
import { performance } from "node:perf_hooks";
import { Mulberry32 } from "../packages/devices/src/fuzz/prng.js";
import { runFuzz } from "../packages/devices/src/fuzz/run.js";
import { fuzzTargets } from "../packages/devices/src/fuzz/targets.js";

const count = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? 20261121);
if (!Number.isInteger(count) || count <= 0 || !Number.isInteger(seed)) {
  process.stderr.write("usage: npm run fuzz [-- count [seed]]  (count and seed are integers)\n");
  process.exit(2);
}

let failed = 0;
const rows: string[] = [];
for (const target of fuzzTargets(new Mulberry32(seed ^ 0x5eed))) {
  const t0 = performance.now();
  const r = runFuzz(target, count, seed);
  const seconds = (performance.now() - t0) / 1000;
  const perS = r.notifications / seconds;
  process.stdout.write(`BENCH fuzz_${target.family}_notifications_per_s ${Math.round(perS)} 1/s\n`);
  rows.push(
    `${target.family.padEnd(11)} ${String(r.notifications).padStart(9)} notif  ${(r.bytes / 1e6).toFixed(1).padStart(6)} MB  ` +
    `${String(r.samples).padStart(8)} samples  ${String(r.problems).padStart(8)} problems  ` +
    `must-report ${r.reported}/${r.mustReport}  violations ${r.violationCount}  ${seconds.toFixed(1)} s ` +
    `(${Math.round(perS).toLocaleString("en")} notifications/s)`,
  );
  if (r.violationCount > 0) {
    failed++;
    for (const v of r.violations) process.stdout.write(`  violation: ${v}\n`);
  }
}
process.stdout.write(`\nfuzz summary (seed ${seed}, ${count.toLocaleString("en")} notifications per family)\n${rows.join("\n")}\n`);
process.stdout.write(failed === 0 ? "fuzz: PASS (no throw, counters add up, every detectably bad notification counted)\n" : `fuzz: FAIL in ${failed} famil(ies)\n`);
process.exitCode = failed === 0 ? 0 : 1;

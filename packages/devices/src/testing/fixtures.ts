import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root, found from this file (packages/devices/src/testing). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

/** Loads fixtures/devices/<name>.json (test vectors documented in fixtures/README.md). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadDeviceFixture(name: string): any {
  return JSON.parse(readFileSync(join(REPO_ROOT, "fixtures", "devices", `${name}.json`), "utf8"));
}

/** Asserts |a - b| <= tol for every component; returns the worst error (for messages). */
export function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

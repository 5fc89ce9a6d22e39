import type { BigNumber, MathCollection, MathJsInstance } from "mathjs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * mathjs `eigs`, loaded on the first call only (functional-bend calibration is the one user of
 * mathjs, and it runs once per bend calibration, off the per-sample path).
 *
 * Why lazily and through `require`: a static `import { eigs } from "mathjs"` evaluates mathjs's
 * ESM build (hundreds of modules) whenever kinematics is imported, measured 1.0 s and +90 MB RSS
 * at every `spinewatch` start (docs/BENCHMARKS.md, analyze). Its CommonJS build loads in ~0.45 s;
 * a mathjs instance holding only `eigs` and its dependencies — mathjs's documented custom-instance
 * API, `create({ eigsDependencies })` — in ~0.22 s and +40 MB. mathjs's package `exports` offer no
 * entry for that, so the two files are found next to its CommonJS entry; should a later mathjs
 * move them, the full CommonJS build is used instead (same `eigs`, slower to load).
 */
type EigsFn = MathJsInstance["eigs"];
/** What mathjs `eigs(x)` returns (eigenvectors included, the default). */
export interface EigsResult {
  values: MathCollection;
  eigenvectors: { value: number | BigNumber; vector: MathCollection }[];
}

let loaded: { eigs: EigsFn; minimal: boolean } | null = null;

function load(): { eigs: EigsFn; minimal: boolean } {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("mathjs");
  try {
    const base = dirname(entry);
    const { create } = require(join(base, "core", "create.js")) as { create: (deps: object) => MathJsInstance };
    const { eigsDependencies } = require(join(base, "entry", "dependenciesAny", "dependenciesEigs.generated.js")) as {
      eigsDependencies: object;
    };
    const math = create({ eigsDependencies });
    if (typeof math.eigs === "function") return { eigs: math.eigs.bind(math), minimal: true };
  } catch {
    // Layout changed in another mathjs version: fall through to the package's own entry.
  }
  const math = require(entry) as MathJsInstance;
  return { eigs: math.eigs.bind(math), minimal: false };
}

/** mathjs `eigs` (loads mathjs on the first call). */
export function mathjsEigs(x: MathCollection): EigsResult {
  loaded ??= load();
  return loaded.eigs(x);
}

/** Whether mathjs has been loaded yet, and whether through the eigs-only instance (for tests). */
export function mathjsEigsState(): { loaded: boolean; minimal: boolean } {
  return { loaded: loaded !== null, minimal: loaded?.minimal ?? false };
}

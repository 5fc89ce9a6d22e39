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
 * move them, the full CommonJS build is used instead (same `eigs`, slower to load). The CLI
 * bundle brings a prebuilt file of the same instance instead (useMathjsEigsBuild).
 */
type EigsFn = MathJsInstance["eigs"];
/** What mathjs `eigs(x)` returns (eigenvectors included, the default). */
export interface EigsResult {
  values: MathCollection;
  eigenvectors: { value: number | BigNumber; vector: MathCollection }[];
}

/** Where the instance came from: a prebuilt file (useMathjsEigsBuild), mathjs's own eigs-only files, or its whole CommonJS build. */
export type MathjsEigsSource = "build" | "eigs-files" | "package";

let loaded: { eigs: EigsFn; source: MathjsEigsSource } | null = null;
let prebuilt: string | null = null;

/**
 * Use a CommonJS file exporting mathjs's `create` and `eigsDependencies` for the first `eigs`:
 * the CLI bundle's `mathjs-eigs.cjs` (apps/gateway/bin/cli-bundle.js), bundled from mathjs's ES
 * modules with only what `eigs` needs, loads in ~15-20 ms where the ~1,000 files of the
 * eigs-only instance below take ~190-250 ms (docs/BENCHMARKS.md, analyze, session 11). Should it
 * fail to load, mathjs's own files are used, as without it.
 */
export function useMathjsEigsBuild(file: string): void {
  prebuilt = file;
}

function load(): { eigs: EigsFn; source: MathjsEigsSource } {
  const require = createRequire(import.meta.url);
  const fromCreate = (m: { create: (deps: object) => MathJsInstance; eigsDependencies: object }): EigsFn | null => {
    const math = m.create({ eigsDependencies: m.eigsDependencies });
    return typeof math.eigs === "function" ? math.eigs.bind(math) : null;
  };
  if (prebuilt !== null) {
    try {
      const eigs = fromCreate(require(prebuilt) as Parameters<typeof fromCreate>[0]);
      if (eigs) return { eigs, source: "build" };
    } catch {
      // Missing or broken: mathjs's own files below.
    }
  }
  const entry = require.resolve("mathjs");
  try {
    const base = dirname(entry);
    const { create } = require(join(base, "core", "create.js")) as { create: (deps: object) => MathJsInstance };
    const { eigsDependencies } = require(join(base, "entry", "dependenciesAny", "dependenciesEigs.generated.js")) as {
      eigsDependencies: object;
    };
    const eigs = fromCreate({ create, eigsDependencies });
    if (eigs) return { eigs, source: "eigs-files" };
  } catch {
    // Layout changed in another mathjs version: fall through to the package's own entry.
  }
  const math = require(entry) as MathJsInstance;
  return { eigs: math.eigs.bind(math), source: "package" };
}

/** mathjs `eigs` (loads mathjs on the first call). */
export function mathjsEigs(x: MathCollection): EigsResult {
  loaded ??= load();
  return loaded.eigs(x);
}

/** Whether mathjs has been loaded yet, and from where (for tests). */
export function mathjsEigsState(): { loaded: boolean; source: MathjsEigsSource | null } {
  return { loaded: loaded !== null, source: loaded?.source ?? null };
}

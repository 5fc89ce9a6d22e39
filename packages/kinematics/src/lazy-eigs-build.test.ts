import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

// Built as the CLI bundle builds it (apps/gateway/bin/cli-bundle.js, cjsBuilds).
const dir = mkdtempSync(join(tmpdir(), "spinewatch-eigs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
async function buildEigs(): Promise<string> {
  const require = createRequire(import.meta.url);
  const esbuild = createRequire(require.resolve("tsx"))("esbuild") as typeof import("esbuild");
  const file = join(dir, "mathjs-eigs.cjs");
  await esbuild.build({
    stdin: { contents: 'export { create, eigsDependencies } from "mathjs";', resolveDir: resolve(import.meta.dirname, ".."), loader: "js" },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: file,
    logLevel: "silent",
  });
  return file;
}

/** lazy-eigs.ts afresh (its loaded instance is module state). */
async function freshLazyEigs() {
  vi.resetModules();
  return import("./lazy-eigs.js");
}

const M = [[2, 1, 0], [1, 3, 0.5], [0, 0.5, 1]];

describe("mathjsEigs from a prebuilt CommonJS file (useMathjsEigsBuild)", () => {
  it("loads eigs from the build, with the very values of mathjs's own files", async () => {
    const file = await buildEigs();
    const viaFiles = await freshLazyEigs();
    const expected = viaFiles.mathjsEigs(M);
    expect(viaFiles.mathjsEigsState()).toEqual({ loaded: true, source: "eigs-files" });

    const viaBuild = await freshLazyEigs();
    viaBuild.useMathjsEigsBuild(file);
    expect(viaBuild.mathjsEigsState()).toEqual({ loaded: false, source: null });
    expect(viaBuild.mathjsEigs(M)).toEqual(expected);
    expect(viaBuild.mathjsEigsState()).toEqual({ loaded: true, source: "build" });
  });

  it("falls back to mathjs's own files when the build is missing or broken", async () => {
    const broken = join(dir, "broken.cjs");
    writeFileSync(broken, "module.exports = {};\n");
    for (const file of [join(dir, "missing.cjs"), broken]) {
      const lazy = await freshLazyEigs();
      lazy.useMathjsEigsBuild(file);
      expect(lazy.mathjsEigs(M).values).toBeTruthy();
      expect(lazy.mathjsEigsState()).toEqual({ loaded: true, source: "eigs-files" });
    }
  });
});

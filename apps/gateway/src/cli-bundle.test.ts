import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error plain JS module of the bin (no declarations)
import { bundledCliUrl } from "../bin/cli-bundle.js";

const bundled = bundledCliUrl as (layout?: {
  root: string;
  entry: string;
  cacheDir: string;
  cjsBuilds?: { file: string; contents: string; resolveDir: string }[];
}) => Promise<string | null>;
const REPO = resolve(import.meta.dirname, "../../..");

describe("the CLI bundle cache (bin/cli-bundle.js)", () => {
  const root = mkdtempSync(join(tmpdir(), "spinewatch-bundle-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const src = join(root, "apps", "demo", "src");
  mkdirSync(src, { recursive: true });
  // Saved a minute ago: a file saved during a build keeps that build out of the cache.
  const save = (file: string, text: string, ageMs = 60_000) => {
    writeFileSync(file, text);
    const t = new Date(Date.now() - ageMs);
    utimesSync(file, t, t);
  };
  save(join(root, "package.json"), "{}");
  save(join(root, "tsconfig.json"), "{}");
  save(join(src, "cli.ts"), 'import { v } from "./dep.js";\nconsole.log(`${v} ${import.meta.url.endsWith("/apps/demo/src/cli.ts")}`);\n');
  save(join(src, "dep.ts"), "export const v: number = 1;\n");
  const layout = { root, entry: join(src, "cli.ts"), cacheDir: join(root, "cache") };
  const run = (url: string) => execFileSync(process.execPath, [fileURLToPath(url)], { encoding: "utf8" }).trim();

  it("builds on first use, reuses it while nothing changed, rebuilds when a source or tsconfig changes", async () => {
    const first = (await bundled(layout))!;
    expect(first).toMatch(/\/cache\/cli-[0-9a-f]{20}\/cli\.mjs$/);
    // Bundled and run: the import resolved, import.meta.url still names the source file.
    expect(run(first)).toBe("1 true");
    const manifest = readFileSync(join(layout.cacheDir, "manifest.json"), "utf8");
    expect(await bundled(layout)).toBe(first);
    expect(readFileSync(join(layout.cacheDir, "manifest.json"), "utf8")).toBe(manifest);

    save(join(src, "dep.ts"), "export const v: number = 2;\n");
    const second = (await bundled(layout))!;
    expect(second).not.toBe(first);
    expect(run(second)).toBe("2 true");

    save(join(root, "tsconfig.json"), '{ "compilerOptions": {} }');
    const third = (await bundled(layout))!;
    expect(third).not.toBe(second);
    expect(run(third)).toBe("2 true");

    // Saved just now (it may have changed while esbuild read it): used once, not cached.
    save(join(src, "dep.ts"), "export const v: number = 3;\n", 0);
    const manifestBefore = readFileSync(join(layout.cacheDir, "manifest.json"), "utf8");
    const once = (await bundled(layout))!;
    expect(once).toMatch(/\/cache\/tmp-once-[0-9a-f]{20}-\d+\/cli\.mjs$/);
    expect(run(once)).toBe("3 true");
    expect(readFileSync(join(layout.cacheDir, "manifest.json"), "utf8")).toBe(manifestBefore);
    save(join(src, "dep.ts"), "export const v: number = 2;\n");
  });

  it("removes bundles unused for an hour when it builds a new one, keeps recently used ones", async () => {
    const cacheDir = join(root, "cache-old");
    mkdirSync(join(cacheDir, "cli-00000000000000000000"), { recursive: true });
    mkdirSync(join(cacheDir, "cli-11111111111111111111"), { recursive: true });
    const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
    utimesSync(join(cacheDir, "cli-00000000000000000000"), twoHoursAgo, twoHoursAgo);
    const url = (await bundled({ ...layout, cacheDir }))!;
    expect(run(url)).toBe("2 true");
    expect(readdirSync(cacheDir).sort()).toEqual(["cli-11111111111111111111", url.split("/").at(-2)!, "manifest.json"].sort());
  });

  it("bundles rxjs in from its ES2015 build, and counts it by its package.json (a new version rebuilds)", async () => {
    // A stand-in rxjs in the workspace's node_modules: Node's `node` condition picks its CommonJS
    // build, the bundle must take the ES2015 one.
    const pkg = join(root, "node_modules", "rxjs");
    mkdirSync(join(pkg, "esm"), { recursive: true });
    const manifest = (version: string) =>
      JSON.stringify({ name: "rxjs", version, exports: { ".": { node: "./cjs.js", require: "./cjs.js", es2015: "./esm/index.js", default: "./cjs.js" } } });
    save(join(pkg, "package.json"), manifest("7.0.0"));
    save(join(pkg, "cjs.js"), 'exports.build = "cjs";\n');
    save(join(pkg, "esm", "index.js"), 'export { build } from "./build.js";\n');
    save(join(pkg, "esm", "build.js"), 'export const build = "es2015";\n');
    save(join(src, "uses-rxjs.ts"), 'import { build } from "rxjs";\nconsole.log(build);\n');
    const rxLayout = { ...layout, entry: join(src, "uses-rxjs.ts"), cacheDir: join(root, "cache-rx") };
    const first = (await bundled(rxLayout))!;
    expect(run(first)).toBe("es2015");
    expect(readFileSync(fileURLToPath(first), "utf8")).not.toMatch(/from\s*"rxjs"/);
    const files = (JSON.parse(readFileSync(join(rxLayout.cacheDir, "manifest.json"), "utf8")) as { files: string[] }).files;
    expect(files.filter((f) => f.includes("node_modules"))).toEqual(["node_modules/rxjs/package.json"]);
    expect(await bundled(rxLayout)).toBe(first);
    save(join(pkg, "package.json"), manifest("7.0.1"));
    expect(await bundled(rxLayout)).not.toBe(first);
  });

  it("builds the layout's CommonJS files next to the entry (mathjs's eigs, in the CLI), counted by their packages' package.json", async () => {
    const pkg = join(root, "node_modules", "eigslib");
    mkdirSync(pkg, { recursive: true });
    save(join(pkg, "package.json"), JSON.stringify({ name: "eigslib", version: "1.0.0", exports: { ".": { import: "./index.mjs" } } }));
    save(join(pkg, "index.mjs"), 'export const create = () => "created";\nexport const unused = () => "tree-shaken";\n');
    const cjsBuilds = [{ file: "lib.cjs", contents: 'export { create } from "eigslib";', resolveDir: src }];
    const cjsLayout = { ...layout, cacheDir: join(root, "cache-cjs"), cjsBuilds };
    const url = (await bundled(cjsLayout))!;
    const lib = join(fileURLToPath(url), "..", "lib.cjs");
    expect(execFileSync(process.execPath, ["-e", `console.log(require(${JSON.stringify(lib)}).create())`], { encoding: "utf8" }).trim()).toBe("created");
    expect(readFileSync(lib, "utf8")).not.toContain("tree-shaken");
    const files = (JSON.parse(readFileSync(join(cjsLayout.cacheDir, "manifest.json"), "utf8")) as { files: string[] }).files;
    expect(files.filter((f) => f.includes("node_modules"))).toEqual(["node_modules/eigslib/package.json"]);
    expect(await bundled(cjsLayout)).toBe(url);
    // Another list of builds is another bundle.
    expect(await bundled({ ...cjsLayout, cjsBuilds: [{ ...cjsBuilds[0]!, file: "other.cjs" }] })).not.toBe(url);
  });

  it("gives null (the bin then runs the sources through tsx) when it cannot bundle", async () => {
    expect(await bundled({ ...layout, entry: join(src, "missing.ts") })).toBeNull();
    save(join(src, "broken.ts"), "export const = ;\n");
    expect(await bundled({ ...layout, entry: join(src, "broken.ts"), cacheDir: join(root, "cache2") })).toBeNull();
    // A cache directory that cannot be made (Node 20's recursive mkdir would loop forever here).
    expect(await bundled({ ...layout, cacheDir: "/proc/spinewatch-cli-cache" })).toBeNull();
  });

  it("spinewatch analyze gives the same JSON bundled and through tsx", () => {
    const bin = join(REPO, "apps/gateway/bin/spinewatch.js");
    const file = join(REPO, "fixtures/sim/kettlebell-swing.witmotion.ndjson.gz");
    const args = [bin, "analyze", file, "--json"];
    const viaBundle = execFileSync(process.execPath, args, { encoding: "utf8", cwd: REPO });
    const viaTsx = execFileSync(process.execPath, args, { encoding: "utf8", cwd: REPO, env: { ...process.env, SPINEWATCH_NO_BUNDLE: "1" } });
    expect(JSON.parse(viaBundle).reps.length).toBeGreaterThan(0);
    expect(viaBundle).toBe(viaTsx);
  });

  it("spinewatch analyze parses on a second thread (the bundle's worker entry, or the TypeScript one through tsx) with the same JSON", () => {
    const bin = join(REPO, "apps/gateway/bin/spinewatch.js");
    const file = join(REPO, "fixtures/sim/kettlebell-swing.witmotion.ndjson.gz");
    const args = [bin, "analyze", file, "--json"];
    const env = (vars: Record<string, string>) => ({ encoding: "utf8" as const, cwd: REPO, env: { ...process.env, ...vars } });
    const inThread = execFileSync(process.execPath, args, env({ SPINEWATCH_PARSE_THREAD: "0" }));
    const viaBundle = execFileSync(process.execPath, args, env({ SPINEWATCH_PARSE_THREAD: "1" }));
    const viaTsx = execFileSync(process.execPath, args, env({ SPINEWATCH_PARSE_THREAD: "1", SPINEWATCH_NO_BUNDLE: "1" }));
    expect(JSON.parse(inThread).reps.length).toBeGreaterThan(0);
    expect(viaBundle).toBe(inThread);
    expect(viaTsx).toBe(inThread);
    const cache = JSON.parse(readFileSync(join(REPO, "node_modules/.cache/spinewatch-cli/manifest.json"), "utf8")) as { bundle: string };
    expect(readdirSync(join(REPO, "node_modules/.cache/spinewatch-cli", cache.bundle, ".."))).toEqual(expect.arrayContaining(["parse-worker-entry.mjs", "mathjs-eigs.cjs"]));
    // A malformed line stops analyze with the same one-line error either way (the thread is ended).
    const malformed = [bin, "analyze", join(REPO, "fixtures/recording/malformed.ndjson"), "--json"];
    const stops = ["0", "1"].map((v) => spawnSync(process.execPath, malformed, env({ SPINEWATCH_PARSE_THREAD: v })));
    expect(stops.map((r) => r.status)).toEqual([2, 2]);
    expect(stops[1]!.stderr).toBe(stops[0]!.stderr);
    expect(stops[0]!.stderr).toMatch(/^spinewatch: \S*malformed\.ndjson:5: not valid JSON/);
    const bad = spawnSync(process.execPath, args, env({ SPINEWATCH_PARSE_THREAD: "yes" }));
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('spinewatch: SPINEWATCH_PARSE_THREAD: expected 1 or 0, got "yes"');
  });
});

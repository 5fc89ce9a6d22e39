// A cached bundle of the CLI (ESM, split into lazily loaded chunks), rebuilt automatically
// whenever a source it contains changes, so that `analyze` and `simulate` start without compiling TypeScript through tsx's
// loader thread at every start (measured 0.4 s and 30 MB RSS; docs/BENCHMARKS.md, analyze).
// Nothing to build by hand: the first run after a change bundles with esbuild (the one tsx
// itself depends on, ~0.2 s) into node_modules/.cache/spinewatch-cli/. Whenever anything here
// fails, the caller falls back to running the sources through tsx, as before.
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = fileURLToPath(import.meta.url);
const GATEWAY_DIR = resolve(dirname(HERE), "..");
const ROOT = resolve(GATEWAY_DIR, "../..");
/**
 * The repository's CLI; tests pass a small workspace of their own. SPINEWATCH_CLI_CACHE names
 * another cache directory (bench/analyze-1h.ts uses a fresh one to time a first run); it must
 * lie inside the repository, so that the bundle's imports of installed packages resolve.
 */
const DEFAULT_LAYOUT = {
  root: ROOT,
  entry: join(GATEWAY_DIR, "src", "cli.ts"),
  // Worker threads' entry files, built next to the CLI's (found by name: bundle-files.ts).
  workers: [join(ROOT, "packages", "recording", "src", "parse-worker-entry.ts")],
  // CommonJS files built next to it, for code that must load them synchronously (bundle-files.ts):
  // mathjs's eigs for the bend calibration, bundled from its ES modules with only what eigs
  // needs (~15-20 ms to load, where its ~1,000 CommonJS files take ~190-250 ms: kinematics
  // lazy-eigs.ts, docs/BENCHMARKS.md, analyze, session 11). `contents` is an ES module that
  // bundles installed packages only: their package.json files are what the cache checks.
  cjsBuilds: [{ file: "mathjs-eigs.cjs", contents: 'export { create, eigsDependencies } from "mathjs";', resolveDir: join(ROOT, "packages", "kinematics") }],
  cacheDir: process.env.SPINEWATCH_CLI_CACHE ? resolve(process.env.SPINEWATCH_CLI_CACHE) : join(ROOT, "node_modules", ".cache", "spinewatch-cli"),
};
/**
 * Bundles not used for this long are removed when a new one is built (each run touches the one
 * it uses; a process has imported all its chunks within its first second).
 */
const STALE_BUNDLE_MS = 3600 * 1000;

/**
 * Every file whose content the bundle depends on: its sources, their package.json and tsconfig
 * files, this script. An installed package bundled in (BUNDLED_PACKAGES) counts by its
 * package.json (its version), not by each of its hundreds of files, which every start would read.
 */
function dependencyFiles(root, sourceInputs) {
  const files = new Set([relative(root, HERE).split(sep).join("/"), "tsconfig.json", "package.json"]);
  for (const input of sourceInputs) {
    const nm = input.lastIndexOf("node_modules/");
    if (nm >= 0) {
      const rest = input.slice(nm + "node_modules/".length).split("/");
      files.add(`${input.slice(0, nm)}node_modules/${rest.slice(0, rest[0].startsWith("@") ? 2 : 1).join("/")}/package.json`);
      continue;
    }
    files.add(input);
    // packages/<name>/... or apps/<name>/...: the package's manifest (its exports) and tsconfig.
    const parts = input.split("/");
    if (parts.length > 2 && (parts[0] === "packages" || parts[0] === "apps")) {
      files.add(`${parts[0]}/${parts[1]}/package.json`);
      files.add(`${parts[0]}/${parts[1]}/tsconfig.json`);
    }
  }
  return [...files].sort();
}

/** Hash of the entry and the files' content (a missing file counts as such, so deleting one also invalidates). */
function contentHash({ root, entry, workers = [], cjsBuilds = [] }, files) {
  const h = createHash("sha256");
  h.update(`${process.version}\0${entry}\0${workers.join("\0")}\0${JSON.stringify(cjsBuilds)}\0`);
  for (const f of files) {
    h.update(f);
    h.update("\0");
    try {
      h.update(readFileSync(join(root, f)));
    } catch {
      h.update("(missing)");
    }
    h.update("\0");
  }
  return h.digest("hex").slice(0, 20);
}

/** The bundle's file URL when the cached one is up to date, else null. */
function cachedBundle(layout) {
  const { cacheDir } = layout;
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(cacheDir, "manifest.json"), "utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(manifest?.files) || typeof manifest.bundle !== "string") return null;
  if (contentHash(layout, manifest.files) !== manifest.hash) return null;
  const file = join(cacheDir, manifest.bundle);
  try {
    statSync(file);
  } catch {
    return null;
  }
  try {
    const now = new Date();
    utimesSync(dirname(file), now, now); // in use: not stale (removeOldBundles)
  } catch {
    // A read-only cache still serves.
  }
  return pathToFileURL(file).href;
}

/**
 * Installed packages bundled in rather than imported, each from the ES module build its package
 * `exports` name under this condition. rxjs: for Node its `exports` pick the CommonJS build,
 * which took ~75 ms to load at every start (its index requires hundreds of files; measured with
 * `await import("rxjs")` on this project's machine, docs/BENCHMARKS.md, analyze, session 11).
 * Bundled from the ES2015 build, tree-shaken, only the operators the CLI uses remain.
 */
const BUNDLED_PACKAGES = new Map([["rxjs", "es2015"]]);

/** The file a bundled package's root export names under its condition, seen from `resolveDir`. */
function esmEntry(name, condition, resolveDir) {
  const require = createRequire(join(resolveDir, "noop.js"));
  const main = require.resolve(name); // whichever build Node picks: its package is the one wanted
  const dir = main.slice(0, main.lastIndexOf(`${sep}node_modules${sep}${name}${sep}`) + `${sep}node_modules${sep}${name}`.length);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = manifest.exports?.["."]?.[condition];
  if (typeof file !== "string") throw new Error(`${name}: no "${condition}" build in its package exports`);
  return join(dir, file);
}

/**
 * esbuild plugin: workspace packages (@spinewatch/*), BUNDLED_PACKAGES and relative imports are
 * bundled, other packages stay imports.
 */
const externalPackages = {
  name: "spinewatch-external-packages",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("@spinewatch/")) return undefined;
      const condition = BUNDLED_PACKAGES.get(args.path);
      // (The package's own imports are relative: they resolve as usual.)
      if (condition !== undefined) return { path: esmEntry(args.path, condition, args.resolveDir) };
      return { external: true };
    });
    // import.meta.url of a bundled source still names that source (paths relative to it stay right).
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.split(sep).includes("node_modules")) return undefined;
      const text = readFileSync(args.path, "utf8");
      if (!text.includes("import.meta")) return undefined;
      const url = JSON.stringify(pathToFileURL(args.path).href);
      const contents = text
        .replaceAll("import.meta.url", url)
        .replaceAll("import.meta.dirname", JSON.stringify(dirname(args.path)))
        .replaceAll("import.meta.filename", JSON.stringify(args.path));
      return { contents, loader: "ts" };
    });
  },
};

function writeAtomically(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/**
 * mkdir -p for at most `depth` levels. Not `mkdirSync(dir, { recursive: true })`: on Node 20 that
 * loops forever on some special file systems (seen on /proc), and a hung CLI is worse than tsx.
 */
function ensureDir(dir, depth) {
  try {
    mkdirSync(dir);
  } catch (err) {
    if (err?.code === "EEXIST") return;
    if (err?.code !== "ENOENT" || depth <= 1 || dirname(dir) === dir) throw err;
    ensureDir(dirname(dir), depth - 1);
    mkdirSync(dir);
  }
}

async function buildBundle(layout) {
  const { root, entry, cacheDir, workers = [], cjsBuilds = [] } = layout;
  const require = createRequire(import.meta.url);
  // esbuild as tsx's own dependency (the root does not declare it).
  const esbuild = createRequire(require.resolve("tsx"))("esbuild");
  ensureDir(cacheDir, 4);
  const buildStartMs = Date.now();
  const tmpDir = mkdtempSync(join(cacheDir, "tmp-"));
  try {
    chmodSync(tmpDir, 0o755); // mkdtemp makes it private; the bundle is as readable as the sources
    // Code splitting keeps lazily imported commands lazy: `serve` (and its `ws`) is not loaded
    // by `analyze`. Source maps are written for `node --enable-source-maps`; not enabled by
    // default, as Node then measures every loaded line at start-up (~0.1 s).
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [entry, ...workers],
      // Flat: every entry's output is its file name, next to the CLI's (workers are found so).
      entryNames: "[name]",
      bundle: true,
      splitting: true,
      platform: "node",
      format: "esm",
      target: "node20",
      write: false,
      metafile: true,
      sourcemap: "external",
      outdir: tmpDir,
      outExtension: { ".js": ".mjs" },
      logLevel: "silent",
      plugins: [externalPackages],
    });
    for (const out of result.outputFiles) {
      if (out.path.endsWith(".map")) writeFileSync(out.path, out.contents);
      else writeFileSync(out.path, `${out.text.replace(/\/\/# sourceMappingURL=\S*\s*$/, "")}//# sourceMappingURL=${basename(out.path)}.map\n`);
    }
    const inputs = Object.keys(result.metafile.inputs);
    for (const { file, contents, resolveDir } of cjsBuilds) {
      const cjs = await esbuild.build({
        absWorkingDir: root,
        stdin: { contents, resolveDir, loader: "js", sourcefile: file },
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        outfile: join(tmpDir, file),
        metafile: true,
        logLevel: "silent",
      });
      inputs.push(...Object.keys(cjs.metafile.inputs).filter((f) => f.includes("node_modules/")));
    }
    // (Lazily imported modules are entry points too when splitting: pick the one asked for.)
    const entryIn = relative(root, entry).split(sep).join("/");
    const entryOut = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === entryIn)?.[0];
    if (entryOut === undefined) throw new Error("esbuild reported no entry output");
    const files = dependencyFiles(root, inputs);
    const hash = contentHash(layout, files);
    // A file saved while esbuild read it may differ from what the hash read just now: then this
    // bundle serves this run only and is not cached (the next run builds again).
    if (files.some((f) => modifiedSince(join(root, f), buildStartMs - MTIME_SLACK_MS))) {
      const once = join(cacheDir, `tmp-once-${hash}-${process.pid}`);
      renameSync(tmpDir, once);
      return pathToFileURL(join(once, basename(entryOut))).href;
    }
    const dir = `cli-${hash}`;
    try {
      renameSync(tmpDir, join(cacheDir, dir));
    } catch {
      // Another process has just built the same sources into place: use theirs.
      statSync(join(cacheDir, dir, basename(entryOut)));
    }
    const bundle = `${dir}/${basename(entryOut)}`;
    writeAtomically(join(cacheDir, "manifest.json"), JSON.stringify({ bundle, hash, files }));
    removeOldBundles(cacheDir, dir);
    return pathToFileURL(join(cacheDir, bundle)).href;
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

/** Coarse file-system timestamps (some have 1-2 s resolution). */
const MTIME_SLACK_MS = 2000;

function modifiedSince(file, sinceMs) {
  try {
    return statSync(file).mtimeMs >= sinceMs;
  } catch {
    return false; // missing: hashed as missing, which any later run compares again
  }
}

/** Bundles (and abandoned temporary builds) not used for STALE_BUNDLE_MS. */
function removeOldBundles(cacheDir, keep) {
  const now = Date.now();
  for (const name of readdirSync(cacheDir)) {
    if (!(name.startsWith("cli-") || name.startsWith("tmp-")) || name === keep) continue;
    const path = join(cacheDir, name);
    try {
      if (now - statSync(path).mtimeMs > STALE_BUNDLE_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

/**
 * The URL of an up-to-date bundle of apps/gateway/src/cli.ts (built now if needed), or null when
 * it cannot be had (no esbuild, a read-only node_modules, ...): the caller then uses tsx.
 */
export async function bundledCliUrl(layout = DEFAULT_LAYOUT) {
  try {
    return cachedBundle(layout) ?? (await buildBundle(layout));
  } catch {
    return null;
  }
}

import { fileURLToPath } from "node:url";

/**
 * Files built into the CLI bundle next to its entry (bin/cli-bundle.js: the worker threads'
 * entries, CommonJS builds), when this code runs from that bundle. bin/spinewatch.js says where
 * the bundle is; `import.meta.url` cannot, as the bundler keeps it naming each source file.
 */
const BUNDLE_URL_KEY = Symbol.for("spinewatch.cliBundleUrl");

/** The URL of `<name>.mjs` in the running CLI bundle, or undefined when running from sources. */
export function bundledEntryUrl(name: string): URL | undefined {
  const bundle = (globalThis as Record<symbol, unknown>)[BUNDLE_URL_KEY];
  return typeof bundle === "string" ? new URL(`./${name}.mjs`, bundle) : undefined;
}

/** The path of the file `name` in the running CLI bundle (a CommonJS build), or undefined when running from sources. */
export function bundledFilePath(name: string): string | undefined {
  const bundle = (globalThis as Record<symbol, unknown>)[BUNDLE_URL_KEY];
  return typeof bundle === "string" ? fileURLToPath(new URL(`./${name}`, bundle)) : undefined;
}

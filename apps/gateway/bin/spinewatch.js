#!/usr/bin/env node
// The `spinewatch` binary. The repository needs no build step: workspace packages export their
// TypeScript sources, run through tsx. The one-shot commands (analyze, simulate), whose start-up
// time is most of a short run, use a bundle of the same sources instead, rebuilt automatically
// whenever one of them changes (cli-bundle.js); SPINEWATCH_NO_BUNDLE=1 forces tsx.
// `node --enable-source-maps` makes stack traces from the bundle name the TypeScript sources.
const BUNDLED_COMMANDS = new Set(["analyze", "simulate"]);

let bundle = null;
if (BUNDLED_COMMANDS.has(process.argv[2]) && !process.env.SPINEWATCH_NO_BUNDLE) {
  const { bundledCliUrl } = await import("./cli-bundle.js");
  bundle = await bundledCliUrl();
}
if (bundle !== null) {
  // Where the bundle is, for code in it that starts a worker built next to it (bundle-files.ts).
  globalThis[Symbol.for("spinewatch.cliBundleUrl")] = bundle;
  await import(bundle);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli.ts");
}

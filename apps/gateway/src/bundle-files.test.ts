import { afterEach, describe, expect, it } from "vitest";
import { bundledEntryUrl, bundledFilePath } from "./bundle-files.js";

const KEY = Symbol.for("spinewatch.cliBundleUrl");
const g = globalThis as Record<symbol, unknown>;

describe("bundledEntryUrl", () => {
  afterEach(() => {
    delete g[KEY];
  });

  it("is undefined when running from sources (no bundle announced by bin/spinewatch.js)", () => {
    expect(bundledEntryUrl("parse-worker-entry")).toBeUndefined();
    expect(bundledFilePath("mathjs-eigs.cjs")).toBeUndefined();
  });

  it("names the entry next to the bundle's CLI entry", () => {
    g[KEY] = "file:///repo/node_modules/.cache/spinewatch-cli/cli-0123/cli.mjs";
    expect(bundledEntryUrl("parse-worker-entry")?.href).toBe("file:///repo/node_modules/.cache/spinewatch-cli/cli-0123/parse-worker-entry.mjs");
    expect(bundledFilePath("mathjs-eigs.cjs")).toBe("/repo/node_modules/.cache/spinewatch-cli/cli-0123/mathjs-eigs.cjs");
  });
});

import { defineConfig } from "vitest/config";

// One vitest run for the whole tree: unit tests beside the code, cross-package and browser
// tests under tests/. Browser tests start their own gateway and chromium (tests/e2e).
export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});

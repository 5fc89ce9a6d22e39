import { defineConfig } from "vite";

// Everything is bundled into dist/ (no CDN): the dashboard must work offline on a LAN.
export default defineConfig({
  root: import.meta.dirname,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 400,
  },
});

#!/usr/bin/env node
// The `spinewatch` binary: runs the TypeScript CLI through tsx, so the repository needs no
// build step (workspace packages export their TS sources directly).
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");

// The parser thread's entry file (worker-replay.ts starts it; the CLI bundle builds it as an entry
// of its own, apps/gateway/bin/cli-bundle.js). Only this file has the side effect.
import { runParseWorker } from "./parse-worker.js";

await runParseWorker();

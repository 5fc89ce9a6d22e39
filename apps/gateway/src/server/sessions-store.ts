import type { SessionListEntry, SessionSummary } from "@spinewatch/protocol";
import { mkdir, open, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { summaryPathFor } from "./session-recorder.js";

/**
 * Session names are file stems in the sessions directory. Only this whitelist reaches the
 * file system, so no name can climb out of the directory (no `/`, no `..`, no leading dot).
 */
export const SESSION_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;
const MAX_NAME_CHARS = 128;

export const isValidSessionName = (name: string): boolean => name.length <= MAX_NAME_CHARS && SESSION_NAME_RE.test(name);

/** The sessions directory: one `<name>.ndjson` (or `.ndjson.gz`) recording per session, plus `<name>.summary.json`. */
export class SessionsStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  async ensureDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  /** A fresh name from the wall time (apps/ may use it): 2026-11-21T10-00-00-sim, -2, -3 if taken. */
  async newName(label: string): Promise<string> {
    const stamp = new Date().toISOString().replace(/\.\d+Z$/, "").replace(/:/g, "-");
    const base = `${stamp}-${label.replace(/[^A-Za-z0-9_-]/g, "-")}`;
    const taken = new Set(await readdir(this.dir).catch(() => [] as string[]));
    for (let i = 1; ; i++) {
      const name = i === 1 ? base : `${base}-${i}`;
      if (!taken.has(`${name}.ndjson`) && !taken.has(`${name}.ndjson.gz`)) return name;
    }
  }

  recordingPath(name: string): string {
    return join(this.dir, `${name}.ndjson`);
  }

  /** The existing recording of a whitelisted name, or null. */
  async findRecording(name: string): Promise<string | null> {
    if (!isValidSessionName(name)) return null;
    for (const file of [`${name}.ndjson`, `${name}.ndjson.gz`]) {
      const path = join(this.dir, file);
      const s = await stat(path).catch(() => null);
      if (s?.isFile()) return path;
    }
    return null;
  }

  async summary(name: string): Promise<SessionSummary | null> {
    const rec = await this.findRecording(name);
    if (!rec) return null;
    const text = await readFile(summaryPathFor(rec), "utf8").catch(() => null);
    return text === null ? null : (JSON.parse(text) as SessionSummary);
  }

  async list(): Promise<SessionListEntry[]> {
    const files = await readdir(this.dir).catch(() => [] as string[]);
    const out: SessionListEntry[] = [];
    for (const file of files) {
      const m = /^(.*)\.ndjson(\.gz)?$/.exec(file);
      if (!m || !isValidSessionName(m[1])) continue;
      const path = join(this.dir, file);
      const s = await stat(path).catch(() => null);
      if (!s?.isFile()) continue;
      const entry: SessionListEntry = { name: m[1], bytes: s.size, hasSummary: false };
      const summaryText = await readFile(summaryPathFor(path), "utf8").catch(() => null);
      if (summaryText !== null) {
        entry.hasSummary = true;
        try {
          entry.durationMs = (JSON.parse(summaryText) as SessionSummary).durationMs;
        } catch {
          entry.hasSummary = false;
        }
      }
      if (!m[2]) {
        const createdAt = await readHeaderCreatedAt(path);
        if (createdAt) entry.createdAt = createdAt;
      }
      out.push(entry);
    }
    return out.sort((a, b) => (a.name < b.name ? 1 : -1));
  }
}

/** createdAt from the first line, reading only its first 4 KB (a header is small). */
async function readHeaderCreatedAt(path: string): Promise<string | undefined> {
  const fh = await open(path, "r").catch(() => null);
  if (!fh) return undefined;
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const first = buf.subarray(0, bytesRead).toString("utf8").split("\n")[0];
    const header = JSON.parse(first) as { createdAt?: unknown };
    return typeof header.createdAt === "string" ? header.createdAt : undefined;
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}

import { open } from "node:fs/promises";

const TAIL_BYTES = 64 * 1024;

/**
 * The `tMs` of the last line of a plain recording, read from its tail only (so the replay can
 * show a duration without reading a 1-hour file). Null for `.gz` files (gzip cannot be read from
 * the end) and when no line in the tail has a numeric `tMs`.
 */
export async function readRecordingDurationMs(path: string): Promise<number | null> {
  if (path.endsWith(".gz")) return null;
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString("utf8").split("\n");
    // The first piece may be a partial line when the tail starts mid-file: never trusted.
    for (let i = lines.length - 1; i >= (length < size ? 1 : 0); i--) {
      try {
        const value = JSON.parse(lines[i]!) as { type?: unknown; tMs?: unknown };
        if (value.type !== "header" && typeof value.tMs === "number" && Number.isFinite(value.tMs)) return value.tMs;
      } catch {
        // A cut-off or malformed last line: look further back.
      }
    }
    return null;
  } finally {
    await handle.close();
  }
}

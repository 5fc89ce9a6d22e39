import type { AngleFrame } from "@spinewatch/protocol";
import { closeSync, openSync, writeSync } from "node:fs";

/** CONTRACTS.md §2, `--angles`: exactly this header. */
export const ANGLES_CSV_HEADER =
  "t_ms,flexion_deg,lateral_bend_deg,axial_rotation_deg,pelvis_tilt_deg,thorax_inclination_deg,rel_qw,rel_qx,rel_qy,rel_qz";

/** Flush to the file every this many characters: few syscalls, bounded memory for a 1-hour file. */
const FLUSH_CHARS = 256 * 1024;

/**
 * Writes angle frames as CSV rows. Angles to 1e-3 degrees and quaternion components to 1e-6
 * (well below the ~1° accuracy of the angles, DESIGN.md), time to 1e-3 ms.
 */
export class AnglesCsvWriter {
  readonly #fd: number;
  #buffer = ANGLES_CSV_HEADER + "\n";
  #rows = 0;

  constructor(path: string) {
    this.#fd = openSync(path, "w");
  }

  get rows(): number {
    return this.#rows;
  }

  write(f: AngleFrame): void {
    const q = f.relQuatWxyz;
    this.#buffer +=
      `${round(f.tMs, 3)},${round(f.flexionDeg, 3)},${round(f.lateralBendDeg, 3)},${round(f.axialRotationDeg, 3)},` +
      `${round(f.pelvisTiltDeg, 3)},${round(f.thoraxInclinationDeg, 3)},${round(q[0], 6)},${round(q[1], 6)},${round(q[2], 6)},${round(q[3], 6)}\n`;
    this.#rows++;
    if (this.#buffer.length >= FLUSH_CHARS) this.#flush();
  }

  close(): void {
    this.#flush();
    closeSync(this.#fd);
  }

  #flush(): void {
    if (this.#buffer.length > 0) writeSync(this.#fd, this.#buffer);
    this.#buffer = "";
  }
}

/** Rounded to `digits` decimals, trailing zeros dropped; non-finite values as empty cells. */
function round(v: number, digits: number): string {
  if (!Number.isFinite(v)) return "";
  const s = v.toFixed(digits);
  const t = s.includes(".") ? s.replace(/\.?0+$/, "") : s;
  return t === "-0" ? "0" : t;
}

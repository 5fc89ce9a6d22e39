import { STANDARD_GRAVITY_MPS2 as G_MPS2 } from "@spinewatch/protocol";
import { calibrateNeutral, refineWithBend } from "@spinewatch/kinematics";
import type { SegmentCalibration, SensorWindow } from "@spinewatch/kinematics";
import type { CalibrationSummary, EventLine, MountPreset, SignedAxis, Vec3 } from "@spinewatch/protocol";
import { copyPairFrame } from "./pair-resample.js";
import type { PairFrame } from "./types.js";

export interface CalibrationStageOptions {
  mounts: { sacrum: MountPreset; thoracic: MountPreset };
  frameRateHz: number;
  /** Calibrate on the first quiet upright stretch when no calibration event came (CONTRACTS.md §1). */
  autoCalibrate: boolean;
  /** Length of that stretch, ms (CONTRACTS.md §1: at least 2 s). */
  autoCalibrationMs: number;
}

/** Quiet: both sensors turning slower than this, °/s (our choice: well above gyro noise, far below any movement). */
const QUIET_GYRO_DPS = 5;
/** Quiet: specific force within this of 1 g, m/s² (≈ 0.06 g: standing, not walking). */
const QUIET_ACC_ERROR_MPS2 = 0.6;
/** Upright: the mount's "up" axis within this of the measured vertical, degrees. */
const UPRIGHT_MAX_DEG = 30;

interface Pending {
  kind: "neutral" | "bend";
  startMs: number;
  endMs: number;
  source: CalibrationSummary["source"];
}

/** What the stage says when it has tried to calibrate. */
export interface CalibrationResult {
  summary: CalibrationSummary;
  /** The calibration now in force, when this attempt succeeded. */
  calibration?: SegmentCalibration;
}

/**
 * Calibration stage (DESIGN.md, Calibration): from `calibrate-neutral` / `calibrate-bend` marks
 * it collects both sensors' windows over [tMs, tMs + durationMs] from the paired frames and calls
 * kinematics' calibrateNeutral / refineWithBend; without any neutral mark it calibrates on the
 * first quiet upright stretch of `autoCalibrationMs` (CONTRACTS.md §1: "analysis calibrates on the
 * first quiet upright stretch of at least 2 s, and says that it did"). Every attempt is reported.
 */
export class CalibrationStage {
  readonly #opts: CalibrationStageOptions;
  readonly #history: PairFrame[] = [];
  readonly #pending: Pending[] = [];
  #calibration: SegmentCalibration | null = null;
  #neutralRequested = false;
  #quietSinceMs: number | null = null;
  readonly #upSacrum: Vec3;
  readonly #upThoracic: Vec3;

  constructor(options: CalibrationStageOptions) {
    this.#opts = options;
    this.#upSacrum = axisVector(options.mounts.sacrum.up);
    this.#upThoracic = axisVector(options.mounts.thoracic.up);
  }

  get calibration(): SegmentCalibration | null {
    return this.#calibration;
  }

  /** Whether `tMs` lies in an announced calibration window still being collected. */
  inWindow(tMs: number): boolean {
    for (const p of this.#pending) if (tMs >= p.startMs && tMs <= p.endMs) return true;
    return false;
  }

  /** A calibration mark (recording event line or live command). Returns false for other kinds. */
  mark(ev: EventLine): boolean {
    if (ev.kind !== "calibrate-neutral" && ev.kind !== "calibrate-bend") return false;
    const durationMs = typeof ev.durationMs === "number" && ev.durationMs > 0 ? ev.durationMs : 3000;
    const source = ev["source"] === "command" ? "command" : "event";
    if (ev.kind === "calibrate-neutral") this.#neutralRequested = true;
    this.#pending.push({ kind: ev.kind === "calibrate-neutral" ? "neutral" : "bend", startMs: ev.tMs, endMs: ev.tMs + durationMs, source });
    return true;
  }

  /** One paired frame; returns the result of a calibration attempt when one was made. */
  next(frame: PairFrame): CalibrationResult | null {
    // Frames are kept (copied: the resampler reuses its frame) only while a window may need
    // them: an open window, or the quiet stretch while auto calibration is armed. Keeping every
    // frame would promote them into V8's old generation and make garbage collection dominate.
    const h = this.#history;
    const autoArmed = this.#opts.autoCalibrate && !this.#neutralRequested && this.#calibration === null;
    let keepFromMs = Infinity;
    for (const p of this.#pending) if (p.startMs < keepFromMs) keepFromMs = p.startMs;
    if (autoArmed) keepFromMs = Math.min(keepFromMs, this.#quietSinceMs ?? frame.tMs);
    if (frame.tMs >= keepFromMs) h.push(copyPairFrame(frame));
    if (h.length > 0 && h[0].tMs < keepFromMs) {
      let cut = 0;
      while (cut < h.length && h[cut].tMs < keepFromMs) cut++;
      h.splice(0, cut);
    }
    for (let i = 0; i < this.#pending.length; i++) {
      const p = this.#pending[i];
      if (frame.tMs < p.endMs) continue;
      this.#pending.splice(i, 1);
      return this.#attempt(p);
    }
    if (this.#opts.autoCalibrate && !this.#neutralRequested && this.#calibration === null) return this.#auto(frame);
    return null;
  }

  reset(): void {
    this.#history.length = 0;
    this.#pending.length = 0;
    this.#calibration = null;
    this.#neutralRequested = false;
    this.#quietSinceMs = null;
  }

  #auto(frame: PairFrame): CalibrationResult | null {
    if (!this.#quietUpright(frame)) {
      this.#quietSinceMs = null;
      return null;
    }
    if (this.#quietSinceMs === null) this.#quietSinceMs = frame.tMs;
    if (frame.tMs - this.#quietSinceMs < this.#opts.autoCalibrationMs) return null;
    const start = this.#quietSinceMs;
    this.#quietSinceMs = null; // a refused attempt waits for a fresh quiet stretch
    return this.#attempt({ kind: "neutral", startMs: start, endMs: frame.tMs, source: "auto" });
  }

  #quietUpright(f: PairFrame): boolean {
    return quiet(f.sacrum.gyrDps, f.sacrum.accMps2) && quiet(f.thoracic.gyrDps, f.thoracic.accMps2) &&
      angleDeg(f.sacrum.accMps2, this.#upSacrum) < UPRIGHT_MAX_DEG && angleDeg(f.thoracic.accMps2, this.#upThoracic) < UPRIGHT_MAX_DEG;
  }

  #attempt(p: Pending): CalibrationResult {
    const frames = this.#history.filter((f) => f.tMs >= p.startMs && f.tMs <= p.endMs);
    const expected = ((p.endMs - p.startMs) / 1000) * this.#opts.frameRateHz;
    const base: CalibrationSummary = { source: p.source, tMs: p.startMs };
    if (frames.length < Math.max(10, 0.5 * expected)) {
      return { summary: { ...base, refused: [`calibration window ${p.startMs}-${p.endMs} ms had ${frames.length} of ~${Math.round(expected)} frames (sensors stale or window outside the data kept)`] } };
    }
    const sacrum = windowOf(frames, "sacrum", this.#opts.frameRateHz);
    const thoracic = windowOf(frames, "thoracic", this.#opts.frameRateHz);
    if (p.kind === "bend") {
      if (this.#calibration === null) {
        return { summary: { ...base, refused: ["calibrate-bend before a successful neutral calibration"] } };
      }
      const outcome = refineWithBend(this.#calibration, { sacrum, thoracic });
      if (!outcome.ok) return { summary: { ...base, quality: this.#calibration.quality, refused: outcome.reasons } };
      this.#calibration = outcome.calibration;
      return { summary: { ...base, quality: outcome.calibration.quality }, calibration: outcome.calibration };
    }
    const outcome = calibrateNeutral({ sacrum, thoracic, mounts: this.#opts.mounts });
    if (!outcome.ok) return { summary: { ...base, refused: outcome.reasons } };
    this.#calibration = outcome.calibration;
    return { summary: { ...base, quality: outcome.calibration.quality }, calibration: outcome.calibration };
  }
}

function windowOf(frames: PairFrame[], which: "sacrum" | "thoracic", rateHz: number): SensorWindow {
  return {
    accMps2: frames.map((f) => f[which].accMps2),
    gyrDps: frames.map((f) => f[which].gyrDps),
    quatWxyz: frames.map((f) => f[which].quatWxyz),
    rateHz,
  };
}

function quiet(gyrDps: Vec3, accMps2: Vec3): boolean {
  const w = Math.hypot(gyrDps[0], gyrDps[1], gyrDps[2]);
  const a = Math.hypot(accMps2[0], accMps2[1], accMps2[2]);
  return w < QUIET_GYRO_DPS && Math.abs(a - G_MPS2) < QUIET_ACC_ERROR_MPS2;
}

function angleDeg(a: Vec3, b: Vec3): number {
  const n = Math.hypot(a[0], a[1], a[2]) * Math.hypot(b[0], b[1], b[2]);
  if (!(n > 0)) return 180;
  const c = (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / n;
  return (Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI;
}

function axisVector(axis: SignedAxis): Vec3 {
  const s = axis[0] === "-" ? -1 : 1;
  const i = axis[1] === "x" ? 0 : axis[1] === "y" ? 1 : 2;
  const v: Vec3 = [0, 0, 0];
  v[i] = s;
  return v;
}

import { STANDARD_GRAVITY_MPS2 as G_MPS2 } from "@spinewatch/protocol";
import { calibrateNeutral, estimateGyroScale, quatRotate, refineWithBend } from "@spinewatch/kinematics";
import type { CalibrationSensor, SegmentCalibration, SensorWindow } from "@spinewatch/kinematics";
import type { CalibrationSummary, EventLine, MountPreset, SignedAxis, Vec3 } from "@spinewatch/protocol";
import { FrameRing } from "./frame-ring.js";
import { copyPairFrame } from "./pair-resample.js";
import type { PairFrame } from "./types.js";

export interface CalibrationStageOptions {
  mounts: { sacrum: MountPreset; thoracic: MountPreset };
  frameRateHz: number;
  /** Calibrate on the first quiet upright stretch when no calibration event came (CONTRACTS.md §1). */
  autoCalibrate: boolean;
  /** Length of that stretch, ms (CONTRACTS.md §1: at least 2 s). */
  autoCalibrationMs: number;
  /** Margin of the gyro scale correction: only a measured error's part beyond it is corrected; default SCALE_ERROR_MARGIN. */
  correctGyroScaleFrom?: number;
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
  /** A bend's frames from GYRO_SCALE_LEAD_MS before it, as far as they came before its mark. */
  lead?: PairFrame[];
}

/**
 * A bend's gyro scale is measured over the bend and this long before it: standing still before
 * bending is one of the still moments it needs (kinematics gyro-scale.ts).
 */
const GYRO_SCALE_LEAD_MS = 1000;
/**
 * Of a measured scale, only the part of its error beyond this margin is corrected (a soft
 * threshold: measured 1.025 → corrected as 1.015, 0.993 → not at all). The estimate is no better
 * than the accelerometer that shows the turn: its axes' scale differences and misalignment
 * (0.3 % and 0.5 % SD in the simulator's error model) stretch the angle between the bend's
 * gravity directions, so measured scales came out 0.1-1.2 % off the drawn ones (seed 8: thoracic
 * measured 0.985-0.987 for 0.997, the x and z scales of its accelerometer 1.25 % apart). Applied
 * whole, such an estimate made a sensor worse than it was, and a scale error common to both
 * sensors, which cancels in lumbar flexion (a difference of their tilts), was traded for the
 * estimates' independent ones. With the margin, an estimate that is off by less than it never
 * moves the scale past the truth.
 * Measured (docs/BENCHMARKS.md issue 4 session 9; swings, rounding swings and hip hinges, both
 * devices, seeds 1-8, 300 s), rep peak flexion error p95 / max: default error model (gyro scale
 * SD 0.5 %), correcting the whole estimate when one was ≥ 1 % off: 1.35 / 3.52°; this margin:
 * 0.77 / 2.29°; with gyro scale SD 2 %: 1.34 / 3.51° and 1.93 / 2.96° (never correcting: 2.90 /
 * 3.69°). A margin of 0.5 % did 0.75 / 2.84° and 1.21 / 2.83°, but cost flexion warnings in time
 * (0.946 → 0.938; with SD 2 %, 0.903 → 0.842).
 */
const SCALE_ERROR_MARGIN = 0.01;

/** A gyroscope's scale about an axis, measured (kinematics estimateGyroScale). */
export interface GyroScaleFix {
  /** The axis, sensor axes, unit. */
  axisSensor: Vec3;
  /** Measured / true rate about it, relative to the gyro as the bend saw it. */
  scale: number;
}

/** What the stage says when it has tried to calibrate. */
export interface CalibrationResult {
  summary: CalibrationSummary;
  /** The calibration now in force, when this attempt succeeded. */
  calibration?: SegmentCalibration;
  /** Gyro scales to correct from now on, per sensor: the measured ones less the margin (SCALE_ERROR_MARGIN), where any is left. */
  gyroScale?: Partial<Record<CalibrationSensor, GyroScaleFix>>;
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
  readonly #ring: FrameRing;
  #calibration: SegmentCalibration | null = null;
  #neutralRequested = false;
  #quietSinceMs: number | null = null;
  readonly #upSacrum: Vec3;
  readonly #upThoracic: Vec3;

  constructor(options: CalibrationStageOptions) {
    this.#opts = options;
    this.#ring = new FrameRing(Math.ceil((GYRO_SCALE_LEAD_MS * options.frameRateHz) / 1000) + 1);
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
    const p: Pending = { kind: ev.kind === "calibrate-neutral" ? "neutral" : "bend", startMs: ev.tMs, endMs: ev.tMs + durationMs, source };
    if (p.kind === "bend") p.lead = this.#ring.since(p.startMs - GYRO_SCALE_LEAD_MS);
    this.#pending.push(p);
    return true;
  }

  /** One paired frame; returns the result of a calibration attempt when one was made. */
  next(frame: PairFrame): CalibrationResult | null {
    // Frames are kept (copied: the resampler reuses its frame) only while a window may need
    // them: an open window, or the quiet stretch while auto calibration is armed. Keeping every
    // frame would promote them into V8's old generation and make garbage collection dominate.
    const h = this.#history;
    this.#ring.push(frame);
    const autoArmed = this.#opts.autoCalibrate && !this.#neutralRequested && this.#calibration === null;
    let keepFromMs = Infinity;
    for (const p of this.#pending) keepFromMs = Math.min(keepFromMs, p.kind === "bend" ? p.startMs - GYRO_SCALE_LEAD_MS : p.startMs);
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
    this.#ring.clear();
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
      const quality = { ...outcome.calibration.quality };
      const { measured, notMeasured } = this.#gyroScales(p, outcome.calibration);
      if (Object.keys(notMeasured).length > 0) quality.gyroScaleNotMeasured = notMeasured;
      const names = Object.keys(measured) as CalibrationSensor[];
      if (names.length === 0) return { summary: { ...base, quality }, calibration: outcome.calibration };
      quality.gyroScale = {};
      for (const name of names) quality.gyroScale[name] = Math.round(measured[name]!.scale * 1e4) / 1e4;
      const margin = this.#opts.correctGyroScaleFrom ?? SCALE_ERROR_MARGIN;
      const applied: Partial<Record<CalibrationSensor, GyroScaleFix>> = {};
      for (const name of names) {
        const error = measured[name]!.scale - 1;
        if (Math.abs(error) > margin) applied[name] = { ...measured[name]!, scale: 1 + Math.sign(error) * (Math.abs(error) - margin) };
      }
      quality.gyroScaleCorrected = Object.keys(applied).length > 0;
      return { summary: { ...base, quality }, calibration: outcome.calibration, ...(quality.gyroScaleCorrected ? { gyroScale: applied } : {}) };
    }
    const outcome = calibrateNeutral({ sacrum, thoracic, mounts: this.#opts.mounts });
    if (!outcome.ok) return { summary: { ...base, refused: outcome.reasons } };
    this.#calibration = outcome.calibration;
    return { summary: { ...base, quality: outcome.calibration.quality }, calibration: outcome.calibration };
  }

  /**
   * Each sensor's gyro scale about its bend axis (the refined calibration's segment Z), from the
   * bend and the stance before it. A sensor whose still moments do not allow it (no pause at the
   * bottom, or holes in the frames where it mattered) is left out, with the reason.
   */
  #gyroScales(p: Pending, cal: SegmentCalibration): { measured: Partial<Record<CalibrationSensor, GyroScaleFix>>; notMeasured: Record<string, string> } {
    const lead = p.lead ?? [];
    const afterMs = lead.length > 0 ? lead[lead.length - 1].tMs : -Infinity;
    // The frames that came after the mark (the resampler runs a little behind the marks) follow.
    const frames = [...lead, ...this.#history.filter((f) => f.tMs > afterMs && f.tMs >= p.startMs - GYRO_SCALE_LEAD_MS && f.tMs <= p.endMs)];
    const measured: Partial<Record<CalibrationSensor, GyroScaleFix>> = {};
    const notMeasured: Record<string, string> = {};
    for (const name of ["sacrum", "thoracic"] as const) {
      // A stale sensor's samples are not what it measured: left out, they are a hole, which
      // the estimate does not integrate across.
      const own = frames.filter((f) => f[name].fresh);
      const axisSensor = quatRotate(cal[name].sensorToSegment, [0, 0, 1]);
      const input = { tMs: own.map((f) => f.tMs), accMps2: own.map((f) => f[name].accMps2), gyrDps: own.map((f) => f[name].gyrDps) };
      const r = estimateGyroScale(input, axisSensor);
      if (r.ok) measured[name] = { axisSensor, scale: r.estimate.scale };
      else notMeasured[name] = r.reason;
    }
    return { measured, notMeasured };
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

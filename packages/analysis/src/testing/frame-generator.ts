/**
 * Synthetic AngleFrame sequences for the detector tests: piecewise trajectories of the four
 * lumbar/pelvic channels, minimum-jerk between keypoints (Flash & Hogan 1985: the smooth
 * profile of voluntary point-to-point movement) or linear (a slow drift), seeded noise, gaps.
 * Test support only; not exported from the package index.
 */
import type { AngleFrame, QuatWxyz } from "@spinewatch/protocol";
import { quatFromAxisAngle, quatMultiply } from "@spinewatch/kinematics";
import { gaussian, mulberry32 } from "@spinewatch/protocol/testing";

export type Channel = "pelvisTiltDeg" | "pelvisObliquityDeg" | "flexionDeg" | "lateralBendDeg" | "axialRotationDeg";
const CHANNELS: readonly Channel[] = ["pelvisTiltDeg", "pelvisObliquityDeg", "flexionDeg", "lateralBendDeg", "axialRotationDeg"];

interface Keypoint {
  tMs: number;
  deg: number;
  /** Shape of the segment that arrives at this keypoint. */
  shape: "mj" | "linear";
}

/** Minimum-jerk position fraction at normalised time tau in [0, 1]. */
export function minimumJerk(tau: number): number {
  const x = Math.min(1, Math.max(0, tau));
  return x * x * x * (10 - 15 * x + 6 * x * x);
}

/** Builds the trajectories of all channels in step: every segment ends at one shared time. */
export class Motion {
  #tMs: number;
  #tracks = new Map<Channel, Keypoint[]>();

  constructor(start: Partial<Record<Channel, number>> = {}, t0Ms = 0) {
    this.#tMs = t0Ms;
    for (const ch of CHANNELS) this.#tracks.set(ch, [{ tMs: t0Ms, deg: start[ch] ?? 0, shape: "mj" }]);
  }

  get tMs(): number {
    return this.#tMs;
  }

  /** Current (end) value of a channel. */
  value(ch: Channel): number {
    const tr = this.#tracks.get(ch)!;
    return tr[tr.length - 1].deg;
  }

  /** Moves the named channels to their targets over durMs; the others hold. */
  move(durMs: number, targets: Partial<Record<Channel, number>>, shape: "mj" | "linear" = "mj"): this {
    this.#tMs += durMs;
    for (const ch of CHANNELS) {
      this.#tracks.get(ch)!.push({ tMs: this.#tMs, deg: targets[ch] ?? this.value(ch), shape });
    }
    return this;
  }

  hold(durMs: number): this {
    return this.move(durMs, {});
  }

  /** Value of a channel at time tMs (held before the first and after the last keypoint). */
  at(ch: Channel, tMs: number): number {
    const tr = this.#tracks.get(ch)!;
    if (tMs <= tr[0].tMs) return tr[0].deg;
    // Keypoints are time-ordered; binary search for the segment.
    let lo = 0;
    let hi = tr.length - 1;
    if (tMs >= tr[hi].tMs) return tr[hi].deg;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (tr[mid].tMs <= tMs) lo = mid;
      else hi = mid;
    }
    const a = tr[lo];
    const b = tr[hi];
    const tau = (tMs - a.tMs) / (b.tMs - a.tMs);
    const f = b.shape === "linear" ? tau : minimumJerk(tau);
    return a.deg + (b.deg - a.deg) * f;
  }
}

export interface FrameOptions {
  rateHz?: number;
  /** Frames from t0Ms (default 0) to endMs inclusive. */
  t0Ms?: number;
  endMs: number;
  /** SD of white noise added to every channel, degrees. */
  noiseDeg?: number;
  seed?: number;
  /** Time intervals [startMs, endMs) without frames. */
  gaps?: ReadonlyArray<readonly [number, number]>;
  /** Added to a channel after the motion (e.g. a rest wobble). */
  extra?: (ch: Channel, tMs: number) => number;
}

/** Relative thorax-pelvis quaternion of DESIGN.md's Z-X-Y Cardan angles (flexion = -a, bend = +b, rotation = -c). */
export function lumbarQuat(flexionDeg: number, lateralBendDeg: number, axialRotationDeg: number): QuatWxyz {
  const d = Math.PI / 180;
  const qz = quatFromAxisAngle([0, 0, 1], -flexionDeg * d);
  const qx = quatFromAxisAngle([1, 0, 0], lateralBendDeg * d);
  const qy = quatFromAxisAngle([0, 1, 0], -axialRotationDeg * d);
  return quatMultiply(quatMultiply(qz, qx), qy);
}

/** Samples a Motion into frames at rateHz, with noise and gaps. */
export function generateFrames(motion: Motion, options: FrameOptions): AngleFrame[] {
  const rateHz = options.rateHz ?? 100;
  const rand = mulberry32(options.seed ?? 1);
  const noiseDeg = options.noiseDeg ?? 0;
  const frames: AngleFrame[] = [];
  const t0 = options.t0Ms ?? 0;
  const n = Math.floor(((options.endMs - t0) * rateHz) / 1000 + 1e-9);
  for (let i = 0; i <= n; i++) {
    const tMs = t0 + (i * 1000) / rateHz;
    if (options.gaps?.some(([a, b]) => tMs >= a && tMs < b)) continue;
    const v = (ch: Channel): number =>
      motion.at(ch, tMs) + (options.extra?.(ch, tMs) ?? 0) + noiseDeg * gaussian(rand);
    const pelvisTiltDeg = v("pelvisTiltDeg");
    const flexionDeg = v("flexionDeg");
    const lateralBendDeg = v("lateralBendDeg");
    const axialRotationDeg = v("axialRotationDeg");
    frames.push({
      tMs,
      flexionDeg,
      lateralBendDeg,
      axialRotationDeg,
      pelvisTiltDeg,
      // Sagittal approximation (DESIGN.md, Angles): thorax inclination ≈ pelvis tilt + flexion.
      thoraxInclinationDeg: pelvisTiltDeg + flexionDeg,
      // Without noise: a draw here would shift every later frame's noise, and with it the data
      // of the tests written before this channel existed.
      pelvisObliquityDeg: motion.at("pelvisObliquityDeg", tMs) + (options.extra?.("pelvisObliquityDeg", tMs) ?? 0),
      relQuatWxyz: lumbarQuat(flexionDeg, lateralBendDeg, axialRotationDeg),
    });
  }
  return frames;
}

/** A generated rep's truth. */
export interface TruthRep {
  startMs: number;
  endMs: number;
  peakPelvisTiltDeg: number;
  peakFlexionDeg: number;
}

/**
 * Appends kettlebell swings: each rep goes from lockout down to `depthDeg` of pelvis tilt in
 * half the period and back, lumbar flexion peaking with the hinge at `flexionDeg(i)`.
 */
export function addSwings(
  motion: Motion,
  count: number,
  periodMs: number,
  rand: () => number,
  opts: { depthDeg?: [number, number]; flexionDeg?: [number, number]; lockoutExtensionDeg?: number } = {},
): TruthRep[] {
  const [dLo, dHi] = opts.depthDeg ?? [60, 80];
  const [fLo, fHi] = opts.flexionDeg ?? [4, 9];
  const reps: TruthRep[] = [];
  for (let i = 0; i < count; i++) {
    const depth = dLo + (dHi - dLo) * rand();
    const flex = fLo + (fHi - fLo) * rand();
    const startMs = motion.tMs;
    motion.move(periodMs / 2, { pelvisTiltDeg: depth, flexionDeg: flex });
    motion.move(periodMs / 2, { pelvisTiltDeg: 0, flexionDeg: -(opts.lockoutExtensionDeg ?? 0) });
    reps.push({ startMs, endMs: motion.tMs, peakPelvisTiltDeg: depth, peakFlexionDeg: flex });
  }
  return reps;
}

/** Runs a processor over frames, collecting every event. */
export function runAll<E>(proc: { next(f: AngleFrame): E[] }, frames: readonly AngleFrame[]): E[] {
  const out: E[] = [];
  for (const f of frames) out.push(...proc.next(f));
  return out;
}

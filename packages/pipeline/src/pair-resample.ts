import { quatHermite, quatMultiply, quatNormalize, quatSlerp } from "@spinewatch/kinematics";
import type { SensorId } from "@spinewatch/protocol";
import type { OrientedSample, PairFrame } from "./types.js";

export interface PairResampleOptions {
  sacrumId: SensorId;
  thoracicId: SensorId;
  /** Rate of the common timeline, Hz. */
  frameRateHz: number;
  /** Bracketing samples further apart than this are not interpolated across, ms. */
  maxGapMs: number;
  /** Samples kept per sensor while waiting for the other one. */
  capacity?: number;
}

/** A sensor's freshness as pairing sees it, reported on change (MovementEvent `sensor-state`). */
export interface StaleChange {
  sensorId: SensorId;
  tMs: number;
  state: "stale" | "fresh";
  detail: string;
}

/** Fixed-capacity queue of one sensor's recent samples, oldest first. */
class SampleQueue {
  readonly #buf: (OrientedSample | undefined)[];
  #head = 0;
  #size = 0;
  constructor(capacity: number) {
    this.#buf = new Array(capacity);
  }
  get size(): number {
    return this.#size;
  }
  at(i: number): OrientedSample {
    return this.#buf[(this.#head + i) % this.#buf.length] as OrientedSample;
  }
  last(): OrientedSample {
    return this.at(this.#size - 1);
  }
  push(s: OrientedSample): void {
    if (this.#size === this.#buf.length) this.shift();
    this.#buf[(this.#head + this.#size) % this.#buf.length] = s;
    this.#size++;
  }
  shift(): void {
    this.#buf[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#buf.length;
    this.#size--;
  }
  clear(): void {
    while (this.#size > 0) this.shift();
    this.#head = 0;
  }
}

interface Side {
  id: SensorId;
  queue: SampleQueue;
  /** Last reported freshness; null before the first report. */
  reported: "stale" | "fresh" | null;
  /** Link lost (status event) until its next sample. */
  linkLost: boolean;
}

/**
 * Pairs the two sensors on one timeline (DESIGN.md data flow "pair + resample"): frame time t
 * (a multiple of 1/frameRateHz) is emitted once both sensors have a sample at or after t, each
 * orientation slerped between its bracketing samples (across lost samples: a Hermite curve
 * through both ends' rates, HERMITE_MIN_SPAN_MS; acc and gyro linearly). A frame is never
 * made from a stale orientation: if either sensor's bracketing samples are more than
 * `maxGapMs` apart, or either is not fresh (re-converging), the frame is skipped and the sensor
 * reported stale until it is back; frames resume with the first fresh bracket. A held sample
 * (OrientedSample.held: after a gap our filter bridged, its tilt awaiting confirmation) is
 * waited for instead: frames stop there until a later sample of its sensor resolves it, then are
 * emitted late with the fix the confirmation applied, or skipped if it expired. Nothing is shown
 * before it is confirmed; a rep, its peak or a warning inside the wait (0.2-0.9 s after the
 * gap) is no longer lost with it.
 * The PairFrame handed to `emitFrame` is reused for the next frame ({@link copyPairFrame} keeps one).
 */
export class PairResampler {
  readonly #periodMs: number;
  readonly #maxGapMs: number;
  readonly #sides: [Side, Side];
  /** Index of the next frame on the grid (t = k·period). */
  #k = -1;
  skippedFrames = 0;
  /** The frame handed out, reused (allocation-light per-frame path): copy it to keep it. */
  readonly #frame: PairFrame;

  constructor(options: PairResampleOptions) {
    this.#periodMs = 1000 / options.frameRateHz;
    this.#maxGapMs = options.maxGapMs;
    const cap = options.capacity ?? 512;
    this.#frame = { tMs: 0, sacrum: emptySample(options.sacrumId), thoracic: emptySample(options.thoracicId) };
    this.#sides = [
      { id: options.sacrumId, queue: new SampleQueue(cap), reported: null, linkLost: false },
      { id: options.thoracicId, queue: new SampleQueue(cap), reported: null, linkLost: false },
    ];
  }

  /** Adds one sample; frames that became complete go to `emitFrame`, freshness changes to `emitState`. */
  next(s: OrientedSample, emitFrame: (f: PairFrame) => void, emitState: (c: StaleChange) => void): void {
    const side = s.sensorId === this.#sides[0].id ? this.#sides[0] : s.sensorId === this.#sides[1].id ? this.#sides[1] : null;
    if (side === null) return;
    side.linkLost = false;
    if (s.heldFix !== undefined || s.heldResolved !== undefined) resolveHeld(side.queue, s);
    side.queue.push(s);
    this.#updateFreshness(s.tMs, emitState);
    this.#drain(emitFrame);
  }

  /** The link of a sensor was lost (status event): stale at once, whatever the other one does. */
  linkLost(sensorId: SensorId, tMs: number, emitState: (c: StaleChange) => void): void {
    for (const side of this.#sides) if (side.id === sensorId) side.linkLost = true;
    this.#updateFreshness(tMs, emitState);
  }

  /** Time has advanced to `nowMs` with no data (stamp): a sensor silent for longer than maxGapMs is stale. */
  advance(nowMs: number, emitState: (c: StaleChange) => void): void {
    this.#updateFreshness(nowMs, emitState);
  }

  reset(): void {
    for (const side of this.#sides) {
      side.queue.clear();
      side.reported = null;
      side.linkLost = false;
    }
    this.#k = -1;
    this.skippedFrames = 0;
  }

  #updateFreshness(nowMs: number, emitState: (c: StaleChange) => void): void {
    const [a, b] = this.#sides;
    const latestA = a.queue.size > 0 ? a.queue.last().tMs : -Infinity;
    const latestB = b.queue.size > 0 ? b.queue.last().tMs : -Infinity;
    const now = Math.max(nowMs, latestA, latestB);
    for (const side of this.#sides) {
      let state: "stale" | "fresh";
      let detail: string;
      if (side.queue.size === 0) continue;
      const last = side.queue.last();
      if (side.linkLost) {
        state = "stale";
        detail = "link lost";
      } else if (now - last.tMs > this.#maxGapMs) {
        state = "stale";
        detail = `no sample for ${Math.round(now - last.tMs)} ms`;
      } else if (!last.fresh) {
        state = "stale";
        detail = last.held ? "orientation awaiting confirmation after a gap (frames held)" : "orientation re-converging";
      } else {
        state = "fresh";
        detail = "samples arriving";
      }
      if (state !== side.reported) {
        side.reported = state;
        emitState({ sensorId: side.id, tMs: now, state, detail });
      }
    }
  }

  #drain(emitFrame: (f: PairFrame) => void): void {
    const [a, b] = this.#sides;
    const qa = a.queue, qb = b.queue;
    if (qa.size === 0 || qb.size === 0) return;
    const P = this.#periodMs;
    if (this.#k < 0) this.#k = Math.ceil(Math.max(qa.at(0).tMs, qb.at(0).tMs) / P);
    const latest = Math.min(qa.last().tMs, qb.last().tMs);
    for (;;) {
      const t = this.#k * P;
      if (t > latest) return;
      // Drop samples no longer needed: keep the last one at or before t.
      while (qa.size > 1 && qa.at(1).tMs <= t) qa.shift();
      while (qb.size > 1 && qb.at(1).tMs <= t) qb.shift();
      const a0 = qa.at(0), b0 = qb.at(0);
      if (a0.tMs > t || b0.tMs > t) {
        // One sensor's samples start after t (it overflowed its queue while the other was away).
        this.skippedFrames++;
        this.#k = Math.ceil(Math.max(a0.tMs, b0.tMs) / P);
        continue;
      }
      const a1 = qa.size > 1 ? qa.at(1) : a0;
      const b1 = qb.size > 1 ? qb.at(1) : b0;
      const staleA = a1.tMs - a0.tMs > this.#maxGapMs || !a0.fresh || !a1.fresh;
      const staleB = b1.tMs - b0.tMs > this.#maxGapMs || !b0.fresh || !b1.fresh;
      // A held sample in a bracket that is not too wide: wait for its sensor's verdict.
      if ((staleA && a1.tMs - a0.tMs <= this.#maxGapMs && (a0.held || a1.held)) || (staleB && b1.tMs - b0.tMs <= this.#maxGapMs && (b0.held || b1.held))) return;
      if (staleA || staleB) {
        // Skip to the first frame time that may have a valid bracket again.
        let resume = this.#k + 1;
        if (staleA && a1.tMs - a0.tMs > this.#maxGapMs) resume = Math.max(resume, Math.ceil(a1.tMs / P));
        if (staleB && b1.tMs - b0.tMs > this.#maxGapMs) resume = Math.max(resume, Math.ceil(b1.tMs / P));
        this.skippedFrames += resume - this.#k;
        this.#k = resume;
        continue;
      }
      const f = this.#frame;
      f.tMs = t;
      interpolateInto(a0, a1, t, f.sacrum);
      interpolateInto(b0, b1, t, f.thoracic);
      emitFrame(f);
      this.#k++;
    }
  }
}

/** What `s` says of its sensor's queued held samples: the fix they are owed, then their fate. */
function resolveHeld(queue: SampleQueue, s: OrientedSample): void {
  for (let i = 0; i < queue.size; i++) {
    const h = queue.at(i);
    if (h.held !== true) continue;
    if (s.heldFix !== undefined) quatNormalize(quatMultiply(s.heldFix, h.quatWxyz), h.quatWxyz);
    if (s.heldResolved === undefined) continue;
    delete h.held;
    if (s.heldResolved === "confirmed") h.fresh = true;
  }
}

function emptySample(sensorId: SensorId): OrientedSample {
  return { sensorId, tMs: 0, quatWxyz: [1, 0, 0, 0], accMps2: [0, 0, 0], gyrDps: [0, 0, 0], fresh: true };
}

/**
 * Bracketing samples further apart than this (one or more samples lost: 10 ms apart at 100 Hz,
 * 16.7 ms at the DOT's 60 Hz) are joined by a Hermite curve through both ends' angular rates
 * instead of slerp, ms. Slerp turns at a constant rate across the hole and cuts off a turning
 * point inside it: a swing's peak during 40-90 ms of lost samples came out 1.5-3.5° short
 * (simulator, bench/diagnose-residuals.ts). Closer samples keep slerp (cheaper, the same to
 * within 0.01°).
 */
const HERMITE_MIN_SPAN_MS = 25;

function interpolateInto(s0: OrientedSample, s1: OrientedSample, tMs: number, out: OrientedSample): void {
  const span = s1.tMs - s0.tMs;
  const f = span > 0 ? (tMs - s0.tMs) / span : 0;
  const g = 1 - f;
  const a0 = s0.accMps2, a1 = s1.accMps2, w0 = s0.gyrDps, w1 = s1.gyrDps;
  out.tMs = tMs;
  if (f === 0) {
    const q = out.quatWxyz;
    q[0] = s0.quatWxyz[0]; q[1] = s0.quatWxyz[1]; q[2] = s0.quatWxyz[2]; q[3] = s0.quatWxyz[3];
  } else if (span > HERMITE_MIN_SPAN_MS) {
    quatHermite(s0.quatWxyz, s0.gyrDps, s1.quatWxyz, s1.gyrDps, span / 1000, f, out.quatWxyz);
  } else {
    quatSlerp(s0.quatWxyz, s1.quatWxyz, f, out.quatWxyz);
  }
  const a = out.accMps2, w = out.gyrDps;
  a[0] = g * a0[0] + f * a1[0]; a[1] = g * a0[1] + f * a1[1]; a[2] = g * a0[2] + f * a1[2];
  w[0] = g * w0[0] + f * w1[0]; w[1] = g * w0[1] + f * w1[1]; w[2] = g * w0[2] + f * w1[2];
}

/** A deep copy of a (reused) pair frame, for whoever keeps frames. */
export function copyPairFrame(f: PairFrame): PairFrame {
  return { tMs: f.tMs, sacrum: copySample(f.sacrum), thoracic: copySample(f.thoracic) };
}

function copySample(s: OrientedSample): OrientedSample {
  return {
    sensorId: s.sensorId, tMs: s.tMs, fresh: s.fresh,
    quatWxyz: [s.quatWxyz[0], s.quatWxyz[1], s.quatWxyz[2], s.quatWxyz[3]],
    accMps2: [s.accMps2[0], s.accMps2[1], s.accMps2[2]],
    gyrDps: [s.gyrDps[0], s.gyrDps[1], s.gyrDps[2]],
  };
}

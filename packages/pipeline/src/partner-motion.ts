import { STANDARD_GRAVITY_MPS2 as G_MPS2, type QuatWxyz, type SensorId, type Vec3 } from "@spinewatch/protocol";
import { quatConjugate, quatMultiply, quatRotate, RAD_PER_DEG } from "@spinewatch/kinematics";

/** Samples kept per sensor: 1.28 s at 100 Hz, over the joint fit's window and the lanes' lag. */
const RING = 128;
/** Per sample: time, velocity change since the run began (3), orientation (4), rate in rad/s (3). */
const STRIDE = 11;
/** A step longer than this (a lost packet or more) starts the run again: Δv is not integrated across it, ms. */
const MAX_STEP_MS = 50;

interface Lane {
  readonly id: SensorId;
  readonly ring: Float64Array;
  start: number;
  count: number;
  /** Which run of trusted samples the ring holds: Δv values of different runs do not subtract. */
  run: number;
  /** The previous sample's specific force in world axes, for the trapezoid. */
  readonly fPrev: Vec3;
  /** Rotation from this sensor's filter world axes to the common ones (null: not known yet). */
  toCommon: QuatWxyz | null;
}

/**
 * Each sensor's recent motion in its own filter's world axes, shared by the orientation stages of
 * one pipeline (SpineCore), for the other sensor's joint tilt fit (JointTiltEstimator): the
 * velocity change Δv(t) = ∫ (R f − g·ẑ) dt of a run of trusted samples (fresh, no step over
 * MAX_STEP_MS), and the orientation and rate from which R·(ω × r) is formed. The filters' world
 * frames differ in heading; `setWorldAlign` gives each one's rotation into common axes (the
 * calibration's heading alignment: the sacrum's world is the common one, the thoracic filter's
 * turns by SegmentCalibration.thoracicWorldAlign), and until both are known no query answers.
 * Times are sample times, so a replay as fast as possible gives the same answers as real time.
 */
export class PartnerMotion {
  readonly #lanes: Lane[] = [];
  readonly #f: Vec3 = [0, 0, 0];
  readonly #tmp: Vec3 = [0, 0, 0];

  /** Rotation from `sensorId`'s filter world axes to the common axes; null forgets it. */
  setWorldAlign(sensorId: SensorId, toCommon: Readonly<QuatWxyz> | null): void {
    const lane = this.#lane(sensorId);
    if (toCommon === null) lane.toCommon = null;
    else if (lane.toCommon === null) lane.toCommon = [toCommon[0], toCommon[1], toCommon[2], toCommon[3]];
    else for (let i = 0; i < 4; i++) lane.toCommon[i] = toCommon[i];
  }

  /** One oriented sample of `sensorId`; an untrusted one (stale, being confirmed) ends its run. */
  record(sensorId: SensorId, tMs: number, q: Readonly<QuatWxyz>, accMps2: Readonly<Vec3>, gyrDps: Readonly<Vec3>, trusted: boolean): void {
    const lane = this.#lane(sensorId);
    if (!trusted) {
      if (lane.count > 0) lane.run++;
      lane.count = 0;
      return;
    }
    const f = quatRotate(q, accMps2, this.#f);
    const r = lane.ring;
    let dvx = 0, dvy = 0, dvz = 0;
    if (lane.count > 0) {
      const last = ((lane.start + lane.count - 1) % RING) * STRIDE;
      const dtS = (tMs - r[last]) / 1000;
      if (!(dtS > 0 && dtS * 1000 <= MAX_STEP_MS)) {
        lane.count = 0;
        lane.run++;
      }
      else {
        const p = lane.fPrev;
        dvx = r[last + 1] + 0.5 * (p[0] + f[0]) * dtS;
        dvy = r[last + 2] + 0.5 * (p[1] + f[1]) * dtS;
        dvz = r[last + 3] + (0.5 * (p[2] + f[2]) - G_MPS2) * dtS;
      }
    }
    if (lane.count === RING) {
      lane.start = (lane.start + 1) % RING;
      lane.count--;
    }
    const at = ((lane.start + lane.count) % RING) * STRIDE;
    r[at] = tMs;
    r[at + 1] = dvx; r[at + 2] = dvy; r[at + 3] = dvz;
    r[at + 4] = q[0]; r[at + 5] = q[1]; r[at + 6] = q[2]; r[at + 7] = q[3];
    r[at + 8] = gyrDps[0] * RAD_PER_DEG; r[at + 9] = gyrDps[1] * RAD_PER_DEG; r[at + 10] = gyrDps[2] * RAD_PER_DEG;
    lane.count++;
    lane.fPrev[0] = f[0]; lane.fPrev[1] = f[1]; lane.fPrev[2] = f[2];
  }

  /** Time of the other sensor's latest sample in its current run (−Infinity: none). */
  latestMs(asker: SensorId): number {
    const p = this.#partner(asker);
    if (p === null || p.count === 0) return -Infinity;
    return p.ring[((p.start + p.count - 1) % RING) * STRIDE];
  }

  /**
   * The other sensor at `tMs`, between its samples (linearly), in `asker`'s filter world axes:
   * its velocity change since its run began (`dvOut`, m/s; only differences within one run mean
   * anything: `run` says which) and M = R·[ω]× (`mOut`, row-major: M·r = R·(ω × r) for a
   * lever arm r in its axes, m/s per m). False when its run does not cover `tMs`.
   */
  at(asker: SensorId, tMs: number, dvOut: Vec3, mOut: Float64Array): boolean {
    const p = this.#partner(asker);
    let a: Lane | undefined;
    for (let i = 0; i < this.#lanes.length; i++) if (this.#lanes[i].id === asker) a = this.#lanes[i];
    if (a === undefined || p === null || p.count < 2 || a.toCommon === null || p.toCommon === null) return false;
    const r = p.ring;
    let hi = -1, lo = -1;
    for (let k = p.count - 1; k >= 1; k--) {
      const i = ((p.start + k) % RING) * STRIDE;
      const h = ((p.start + k - 1) % RING) * STRIDE;
      if (r[i] >= tMs && r[h] <= tMs) {
        hi = i;
        lo = h;
        break;
      }
    }
    if (hi < 0) return false;
    const span = r[hi] - r[lo];
    const u = span > 0 ? (tMs - r[lo]) / span : 0;
    // Partner world -> asker world: toCommon(asker)⁻¹ ⊗ toCommon(partner).
    const rel = quatMultiply(quatConjugate(a.toCommon), p.toCommon);
    const dv = this.#tmp;
    for (let j = 0; j < 3; j++) dv[j] = r[lo + 1 + j] + u * (r[hi + 1 + j] - r[lo + 1 + j]);
    quatRotate(rel, dv, dvOut);
    const q = quatMultiply(rel, [r[lo + 4], r[lo + 5], r[lo + 6], r[lo + 7]]);
    const w: Vec3 = [r[lo + 8] + u * (r[hi + 8] - r[lo + 8]), r[lo + 9] + u * (r[hi + 9] - r[lo + 9]), r[lo + 10] + u * (r[hi + 10] - r[lo + 10])];
    rotatedCrossMatrix(q, w, mOut);
    return true;
  }

  /** Which run of trusted samples the other sensor is in (a new one after each break; NaN: no other sensor). */
  run(asker: SensorId): number {
    return this.#partner(asker)?.run ?? Number.NaN;
  }

  reset(): void {
    for (const lane of this.#lanes) {
      lane.count = 0;
      lane.run++;
      lane.toCommon = null;
    }
  }

  #lane(id: SensorId): Lane {
    // An index loop, not find(): called once per sample, where a closure per call allocates.
    let lane: Lane | undefined;
    for (let i = 0; i < this.#lanes.length; i++) if (this.#lanes[i].id === id) lane = this.#lanes[i];
    if (lane === undefined) {
      lane = { id, ring: new Float64Array(RING * STRIDE), start: 0, count: 0, run: 0, fPrev: [0, 0, 0], toCommon: null };
      this.#lanes.push(lane);
    }
    return lane;
  }

  /** The one other sensor (the pipeline has two), or null. */
  #partner(asker: SensorId): Lane | null {
    for (let i = 0; i < this.#lanes.length; i++) if (this.#lanes[i].id !== asker) return this.#lanes[i];
    return null;
  }
}

/** M (row-major) with M·r = R(q)·(ω × r): R·[ω]×, columns R·(ω × e_j). */
export function rotatedCrossMatrix(q: Readonly<QuatWxyz>, omegaRad: Readonly<Vec3>, out: Float64Array): Float64Array {
  const [wx, wy, wz] = omegaRad;
  // ω × e_x = (0, wz, −wy); ω × e_y = (−wz, 0, wx); ω × e_z = (wy, −wx, 0).
  const c0 = quatRotate(q, [0, wz, -wy]);
  const c1 = quatRotate(q, [-wz, 0, wx]);
  const c2 = quatRotate(q, [wy, -wx, 0]);
  out[0] = c0[0]; out[1] = c1[0]; out[2] = c2[0];
  out[3] = c0[1]; out[4] = c1[1]; out[5] = c2[1];
  out[6] = c0[2]; out[7] = c1[2]; out[8] = c2[2];
  return out;
}

import type { QuatWxyz, SensorId } from "@spinewatch/protocol";
import type { OrientedSample } from "./types.js";

/**
 * The other sensor's samples must reach this close to a re-seed for its turn over the gap to be
 * known, ms: a few of its sample periods (the two sensors' packets interleave on arrival).
 */
const OTHER_RECENT_MS = 100;
/**
 * The other sensor's turn is carried over only when it tilted less than this over the span,
 * degrees. Across a large tilt change the turn about world vertical is no longer the heading
 * change: a 60° pitch about an axis 5° off horizontal has a twist of ~5° about vertical, and
 * during swings the segments' headings do not move together anyway (bench/accuracy.ts: carried
 * over at any tilt, lateral bend max error 3.0 -> 3.9°).
 */
const MAX_OTHER_TILT_CHANGE_DEG = 10;
const COS_MAX_OTHER_TILT_CHANGE = Math.cos((MAX_OTHER_TILT_CHANGE_DEG * Math.PI) / 180);
/**
 * Upright: the pelvis tilt and thorax inclination both within this of vertical, degrees. Only
 * then is a turn about vertical the whole person's, and the two segments' headings bound to each
 * other by axial rotation. On all fours the heading difference is lateral bend, which a bird
 * dog's reach changes while the person does not turn (carried over there, the bird dog's lateral
 * bend counted from the rest went 0.03 -> 0.19° mean error, bird dog WitMotion seed 2).
 */
export const UPRIGHT_MAX_DEG = 30;

interface LaneState {
  /** This sensor's latest orientation and its time. */
  q: QuatWxyz | null;
  tMs: number;
  /** The other sensor's latest orientation when this one's latest sample came, and its time. */
  otherQ: QuatWxyz | null;
  otherTMs: number;
  /** Time of this sensor's latest re-seed (NaN: none). */
  reseedMs: number;
}

/**
 * The heading a sensor missed while it was away (ReseedHeading.next). After a gap too long to
 * integrate across (OrientationStage: over 500 ms), the orientation stage re-seeds the tilt from
 * the accelerometer and keeps the heading it had before the gap, since nothing it measured says
 * how far it turned meanwhile. If the person turned, the relative heading of the two sensors, and
 * with it axial rotation, is off by the whole turn until the heading tracker re-aligns it (~1 s of
 * quiet standing, 10-20 s otherwise). Simulator, hip-hinge-holds, WitMotion seed 2 at 180.7 s:
 * the person turned at ~5 °/s while standing, the thoracic sensor lost 770 ms, and axial
 * rotation came back 4.4° off.
 *
 * The other sensor saw the turn. The lumbar spine allows only ~5-7° of axial rotation each side
 * (LUMBAR-FACTS.md), so the two segments turn about vertical nearly together, and the best
 * estimate of the away sensor's turn over the gap is the other's: its rotation about world
 * vertical (the twist of q_after ⊗ q_before⁻¹) between the away sensor's last sample before the
 * gap and its re-seed. The error is then the change of axial rotation over the gap (bounded),
 * not the person's turn (unbounded). Nothing is carried when the other sensor was itself away or
 * re-seeded over that span, or tilted by more than MAX_OTHER_TILT_CHANGE_DEG (mid-swing: a
 * turn about vertical is then not what its rotation was), nor when the trunk is not upright.
 *
 * A plain processor: `next` once per oriented sample of either sensor, in arrival order.
 */
export class ReseedHeading {
  readonly #lanes = new Map<SensorId, LaneState>();
  readonly #other = new Map<SensorId, SensorId>();

  constructor(sensorA: SensorId, sensorB: SensorId) {
    for (const id of [sensorA, sensorB]) this.#lanes.set(id, { q: null, tMs: Number.NaN, otherQ: null, otherTMs: Number.NaN, reseedMs: Number.NaN });
    this.#other.set(sensorA, sensorB);
    this.#other.set(sensorB, sensorA);
  }

  /**
   * One oriented sample; `reseeded`: the first after a gap its orientation stage re-seeded;
   * `upright`: the trunk was upright at the last angle frame (UPRIGHT_MAX_DEG). Returns the turn
   * about world vertical, radians, to apply to that sensor's orientation (q ← q_z(turn) ⊗ q, for
   * this sample and its filter), 0 when none is known.
   */
  next(o: Readonly<OrientedSample>, reseeded: boolean, upright: boolean): number {
    const me = this.#lanes.get(o.sensorId);
    const otherId = this.#other.get(o.sensorId);
    if (me === undefined || otherId === undefined) return 0;
    const other = this.#lanes.get(otherId) as LaneState;
    let turnRad = 0;
    if (reseeded) {
      me.reseedMs = o.tMs;
      const before = me.otherQ, after = other.q;
      const otherSteady = !(other.reseedMs >= me.otherTMs);
      if (upright && before !== null && after !== null && otherSteady && other.tMs >= o.tMs - OTHER_RECENT_MS && other.tMs > me.otherTMs) {
        if (upCosine(after, before) >= COS_MAX_OTHER_TILT_CHANGE) turnRad = twistAboutWorldVerticalRad(after, before);
      }
    }
    me.q = o.quatWxyz;
    me.tMs = o.tMs;
    me.otherQ = other.q;
    me.otherTMs = other.tMs;
    return turnRad;
  }

  reset(): void {
    for (const s of this.#lanes.values()) {
      s.q = s.otherQ = null;
      s.tMs = s.otherTMs = s.reseedMs = Number.NaN;
    }
  }
}

/**
 * The rotation about world vertical (world z) of a → b, both sensor-to-world: the twist of
 * q_Δ = b ⊗ a⁻¹ about z (swing-twist decomposition), in (−π, π].
 */
export function twistAboutWorldVerticalRad(b: Readonly<QuatWxyz>, a: Readonly<QuatWxyz>): number {
  // q_Δ = b ⊗ conj(a); only its w and z components are needed.
  const w = b[0] * a[0] + b[1] * a[1] + b[2] * a[2] + b[3] * a[3];
  const z = -b[0] * a[3] - b[1] * a[2] + b[2] * a[1] + b[3] * a[0];
  if (w === 0 && z === 0) return 0; // a half turn about a horizontal axis: no defined twist
  let t = 2 * Math.atan2(z, w);
  if (t > Math.PI) t -= 2 * Math.PI;
  else if (t <= -Math.PI) t += 2 * Math.PI;
  return t;
}

/** Cosine of the tilt change between two orientations: the angle between world up seen in the sensor's axes. */
function upCosine(b: Readonly<QuatWxyz>, a: Readonly<QuatWxyz>): number {
  // World up in sensor axes is the third row of R, i.e. R^T z: (2(xz − wy), 2(yz + wx), 1 − 2(x² + y²)).
  const ax = 2 * (a[1] * a[3] - a[0] * a[2]), ay = 2 * (a[2] * a[3] + a[0] * a[1]), az = 1 - 2 * (a[1] * a[1] + a[2] * a[2]);
  const bx = 2 * (b[1] * b[3] - b[0] * b[2]), by = 2 * (b[2] * b[3] + b[0] * b[1]), bz = 1 - 2 * (b[1] * b[1] + b[2] * b[2]);
  return ax * bx + ay * by + az * bz;
}

import type { AngleFrame, RestNeutralAngles } from "@spinewatch/protocol";
import { DepartureFollower } from "./departure-follower.js";

/** The angles counted from the rest posture, in the order of {@link RestNeutral.values}. */
export const REST_CHANNELS = ["flexionDeg", "lateralBendDeg", "axialRotationDeg", "pelvisObliquityDeg"] as const;
export type RestChannel = (typeof REST_CHANNELS)[number];

/** Settings of {@link RestNeutral}; every field has a default. */
export interface RestNeutralSettings {
  /** A still plateau: every angle stays within this of where the plateau began, degrees... */
  bandDeg: number;
  /** ...and the pelvis tilt within this (settled, not on the way down), degrees... */
  tiltBandDeg: number;
  /** ...for at least this long, ms. */
  settleMs: number;
  /** A plateau this close to the current neutral in every angle refines it (a rest between reaches), degrees. */
  acceptDeg: number;
  /** A change of pelvis tilt by more than this (getting down on all fours, standing up) starts a new posture, degrees. */
  postureChangeDeg: number;
  /** Frames further apart than this restart the plateau, ms. */
  gapMs: number;
  /** The band is checked on each angle low-passed with this time constant, ms. */
  smoothingMs: number;
  /** Before the person has settled, the obliquity's neutral follows the reading with this time constant, ms... */
  followMs: number;
  /** ...and stops following while the (smoothingMs low-passed) reading is further than this from it: a reach, degrees... */
  departDeg: number;
  /** ...for at most this long, ms. */
  maxDepartMs: number;
}

/**
 * Defaults, and why:
 * - bandDeg 0.25, settleMs 700: the pause on all fours between bird-dog reaches lasts 1.5 s
 *   (simulator, scenarios/quadruped.ts); a reach moves the pelvis 1-3° in 1.5 s, so it leaves
 *   a 0.25° band within ~0.4 s and is never taken for a plateau. Within a rest on all fours
 *   every angle is steady to 0.27° over 700 ms at the 99th percentile (simulator, bird dog, 6
 *   sessions: flexion 0.05-0.11°, lateral bend 0.04-0.05°, axial rotation 0.06-0.27°, obliquity
 *   0.07-0.11°); gyro bias is learned only when the accelerometer agrees
 *   (kinematics/gyro-bias-estimator.ts).
 * - tiltBandDeg 2: getting down on all fours moves the tilt by 85° in 3 s while the angles
 *   creep by their posture offsets, slowly enough to look still on their own.
 * - acceptDeg 0.5: below the smallest reach that must be counted (1°, the simulator's bird dog),
 *   above the slow wander of the estimate between rests (≤ 0.1° measured for the obliquity).
 * - postureChangeDeg 20: getting down on all fours tilts the pelvis 85°, a bird dog's reach by
 *   no more than a few degrees.
 * - smoothingMs 200: a rest must not be broken by frame-to-frame noise in any of four angles.
 *   White noise of 0.3° SD per frame at 100 Hz (the analysis tests' frames; a noisier sensor)
 *   is 0.05° SD after it, so a 0.25° band holds. The low-pass makes a reach leave the band up
 *   to ~0.2 s late, so a plateau's mean leaves out its last smoothingMs of frames (they wait in
 *   a ring, and a restart drops them): averaged in, the start of each reach had moved the
 *   obliquity's neutral by 0.03-0.05° toward it.
 * - followMs 500, departDeg 0.35, maxDepartMs 10 s: after getting down on all fours the estimate
 *   settles for 2-3 s (the filters shed the error gathered on the way down: obliquity and axial
 *   rotation move by 0.3-0.8°, at up to 0.2 °/s and 0.4 °/s), and a person may reach before any
 *   rest has been still for settleMs (simulator, bird dog, seed 6, both devices: the first
 *   reach's hold was taken as the neutral and that rep lost). Following the obliquity with a
 *   500 ms lag leaves such a drift 0.1° behind but a reach (1-3° in 1.5 s, 2-4 °/s at its
 *   fastest) 1-2° behind: the detectors see the reach from the level before it, and its hold,
 *   away from where the following stopped, is not taken for the rest. 0.35° lies between the
 *   drift's lag and the reach's 0.6° rep threshold (profiles.ts). A departure that never comes
 *   back (the rest itself moved) is given up after 10 s, twice a reach's hold.
 */
export const REST_NEUTRAL_DEFAULTS: Readonly<RestNeutralSettings> = Object.freeze({
  bandDeg: 0.25,
  tiltBandDeg: 2,
  settleMs: 700,
  acceptDeg: 0.5,
  postureChangeDeg: 20,
  gapMs: 250,
  smoothingMs: 200,
  followMs: 500,
  departDeg: 0.35,
  maxDepartMs: 10_000,
});

const N = REST_CHANNELS.length;
const OBLIQUITY = REST_CHANNELS.indexOf("pelvisObliquityDeg");
/** Frames the delay ring holds (time + N angles each); at rates above RING_FRAMES / smoothingMs the delay gets shorter. */
const RING_FRAMES = 64;

/**
 * The lumbar angles and pelvis obliquity of the rest posture the person has settled into,
 * degrees, for exercises whose angles count from it (profiles.ts `countsFromRest`: the bird dog,
 * "hold neutral").
 *
 * Why: AngleFrame's angles are zero in the calibrated standing neutral, but on all fours they
 * read posture offsets of up to ~1° with a level, untwisted spine (simulator, default error
 * model, bird dog: obliquity 0.8-0.9°, flexion ~0.9°, axial rotation 0.1-0.7°, lateral bend
 * 0.6-1.2°). The accelerometer's cross-axis sensitivity (±2 %, ICM-20948 datasheet DS-000189)
 * bends its gravity direction by an amount that depends on the sensor's orientation, which the
 * standing calibration cannot see (0.0° without misalignment), and on all fours the lateral bend
 * is a relative heading, whose offset the heading tracker cannot observe there. A bird dog's
 * reach rolls the pelvis by only 1-3° and twists the spine by a few degrees, against a 5°
 * rotation limit, so the reach is measured from the rest the person settles into: the first still
 * plateau (settleMs within bandDeg in every angle) after a change of posture, refined by later
 * plateaus within acceptDeg of it in every angle (the rests between reaches; plateaus further
 * away are the reaches' holds), and given up for a plateau between reaches on both sides when
 * it had none (a reach's hold: #restBetweenReaches).
 *
 * Until the person has settled in a posture, the obliquity's neutral follows the reading (the
 * detectors see about 0): getting down on all fours moves it by the posture's offset, which is
 * no reach. Once the pelvis tilt is steady it follows with a lag and stops when a reach leaves
 * it (followMs, DepartureFollower), so a reach before the first rest counts from the level
 * before it, and its hold is not taken for the rest. The lumbar angles count from the calibrated
 * standing neutral meanwhile (0): the range monitor watches them on the way down too, and a
 * display shows them as they are rather than a flat 0.
 */
export class RestNeutral {
  readonly settings: RestNeutralSettings;
  /** The neutral of each channel (REST_CHANNELS order); read it after `next`. */
  readonly values = new Float64Array(N);
  /** Pelvis tilt of the posture the neutral belongs to (NaN: none yet). */
  #postureTiltDeg = Number.NaN;
  #settled = false;
  #plateauStartMs = Number.NaN;
  readonly #plateauStart = new Float64Array(N);
  #plateauStartTiltDeg = 0;
  readonly #plateauSum = new Float64Array(N);
  #plateauN = 0;
  /** Whether the current plateau has lasted settleMs, and whether it was taken as the neutral. */
  #plateauSettled = false;
  #plateauIsNeutral = false;
  /**
   * The posture's settled plateaus, grouped within acceptDeg in every angle: each group's latest
   * means (REST_CHANNELS order) and how many plateaus it has had; `#neutralGroup` is the
   * neutral's (-1: none yet).
   */
  readonly #groups: { means: Float64Array; visits: number }[] = [];
  #neutralGroup = -1;
  /**
   * The group of the last settled plateau, and whether the angles have left it (by more than
   * acceptDeg in some angle) since: a visit is a stay, not each plateau of it. A long hold whose
   * estimate drifts by more than bandDeg restarts its plateau two or three times, and counted as
   * visits those restarts outnumbered the rests (simulator, bird dog, WitMotion seed 6, 300 s:
   * the first reach's 4.5 s hold, taken as the neutral, kept it through two more reps).
   */
  #lastGroup = -1;
  #leftLastGroup = false;
  /**
   * Before settling, the obliquity's neutral (followMs). It follows the raw reading until the
   * pelvis tilt has been steady for settleMs: getting down or up moves the reading by the
   * posture's offset, and the estimate may settle with a jump on arrival (simulator, bird dog,
   * Movella DOT seed 2: 1.7° of obliquity within 0.3 s of standing up), none of it a reach.
   */
  readonly #follower: DepartureFollower;
  /** Pelvis tilt the follower's arming counts from, and since when it has stayed within tiltBandDeg of it. */
  #tiltRefDeg = Number.NaN;
  #tiltSteadyFromMs = Number.NaN;
  /** Means of the last plateau that lasted settleMs (NaN: none in this posture). */
  readonly #prevPlateau = new Float64Array(N).fill(Number.NaN);
  #lastMs = Number.NaN;
  readonly #x = new Float64Array(N);
  /** The angles low-passed (smoothingMs), for the band check, and the gain of the last step. */
  readonly #lp = new Float64Array(N);
  #lpDtMs = Number.NaN;
  #lpK = 0;
  /** The plateau's frames of the last smoothingMs, not yet in its sums: [tMs, ...angles] each. */
  readonly #ring = new Float64Array(RING_FRAMES * (N + 1));
  #ringStart = 0;
  #ringCount = 0;

  constructor(settings: Partial<RestNeutralSettings> = {}) {
    this.settings = { ...REST_NEUTRAL_DEFAULTS, ...settings };
    this.#follower = new DepartureFollower(this.settings);
  }

  /** Whether the person has settled into the current posture (before: see the class comment). */
  get settled(): boolean {
    return this.#settled;
  }

  /** The current neutral as AngleFrame.restNeutral carries it (a new object). */
  angles(): RestNeutralAngles {
    const v = this.values;
    return { flexionDeg: v[0], lateralBendDeg: v[1], axialRotationDeg: v[2], pelvisObliquityDeg: v[3], settled: this.#settled };
  }

  /** `frame` with the current neutral taken out of each angle (a new frame). */
  lessNeutral(frame: Readonly<AngleFrame>): AngleFrame {
    const v = this.values;
    return {
      ...frame,
      flexionDeg: frame.flexionDeg - v[0],
      lateralBendDeg: frame.lateralBendDeg - v[1],
      axialRotationDeg: frame.axialRotationDeg - v[2],
      pelvisObliquityDeg: frame.pelvisObliquityDeg - v[3],
    };
  }

  /** The current neutral of one channel, degrees. */
  neutralDeg(channel: RestChannel): number {
    return this.values[REST_CHANNELS.indexOf(channel)];
  }

  /** Takes one frame; `values` then holds the neutral that applies to it. */
  next(frame: Readonly<AngleFrame>): void {
    const s = this.settings;
    const x = this.#x;
    x[0] = frame.flexionDeg;
    x[1] = frame.lateralBendDeg;
    x[2] = frame.axialRotationDeg;
    x[3] = frame.pelvisObliquityDeg;
    const tilt = frame.pelvisTiltDeg;
    const lp = this.#lp;
    if (!(this.#lastMs >= frame.tMs - s.gapMs)) {
      lp.set(x);
      this.#restartPlateau(frame.tMs, lp, tilt);
    } else {
      const dtMs = frame.tMs - this.#lastMs;
      // The gain is recomputed only when the step changes (one Math.exp per frame cost ~16 ms
      // per hour of frames in the detectors' smoother: docs/BENCHMARKS.md, analyze).
      if (dtMs !== this.#lpDtMs) {
        this.#lpDtMs = dtMs;
        this.#lpK = 1 - Math.exp(-dtMs / s.smoothingMs);
      }
      const k = this.#lpK;
      for (let i = 0; i < N; i++) lp[i] += k * (x[i] - lp[i]);
    }
    this.#lastMs = frame.tMs;
    if (Number.isNaN(this.#postureTiltDeg)) this.#postureTiltDeg = tilt;
    else if (Math.abs(tilt - this.#postureTiltDeg) > s.postureChangeDeg) {
      // A new posture: its neutral is not known until the person settles.
      this.#postureTiltDeg = tilt;
      this.#settled = false;
      this.#restartPlateau(frame.tMs, lp, tilt);
      this.#prevPlateau.fill(Number.NaN);
      this.#groups.length = 0;
      this.#neutralGroup = -1;
      this.#lastGroup = -1;
      this.#follower.reset();
    }
    if (!(Math.abs(tilt - this.#tiltRefDeg) <= s.tiltBandDeg)) {
      this.#tiltRefDeg = tilt;
      this.#tiltSteadyFromMs = frame.tMs;
    }
    if (!this.#settled) this.#follower.next(frame.tMs, x[OBLIQUITY], lp[OBLIQUITY], frame.tMs - this.#tiltSteadyFromMs >= s.settleMs);
    if (Math.abs(tilt - this.#plateauStartTiltDeg) > s.tiltBandDeg || this.#leftBand(lp)) this.#restartPlateau(frame.tMs, lp, tilt);
    if (this.#lastGroup >= 0 && !this.#leftLastGroup) this.#leftLastGroup = this.#outside(lp, this.#groups[this.#lastGroup].means);
    this.#delay(frame.tMs, x);
    if (frame.tMs - this.#plateauStartMs >= s.settleMs && this.#plateauN > 0) {
      if (!this.#plateauSettled) {
        this.#plateauSettled = true;
        this.#plateauIsNeutral = !this.#settled ? !this.#follower.departed : this.#agrees();
        const g = this.#group();
        if (!this.#plateauIsNeutral && this.#restBetweenReaches(g)) this.#plateauIsNeutral = true;
        if (this.#plateauIsNeutral) this.#neutralGroup = g;
      }
      if (this.#plateauIsNeutral) {
        for (let k = 0; k < N; k++) this.values[k] = this.#plateauSum[k] / this.#plateauN;
        this.#settled = true;
        this.#postureTiltDeg = tilt;
      }
    }
    if (!this.#settled) {
      this.values.fill(0, 0, OBLIQUITY);
      this.values[OBLIQUITY] = this.#follower.valueDeg;
    }
  }

  reset(): void {
    this.values.fill(0);
    this.#postureTiltDeg = Number.NaN;
    this.#settled = false;
    this.#lastMs = Number.NaN;
    this.#restartPlateau(Number.NaN, this.#lp.fill(0), 0);
    this.#prevPlateau.fill(Number.NaN);
    this.#groups.length = 0;
    this.#neutralGroup = -1;
    this.#lastGroup = -1;
    this.#follower.reset();
    this.#tiltRefDeg = Number.NaN;
  }

  /** Puts the plateau just settled into its group (a new one if none is within acceptDeg in every angle); its index. */
  #group(): number {
    const means = new Float64Array(N);
    for (let k = 0; k < N; k++) means[k] = this.#plateauSum[k] / this.#plateauN;
    let g = this.#groups.findIndex((x) => !this.#outside(means, x.means));
    if (g < 0) g = this.#groups.push({ means, visits: 0 }) - 1;
    this.#groups[g].means = means;
    if (g !== this.#lastGroup || this.#leftLastGroup) this.#groups[g].visits++;
    this.#lastGroup = g;
    this.#leftLastGroup = false;
    return g;
  }

  /** Whether `a` is further than acceptDeg from `b` in some angle. */
  #outside(a: Float64Array, b: Float64Array): boolean {
    for (let k = 0; k < N; k++) if (Math.abs(a[k] - b[k]) > this.settings.acceptDeg) return true;
    return false;
  }

  /**
   * Whether group `g`'s plateau, just settled and not the neutral by the rules above, is the rest
   * after all: the neutral's group lies on one side of every other group in the pelvis obliquity
   * (the channel a reach rolls, to the side of the lifted leg), while `g` has groups on both
   * sides and more visits than the neutral's (#lastGroup). The first plateau is a reach's hold
   * when the person reaches at once after getting down, before every angle has settled within bandDeg
   * (simulator, bird dog, Movella DOT seed 6: the right reach's 2.6° taken as the neutral, 5 of
   * 25 reps lost to it); the reaches then go either way of the rest, which comes between each
   * two: the second rest, after a left and a right reach, says so. Without the count, reaches to
   * one side only, of two sizes, would make the smaller one's hold a "rest" between the neutral
   * and the larger. A neutral visited once only gives way to a group visited three times and
   * lying between reaches, even when it lies between them too: it was a plateau of the estimate
   * still settling after getting down (simulator, bird dog, Movella DOT seed 6 at 191.5 s: 0.7°
   * of axial rotation and 0.6° of obliquity off the rests, kept for 70 s; the rests looked like
   * reaches and a rep was lost). The true rest comes between every two reaches, so by then it
   * has been visited three times.
   */
  #restBetweenReaches(g: number): boolean {
    const accept = this.settings.acceptDeg;
    const o = (h: number) => this.#groups[h].means[OBLIQUITY];
    const bothSides = (h: number) =>
      this.#groups.some((_, i) => o(i) < o(h) - accept) && this.#groups.some((_, i) => o(i) > o(h) + accept);
    const n = this.#neutralGroup;
    if (n < 0 || g === n || !bothSides(g)) return false;
    const visits = this.#groups[g].visits, neutralVisits = this.#groups[n].visits;
    return visits > neutralVisits && (!bothSides(n) || (neutralVisits === 1 && visits >= 3));
  }

  /** Puts a frame in the delay ring and moves the frames older than smoothingMs into the plateau's sums. */
  #delay(tMs: number, x: Float64Array): void {
    const ring = this.#ring;
    if (this.#ringCount === RING_FRAMES) this.#sumOldest();
    const at = ((this.#ringStart + this.#ringCount) % RING_FRAMES) * (N + 1);
    ring[at] = tMs;
    for (let k = 0; k < N; k++) ring[at + 1 + k] = x[k];
    this.#ringCount++;
    while (this.#ringCount > 0 && ring[this.#ringStart * (N + 1)] <= tMs - this.settings.smoothingMs) this.#sumOldest();
  }

  #sumOldest(): void {
    const at = this.#ringStart * (N + 1);
    for (let k = 0; k < N; k++) this.#plateauSum[k] += this.#ring[at + 1 + k];
    this.#plateauN++;
    this.#ringStart = (this.#ringStart + 1) % RING_FRAMES;
    this.#ringCount--;
  }

  #leftBand(lp: Float64Array): boolean {
    for (let k = 0; k < N; k++) if (Math.abs(lp[k] - this.#plateauStart[k]) > this.settings.bandDeg) return true;
    return false;
  }

  /** Whether the settled plateau is a rest: every channel within acceptDeg of the neutral or returning to it. */
  #agrees(): boolean {
    for (let k = 0; k < N; k++) {
      const meanDeg = this.#plateauSum[k] / this.#plateauN;
      if (!(Math.abs(meanDeg - this.values[k]) <= this.settings.acceptDeg || this.#isReturn(k, meanDeg))) return false;
    }
    return true;
  }

  /**
   * A plateau reached by moving back toward the neutral from the previous plateau, more than half
   * of the way: the rest after a reach, although the estimate drifted while the reach was held
   * (a filter still shedding the error gathered on the way down: simulator, bird dog, Movella
   * DOT seed 2, 0.7° of obliquity between the first rest and the next). A reach starts from the
   * neutral, so its hold never moves toward it.
   */
  #isReturn(k: number, meanDeg: number): boolean {
    const prev = this.#prevPlateau[k];
    const back = this.values[k] - prev;
    return Number.isFinite(prev) && Math.abs(back) > this.settings.acceptDeg && (meanDeg - prev) * Math.sign(back) > 0.5 * Math.abs(back);
  }

  /** Starts a plateau at `tMs`, where the low-passed angles are `lp`. */
  #restartPlateau(tMs: number, lp: Float64Array, tiltDeg: number): void {
    if (this.#plateauSettled) for (let k = 0; k < N; k++) this.#prevPlateau[k] = this.#plateauSum[k] / this.#plateauN;
    this.#plateauSettled = false;
    this.#plateauIsNeutral = false;
    this.#plateauStartMs = tMs;
    this.#plateauStart.set(lp);
    this.#plateauStartTiltDeg = tiltDeg;
    this.#plateauSum.fill(0);
    this.#plateauN = 0;
    this.#ringCount = 0;
  }
}

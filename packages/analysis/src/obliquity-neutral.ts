import type { AngleFrame } from "@spinewatch/protocol";

/** Settings of {@link ObliquityNeutral}; every field has a default. */
export interface ObliquityNeutralSettings {
  /** A still plateau: the obliquity stays within this of where the plateau began, degrees... */
  bandDeg: number;
  /** ...and the pelvis tilt within this (settled, not on the way down), degrees... */
  tiltBandDeg: number;
  /** ...for at least this long, ms. */
  settleMs: number;
  /** A plateau this close to the current neutral refines it (a rest between reaches), degrees. */
  acceptDeg: number;
  /** A change of pelvis tilt by more than this (getting down on all fours, standing up) starts a new posture, degrees. */
  postureChangeDeg: number;
  /** Frames further apart than this restart the plateau, ms. */
  gapMs: number;
}

/**
 * Defaults, and why:
 * - bandDeg 0.25, settleMs 1000: the pause on all fours between bird-dog reaches lasts 1.5 s
 *   (simulator, scenarios/quadruped.ts); a reach moves the pelvis 1-3° in 1.5 s, so it leaves
 *   a 0.25° band within ~0.4 s and is never taken for a plateau. The pelvis obliquity of a still
 *   person is steady to ~0.05° (gyro bias learned only when the accelerometer agrees:
 *   kinematics/gyro-bias-estimator.ts).
 * - tiltBandDeg 2: getting down on all fours moves the tilt by 85° in 3 s while the obliquity
 *   creeps by its posture offset, slowly enough to look still on its own.
 * - acceptDeg 0.5: below the smallest reach that must be counted (1°, the simulator's bird dog),
 *   above the slow wander of the estimate between rests (≤ 0.1° measured).
 * - postureChangeDeg 20: getting down on all fours tilts the pelvis 85°, a bird dog's reach by
 *   no more than a few degrees.
 */
export const OBLIQUITY_NEUTRAL_DEFAULTS: Readonly<ObliquityNeutralSettings> = Object.freeze({
  bandDeg: 0.25,
  tiltBandDeg: 2,
  settleMs: 700,
  acceptDeg: 0.5,
  postureChangeDeg: 20,
  gapMs: 250,
});

/**
 * The pelvis obliquity of the person's own neutral in the current posture, degrees.
 *
 * Why: AngleFrame.pelvisObliquityDeg is zero in the calibrated standing neutral, but on all
 * fours it reads a posture-dependent offset of up to ~1° although the pelvis is level: the
 * accelerometer's cross-axis sensitivity (±2 %, ICM-20948 datasheet DS-000189) bends its gravity
 * direction by an amount that depends on the sensor's orientation, and the standing calibration
 * cannot see the all-fours value (measured on the simulator: 0.8-0.9° with the default error
 * model, 0.0° without misalignment). A bird dog's reach rolls the pelvis by only 1-3°, so the
 * reach is measured from the neutral the person settles into: the first still plateau
 * (settleMs within bandDeg) after a change of posture, refined by later plateaus within acceptDeg
 * of it (the rests between reaches; plateaus further away are the reaches' holds).
 *
 * Until the person has settled in a posture the neutral follows the obliquity (the detectors see
 * 0): getting down on all fours moves the reading by the posture's offset, which is no reach.
 */
export class ObliquityNeutral {
  readonly settings: ObliquityNeutralSettings;
  #neutralDeg = 0;
  /** Pelvis tilt of the posture the neutral belongs to (NaN: none yet). */
  #postureTiltDeg = Number.NaN;
  #settled = false;
  #plateauStartMs = Number.NaN;
  #plateauStartDeg = 0;
  #plateauStartTiltDeg = 0;
  #plateauSum = 0;
  #plateauN = 0;
  /** Whether the current plateau has lasted settleMs, and whether it was taken as the neutral. */
  #plateauSettled = false;
  #plateauIsNeutral = false;
  /** Mean of the last plateau that lasted settleMs (NaN: none in this posture). */
  #prevPlateauDeg = Number.NaN;
  #lastMs = Number.NaN;

  constructor(settings: Partial<ObliquityNeutralSettings> = {}) {
    this.settings = { ...OBLIQUITY_NEUTRAL_DEFAULTS, ...settings };
  }

  /** The current neutral, degrees. */
  get neutralDeg(): number {
    return this.#neutralDeg;
  }

  /** Takes one frame; returns the neutral that applies to it. */
  next(frame: Readonly<AngleFrame>): number {
    const s = this.settings;
    const x = frame.pelvisObliquityDeg;
    const tilt = frame.pelvisTiltDeg;
    if (!(this.#lastMs >= frame.tMs - s.gapMs)) this.#restartPlateau(frame.tMs, x, tilt);
    this.#lastMs = frame.tMs;
    if (Number.isNaN(this.#postureTiltDeg)) this.#postureTiltDeg = tilt;
    else if (Math.abs(tilt - this.#postureTiltDeg) > s.postureChangeDeg) {
      // A new posture: its neutral is not known until the person settles.
      this.#postureTiltDeg = tilt;
      this.#settled = false;
      this.#restartPlateau(frame.tMs, x, tilt);
      this.#prevPlateauDeg = Number.NaN;
    }
    if (Math.abs(x - this.#plateauStartDeg) > s.bandDeg || Math.abs(tilt - this.#plateauStartTiltDeg) > s.tiltBandDeg) {
      this.#restartPlateau(frame.tMs, x, tilt);
    }
    this.#plateauSum += x;
    this.#plateauN++;
    if (frame.tMs - this.#plateauStartMs >= s.settleMs) {
      const meanDeg = this.#plateauSum / this.#plateauN;
      if (!this.#plateauSettled) {
        this.#plateauSettled = true;
        this.#plateauIsNeutral = !this.#settled || Math.abs(meanDeg - this.#neutralDeg) <= s.acceptDeg || this.#isReturn(meanDeg);
      }
      if (this.#plateauIsNeutral) {
        this.#neutralDeg = meanDeg;
        this.#settled = true;
        this.#postureTiltDeg = tilt;
      }
    }
    if (!this.#settled) this.#neutralDeg = x;
    return this.#neutralDeg;
  }

  reset(): void {
    this.#neutralDeg = 0;
    this.#postureTiltDeg = Number.NaN;
    this.#settled = false;
    this.#lastMs = Number.NaN;
    this.#restartPlateau(Number.NaN, 0, 0);
    this.#prevPlateauDeg = Number.NaN;
  }

  /**
   * A plateau reached by moving back toward the neutral from the previous plateau, more than half
   * of the way: the rest after a reach, although the estimate drifted while the reach was held
   * (a filter still shedding the error gathered on the way down: simulator, bird dog, Movella
   * DOT seed 2, 0.7° between the first rest and the next). A reach starts from the neutral, so
   * its hold never moves toward it.
   */
  #isReturn(meanDeg: number): boolean {
    const prev = this.#prevPlateauDeg;
    const back = this.#neutralDeg - prev;
    return Number.isFinite(prev) && Math.abs(back) > this.settings.acceptDeg && (meanDeg - prev) * Math.sign(back) > 0.5 * Math.abs(back);
  }

  #restartPlateau(tMs: number, x: number, tiltDeg: number): void {
    if (this.#plateauSettled) this.#prevPlateauDeg = this.#plateauSum / this.#plateauN;
    this.#plateauSettled = false;
    this.#plateauIsNeutral = false;
    this.#plateauStartMs = tMs;
    this.#plateauStartDeg = x;
    this.#plateauStartTiltDeg = tiltDeg;
    this.#plateauSum = 0;
    this.#plateauN = 0;
  }
}

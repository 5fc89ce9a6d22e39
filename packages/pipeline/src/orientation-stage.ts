import { STANDARD_GRAVITY_MPS2 as G_MPS2 } from "@spinewatch/protocol";
import {
  GyroBiasEstimator,
  composeGyroScaleCorrection,
  OrientationFilter,
  SPINE_FILTER_SETTINGS,
  quatConjugate,
  quatAngleBetweenDeg,
  quatMultiply,
  quatRotateInverse,
  quatToRotationVector,
  quatAboutWorldVertical,
} from "@spinewatch/kinematics";
import type { QuatWxyz, SensorId, Vec3 } from "@spinewatch/protocol";
import type { BodyMotion } from "./body-motion.js";
import type { TimedSample } from "./sensor-clock.js";
import { GyroStepRate } from "./gyro-step-rate.js";
import { PacketStepRecord } from "./packet-step-record.js";
import { AFTER_PIVOT_FIX_MIN_CORRECTION_DEG, PivotConfirmation } from "./pivot-confirmation.js";
import { AFTER_JOINT_FIX_MIN_CORRECTION_DEG, JointConfirmation } from "./joint-confirmation.js";
import { HeldOrientation } from "./held-orientation.js";
import type { PartnerMotion } from "./partner-motion.js";
import { StaticTiltCorrection } from "./static-tilt-correction.js";
import { reseedTilt } from "./reseed-tilt.js";
import type { OrientedSample } from "./types.js";
import type { OrientationCounters, OrientationStageOptions, ReseedRecovery } from "./orientation-stage-types.js";

export type { OrientationCounters, OrientationStageOptions, ReseedRecovery };

const DEG_PER_RAD = 180 / Math.PI;

type AfterGap = "none" | "bridged" | "reseed";

/**
 * Orientation for one sensor (DESIGN.md data flow "orientation"). The device's quaternion when
 * it sends one (Movella DOT quaternion modes, Thingy:52, MetaWear); otherwise our own filter on
 * acc + gyro: {@link GyroBiasEstimator} then {@link OrientationFilter} with the spine settings
 * (DESIGN.md, Calibration: tight acceleration trust), dt from the mapped timestamps. WitMotion's
 * Euler angles are not converted: their rotation convention is UNVERIFIED (BLE-PROTOCOLS.md §1),
 * and its frames carry acc + gyro, so the filter runs on those.
 *
 * dt is capped after a gap; a gap longer than `reseedGapMs` re-seeds the tilt from the
 * accelerometer (keeping the heading, which the calibration's heading alignment depends on) and
 * marks the sensor not fresh for `reconvergeMs`. After a bridged gap, samples until the tilt is
 * confirmed are held (HeldOrientation: pairing emits them once confirmed, fixed), not dropped.
 */
export class OrientationStage {
  readonly sensorId: SensorId;
  readonly counters: OrientationCounters = { noOrientation: 0, reseeds: 0, bridgedGaps: 0, slowBridges: 0, jointFixes: 0, jointProvisionalFixes: 0, pivotFixes: 0, pivotDisagreements: 0, staticFixes: 0, stepRevisions: 0, gapRevisions: 0 };
  readonly #periodS: number;
  readonly #reseedGapMs: number;
  readonly #bridgeTrustMs: number;
  readonly #slowBridgeDps: number;
  readonly #reconvergeMs: number;
  readonly #fixWaitMs: number;
  readonly #staticTilt: StaticTiltCorrection;
  readonly #pivot: PivotConfirmation | null;
  readonly #joint: JointConfirmation | null;
  readonly #partner: PartnerMotion | null;
  readonly #useSensorStep: boolean;
  readonly #bodyMotion: BodyMotion | null;
  #recovery: ReseedRecovery | null = null;
  /** The rate integrated over each step: midpoint rule, Hermite across lost samples. */
  readonly #stepRate: GyroStepRate;
  /** Steps since the latest packet's first sample, for TimedSample.stepRevisionMs. */
  readonly #packetSteps = new PacketStepRecord();
  /** Samples emitted while a bridged gap awaits its confirmation, and the fixes they are owed. */
  readonly #held = new HeldOrientation();
  /** After a long gap: stale until the static tilt check (or the wait ends), and not before #minFreshMs. */
  #awaitingFix = false;
  #minFreshMs = -Infinity;
  #filter: OrientationFilter | null = null;
  #bias: GyroBiasEstimator | null = null;
  #lastTMs = -Infinity;
  #freshFromMs = -Infinity;
  #prevDeviceQuat: QuatWxyz | null = null;
  /** Gyro correction after the bias (row-major 3×3), from applyGyroScale; null: none measured. */
  #gyroFix: number[] | null = null;
  readonly #fixedGyr: Vec3 = [0, 0, 0];
  /** Norm of the previous sample's bias-corrected rate, °/s (a gap's rate before it). */
  #lastRateDps = 0;

  constructor(sensorId: SensorId, options: OrientationStageOptions) {
    this.sensorId = sensorId;
    this.#periodS = 1 / options.rateHz;
    this.#reseedGapMs = options.reseedGapMs ?? 500;
    this.#bridgeTrustMs = options.bridgeTrustMs ?? 150;
    this.#slowBridgeDps = options.slowBridgeDps ?? 10;
    this.#reconvergeMs = options.reconvergeMs ?? 500;
    this.#fixWaitMs = options.fixWaitMs ?? 900;
    this.#staticTilt = new StaticTiltCorrection(options.staticTilt);
    this.#pivot = options.pivotTilt === false ? null : new PivotConfirmation(options.pivotTilt, options.pivotFromMs ?? 200);
    this.#useSensorStep = options.useSensorStep ?? true;
    this.#bodyMotion = options.bodyMotion ?? null;
    this.#partner = options.partnerMotion ?? null;
    this.#joint = this.#partner === null ? null : new JointConfirmation(this.#partner, sensorId);
    this.#stepRate = new GyroStepRate(options.rateHz, options.gapHermite ?? true, this.#slowBridgeDps);
  }

  /**
   * A gyro scale measured about `axisSensor` (CalibrationStage, from the calibration bend's still
   * moments): from the next sample on, our filter integrates the rate about that axis divided by
   * `scale`. Composed with any earlier correction, which the later measurement already saw.
   * Device quaternions are the device's own business and are not touched.
   */
  applyGyroScale(axisSensor: Readonly<Vec3>, scale: number): void {
    this.#gyroFix = composeGyroScaleCorrection(this.#gyroFix, axisSensor, scale);
  }

  /** How the last re-seed was resolved (null before any). */
  get lastRecovery(): Readonly<ReseedRecovery> | null {
    return this.#recovery;
  }

  /** The orientation at this sample, or null if the sample cannot give one (counted). */
  next(s: TimedSample): OrientedSample | null {
    const first = this.#lastTMs === -Infinity;
    // The step on the sensor's own time base (its timestamps, or the nominal period × samples
    // counted) when the clock gives one, else the difference of mapped times (see TimedSample.stepMs).
    const gapMs = !first && s.stepMs !== undefined && this.#useSensorStep ? s.stepMs : s.tMs - this.#lastTMs;
    // Gaps up to reseedGapMs are bridged by integrating the gyro across them (GyroStepRate,
    // below); a longer one is not integrated: what happened in it is unknown.
    const dtS = first || gapMs > this.#reseedGapMs ? this.#periodS : gapMs / 1000;
    let out: OrientedSample | null;
    if (s.quatWxyz !== undefined) out = this.#fromDevice(s, dtS, first || gapMs > this.#reseedGapMs);
    else if (s.accMps2 !== undefined && s.gyrDps !== undefined) {
      const after: AfterGap = first ? "none" : gapMs > this.#reseedGapMs ? "reseed" : gapMs > this.#bridgeTrustMs ? "bridged" : "none";
      out = this.#fromFilter(s, s.accMps2, s.gyrDps, dtS, after);
    }
    else {
      this.counters.noOrientation++;
      return null;
    }
    this.#lastTMs = s.tMs;
    return out;
  }

  reset(): void {
    this.#lastRateDps = 0;
    this.#filter = null;
    this.#bias = null;
    this.#lastTMs = -Infinity;
    this.#freshFromMs = -Infinity;
    this.#prevDeviceQuat = null;
    this.#gyroFix = null;
    this.#stepRate.reset();
    this.#packetSteps.invalidate();
    this.#awaitingFix = false;
    this.#held.reset();
    this.#minFreshMs = -Infinity;
    this.#staticTilt.clear();
    this.counters.noOrientation = this.counters.reseeds = this.counters.bridgedGaps = this.counters.slowBridges = this.counters.jointFixes = this.counters.pivotFixes = this.counters.pivotDisagreements = this.counters.staticFixes = this.counters.stepRevisions = this.counters.gapRevisions = 0;
    this.#pivot?.reset();
    this.#joint?.reset();
    this.#recovery = null;
  }

  #fromDevice(s: TimedSample, dtS: number, afterGap: boolean): OrientedSample {
    const q = s.quatWxyz as QuatWxyz;
    // Without acc or gyro (orientation-only payloads), derive them from the orientation: the
    // gravity reaction the device's own filter implies, and the rate between its quaternions.
    const acc: Vec3 = s.accMps2 ?? quatRotateInverse(q, [0, 0, G_MPS2]);
    let gyr: Vec3;
    if (s.gyrDps !== undefined) gyr = s.gyrDps;
    else if (this.#prevDeviceQuat === null || afterGap || !(dtS > 0)) gyr = [0, 0, 0];
    else {
      const rv = quatToRotationVector(quatMultiply(quatConjugate(this.#prevDeviceQuat), q));
      gyr = [(rv[0] / dtS) * DEG_PER_RAD, (rv[1] / dtS) * DEG_PER_RAD, (rv[2] / dtS) * DEG_PER_RAD];
    }
    this.#prevDeviceQuat = q;
    this.#bodyMotion?.record(this.sensorId, s.tMs, Math.hypot(gyr[0], gyr[1], gyr[2]));
    this.#partner?.record(this.sensorId, s.tMs, q, acc, gyr, true);
    return { sensorId: this.sensorId, tMs: s.tMs, quatWxyz: q, accMps2: acc, gyrDps: gyr, fresh: true };
  }

  #fromFilter(s: TimedSample, acc: Vec3, gyr: Vec3, dtS: number, after: AfterGap): OrientedSample {
    if (this.#filter === null || this.#bias === null) {
      this.#filter = new OrientationFilter(SPINE_FILTER_SETTINGS);
      this.#bias = new GyroBiasEstimator();
      // Fusion's start-up gain (10, ramping down over 3 s) pulls the tilt in with a time
      // constant of ~0.1 s (FusionAhrs.c STARTUP_GAIN): trusted after the re-convergence time,
      // not only after the whole ramp, so that a calibration stance at the start is usable.
      this.#freshFromMs = s.tMs + this.#reconvergeMs;
    }
    const filter = this.#filter;
    const othersMoving = this.#bodyMotion?.othersMoving(this.sensorId, s.tMs) ?? false;
    const corrected = this.#scaleFixed(this.#bias.next(gyr, acc, dtS, othersMoving));
    const rateDps = Math.sqrt(corrected[0] * corrected[0] + corrected[1] * corrected[1] + corrected[2] * corrected[2]);
    this.#bodyMotion?.record(this.sensorId, s.tMs, rateDps);
    const rateBeforeDps = this.#lastRateDps;
    this.#lastRateDps = rateDps;
    // Slow at both ends (a pause, a slow stretch: a Jefferson curl's bottom, a hold), the gap
    // moved the tilt by little and the bridge has it right; confirmed like any other (below),
    // but not waited for past a still moment's first check: held stale for up to fixWaitMs, a
    // slow exercise lost its frames for 0.9-1.3 s after a 170-290 ms loss (no still moment, no
    // swing for the pivot fit: the wait ran out), and the rep they were in (simulator, 60
    // sessions: 6 more reps found, Jefferson curls and cat-camels; docs/BENCHMARKS.md, session 11).
    const slowEnds = after === "bridged" && Math.max(rateDps, rateBeforeDps) < this.#slowBridgeDps;
    if (slowEnds) this.counters.slowBridges++;
    if (after !== "none") {
      // After a long gap the tilt comes from one accelerometer sample, maybe of a moving sensor
      // (mid-swing it is off by tens of degrees: bench/diagnose-dropout.ts). A shorter gap is
      // bridged by integrating the gyro across it through the rates and their derivatives at its
      // two ends (GyroStepRate). Measured on the simulator's swings (bench/diagnose-swing-peaks.ts,
      // error a gap step adds, p95): 0.3° up to 150 ms, but 2.6-2.8° at 150-250 ms and up to 6°
      // where the gap hides a pause at the bottom of a hinge, which no curve through the ends'
      // rates can know (the plain mean of the ends' rates: 1.3°, 7-8°). So past bridgeTrustMs
      // the orientation is not trusted until a quasi-static moment or the moving-sensor pivot
      // fit confirms (or fixes) the tilt, between reconvergeMs and fixWaitMs (after a bridged
      // gap from its end). Gaps up to bridgeTrustMs stay fresh: a rep must not vanish from the
      // detectors because a notification or two were lost; the static fix below corrects what
      // the bridging got wrong at the next still moment.
      if (after === "reseed") {
        this.counters.reseeds++;
        const seeded = reseedTilt(filter.quatWxyz, acc);
        if (seeded !== null) filter.setQuat(seeded);
        this.#stepRate.reset();
        this.#held.expire();
      } else {
        this.counters.bridgedGaps++;
        this.#held.begin();
      }
      this.#awaitingFix = true;
      // A re-seeded filter also needs its start-up time; a bridged one is fresh once confirmed.
      this.#minFreshMs = after === "reseed" ? s.tMs + this.#reconvergeMs : s.tMs;
      this.#freshFromMs = s.tMs + (slowEnds ? this.#staticTilt.settings.minDurationMs : this.#fixWaitMs);
      this.#staticTilt.reset();
      this.#staticTilt.expectError();
      this.#pivot?.reset();
      this.#joint?.reset();
      this.#recovery = { reseedMs: s.tMs, gap: after, by: "pending", atMs: Number.NaN, correctionDeg: 0 };
    }
    const gapRevision = this.#stepRate.revision(corrected, dtS);
    if (gapRevision !== null) {
      this.#setQuat(filter, quatMultiply(filter.quatWxyz, gapRevision));
      this.counters.gapRevisions++;
    }
    const mid = this.#stepRate.next(corrected, dtS);
    this.#revisePacketStep(filter, s, after, mid, dtS);
    filter.setStill(this.#bias.isStill);
    filter.updateImu(mid, acc, dtS);
    const fix = this.#staticTilt.next(filter.quatWxyz, acc, corrected, dtS * 1000);
    let fixDeg = 0;
    if (fix !== null) {
      fixDeg = quatAngleBetweenDeg(filter.quatWxyz, fix);
      this.#setQuat(filter, fix);
      this.counters.staticFixes++;
    }
    if (this.#awaitingFix) this.#awaitConfirmation(filter, s.tMs, acc, corrected, dtS, fixDeg);
    const q = filter.quatWxyz;
    const fresh = s.tMs >= this.#freshFromMs;
    this.#partner?.record(this.sensorId, s.tMs, q, acc, corrected, fresh && !this.#awaitingFix);
    const out: OrientedSample = {
      sensorId: this.sensorId,
      tMs: s.tMs,
      quatWxyz: [q[0], q[1], q[2], q[3]],
      accMps2: acc,
      gyrDps: [corrected[0], corrected[1], corrected[2]],
      fresh,
    };
    if (after === "reseed") out.reseeded = true;
    this.#held.stamp(out);
    return out;
  }

  /**
   * Turns our filter's orientation about world vertical by `angleRad` (q ← q_z ⊗ q): the heading
   * it missed over a gap it could not integrate across, as another sensor saw it (ReseedHeading).
   * `emitted`, the sample this stage returned last, is turned with it (if held, with the others
   * held: HeldOrientation). Device quaternions are the device's own business and are not touched.
   */
  turnHeading(angleRad: number, emitted?: OrientedSample): void {
    if (this.#filter === null || angleRad === 0) return;
    const q = quatMultiply(quatAboutWorldVertical(angleRad), this.#filter.quatWxyz);
    this.#setQuat(this.#filter, q);
    if (emitted && emitted.held !== true) for (let i = 0; i < 4; i++) emitted.quatWxyz[i] = q[i];
  }

  #scaleFixed(g: Readonly<Vec3>): Readonly<Vec3> {
    const m = this.#gyroFix;
    if (m === null) return g;
    const out = this.#fixedGyr;
    out[0] = m[0] * g[0] + m[1] * g[1] + m[2] * g[2];
    out[1] = m[3] * g[0] + m[4] * g[1] + m[5] * g[2];
    out[2] = m[6] * g[0] + m[7] * g[1] + m[8] * g[2];
    return out;
  }

  /**
   * Clockless sensors: when the clock learns that an earlier packet came after lost samples
   * (it was late and taken as delayed, and so were any after it, and this one is late by the
   * same whole batches), that packet's first step was `stepRevisionMs` longer than integrated.
   * Its rotation over the missing time is added now (PacketStepRecord), instead of being
   * integrated over this sample's step: a lost notification then costs one misplaced packet's
   * timestamps, not a tilt error carried until the next stop (bench/diagnose-swing-peaks.ts:
   * ~2° in a swing). Negative: the loss counted before the previous packet was too big
   * (overcount-check.ts), and the rotation integrated over the time that was not missing is
   * taken back.
   */
  #revisePacketStep(filter: OrientationFilter, s: TimedSample, after: AfterGap, mid: Readonly<Vec3>, dtS: number): void {
    const rec = this.#packetSteps;
    if (s.stepRevisionMs !== undefined && after === "none") {
      const c = rec.correction(s.stepRevisionMs / 1000, s.stepRevisionPackets ?? 1);
      if (c !== null) {
        this.#setQuat(filter, quatMultiply(filter.quatWxyz, c));
        this.counters.stepRevisions++;
      }
    }
    if (after !== "none") rec.invalidate();
    else if (s.indexInPacket === 0) rec.begin(mid, dtS);
    else rec.add(mid, dtS);
  }

  /**
   * After a re-seed: the tilt is confirmed by a quasi-static moment (StaticTiltCorrection) or,
   * while the sensor keeps moving, by the pivot fit (PivotConfirmation) from `pivotFromMs` on;
   * the sensor is fresh from then (not before `reconvergeMs`). Neither by `fixWaitMs`: fresh
   * anyway (issue 4: angles resume within 1 s), recorded as a timeout, unless a stop has just
   * begun; it is then checked at once on its first samples (StaticTiltCorrection.checkNow), where
   * a stop's leftover deceleration (1-2°) is a smaller risk than the bridge's error (simulator,
   * kettlebell swing, WitMotion seed 1 at 22.35 s: 7.4° for the 80 ms until the stop's check).
   */
  #awaitConfirmation(filter: OrientationFilter, tMs: number, acc: Vec3, gyr: Readonly<Vec3>, dtS: number, fixDeg: number): void {
    const rec = this.#recovery as ReseedRecovery;
    if (this.#staticTilt.confirmed) {
      this.#confirm(rec, tMs, "static", fixDeg);
      return;
    }
    const joint = this.#joint?.next(filter.quatWxyz, acc, gyr, tMs, tMs - rec.reseedMs) ?? null;
    if (joint?.kind === "provisional") {
      // Applied, not confirmed: the still-moment check still expects a blind gap's error, and
      // the pivot fit (its sums through the old orientation) starts again.
      this.#fitFix(filter, joint.rotation);
      this.#pivot?.reset();
      this.counters.jointProvisionalFixes++;
      return;
    }
    if (joint?.kind === "fix") {
      this.#fitFix(filter, joint.rotation, AFTER_JOINT_FIX_MIN_CORRECTION_DEG);
      this.counters.jointFixes++;
      rec.gravityMps2 = joint.gravityMps2;
      this.#confirm(rec, tMs, "joint", joint.correctionDeg);
      return;
    }
    const pivot = this.#pivot?.next(filter.quatWxyz, acc, gyr, dtS, tMs, tMs - rec.reseedMs, rec.gap === "bridged") ?? null;
    if (pivot?.kind === "refused") this.counters.pivotDisagreements++;
    else if (pivot?.kind === "fix") {
      // The fit re-established the tilt: the next stop is held to the filter's rejection angle
      // (AFTER_PIVOT_FIX_MIN_CORRECTION_DEG), not the 1° expected after a blind gap, and its sums
      // (world "up" through the old orientation) start again. A swing's lockout 40 ms after a fit
      // that had put the tilt right within 0.6° read 1° of leftover deceleration as error and
      // doubled it (simulator, kettlebell-swing WitMotion seed 3 at 194.0 s: the next rep's peak
      // 1.64° off).
      this.#fitFix(filter, pivot.rotation, AFTER_PIVOT_FIX_MIN_CORRECTION_DEG);
      this.counters.pivotFixes++;
      rec.gravityMps2 = pivot.solution.gravityMps2;
      rec.residualMps = pivot.solution.residualMps;
      this.#confirm(rec, tMs, "pivot", pivot.correctionDeg);
      return;
    }
    if (tMs >= this.#freshFromMs) {
      const fix = this.#staticTilt.checkNow(filter.quatWxyz);
      if (this.#staticTilt.confirmed) {
        if (fix !== null) {
          const deg = quatAngleBetweenDeg(filter.quatWxyz, fix);
          this.#setQuat(filter, fix);
          this.counters.staticFixes++;
          this.#confirm(rec, tMs, "static", deg);
        } else this.#confirm(rec, tMs, "static", 0);
        return;
      }
      this.#awaitingFix = false;
      this.#held.expire();
      rec.by = "timeout";
      rec.atMs = tMs;
    }
  }

  /** A fit's tilt fix: applied, and the next stop's check (its sums restarted) held to `nextStopMinDeg` (default: a blind gap's). */
  #fitFix(filter: OrientationFilter, rotation: Readonly<QuatWxyz>, nextStopMinDeg?: number): void {
    this.#setQuat(filter, quatMultiply(filter.quatWxyz, rotation));
    this.#staticTilt.clear();
    this.#staticTilt.expectError(nextStopMinDeg);
  }

  /** Sets the filter's orientation; a change while samples are held is owed by them (HeldOrientation). */
  #setQuat(filter: OrientationFilter, q: Readonly<QuatWxyz>): void {
    this.#held.jump(filter.quatWxyz, q);
    filter.setQuat(q);
  }

  #confirm(rec: ReseedRecovery, tMs: number, by: "static" | "joint" | "pivot", correctionDeg: number): void {
    this.#awaitingFix = false;
    this.#held.confirm();
    this.#freshFromMs = Math.min(this.#freshFromMs, Math.max(this.#minFreshMs, tMs));
    rec.by = by;
    rec.atMs = tMs;
    rec.correctionDeg = correctionDeg;
  }
}

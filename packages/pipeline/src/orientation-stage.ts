import {
  GyroBiasEstimator,
  OrientationFilter,
  SPINE_FILTER_SETTINGS,
  quatConjugate,
  quatFromTwoVectors,
  quatMultiply,
  quatRotateInverse,
  quatToRotationVector,
} from "@spinewatch/kinematics";
import type { QuatWxyz, SensorId, Vec3 } from "@spinewatch/protocol";
import type { TimedSample } from "./sensor-clock.js";
import type { OrientedSample } from "./types.js";

/** Standard gravity, m/s² (the unit every decoder converts to, brief "devices"). */
const G_MPS2 = 9.80665;
const DEG_PER_RAD = 180 / Math.PI;
const WORLD_UP: Readonly<Vec3> = [0, 0, 1];

export interface OrientationStageOptions {
  /** Nominal output rate, Hz: the time step of the very first sample. */
  rateHz: number;
  /** A gap longer than this re-seeds our filter from the accelerometer, ms. Default 500. */
  reseedGapMs?: number;
  /** How long after a re-seed (or start-up) the orientation is not yet trusted, ms. Default 500. */
  reconvergeMs?: number;
}

export interface OrientationCounters {
  /** Samples that carried neither a quaternion nor acc + gyro. */
  noOrientation: number;
  reseeds: number;
}

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
 * marks the sensor not fresh for `reconvergeMs`.
 */
export class OrientationStage {
  readonly sensorId: SensorId;
  readonly counters: OrientationCounters = { noOrientation: 0, reseeds: 0 };
  readonly #periodS: number;
  readonly #reseedGapMs: number;
  readonly #reconvergeMs: number;
  #filter: OrientationFilter | null = null;
  #bias: GyroBiasEstimator | null = null;
  #lastTMs = -Infinity;
  #freshFromMs = -Infinity;
  #prevDeviceQuat: QuatWxyz | null = null;

  constructor(sensorId: SensorId, options: OrientationStageOptions) {
    this.sensorId = sensorId;
    this.#periodS = 1 / options.rateHz;
    this.#reseedGapMs = options.reseedGapMs ?? 500;
    this.#reconvergeMs = options.reconvergeMs ?? 500;
  }

  /** The orientation at this sample, or null if the sample cannot give one (counted). */
  next(s: TimedSample): OrientedSample | null {
    const gapMs = s.tMs - this.#lastTMs;
    const first = this.#lastTMs === -Infinity;
    const dtS = first ? this.#periodS : Math.min(gapMs, this.#reseedGapMs) / 1000;
    let out: OrientedSample | null;
    if (s.quatWxyz !== undefined) out = this.#fromDevice(s, dtS, first || gapMs > this.#reseedGapMs);
    else if (s.accMps2 !== undefined && s.gyrDps !== undefined) out = this.#fromFilter(s, s.accMps2, s.gyrDps, dtS, !first && gapMs > this.#reseedGapMs);
    else {
      this.counters.noOrientation++;
      return null;
    }
    this.#lastTMs = s.tMs;
    return out;
  }

  reset(): void {
    this.#filter = null;
    this.#bias = null;
    this.#lastTMs = -Infinity;
    this.#freshFromMs = -Infinity;
    this.#prevDeviceQuat = null;
    this.counters.noOrientation = this.counters.reseeds = 0;
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
    return { sensorId: this.sensorId, tMs: s.tMs, quatWxyz: q, accMps2: acc, gyrDps: gyr, fresh: true };
  }

  #fromFilter(s: TimedSample, acc: Vec3, gyr: Vec3, dtS: number, reseed: boolean): OrientedSample {
    if (this.#filter === null || this.#bias === null) {
      this.#filter = new OrientationFilter(SPINE_FILTER_SETTINGS);
      this.#bias = new GyroBiasEstimator();
      // Fusion's start-up gain (10, ramping down over 3 s) pulls the tilt in with a time
      // constant of ~0.1 s (FusionAhrs.c STARTUP_GAIN): trusted after the re-convergence time,
      // not only after the whole ramp, so that a calibration stance at the start is usable.
      this.#freshFromMs = s.tMs + this.#reconvergeMs;
    }
    const filter = this.#filter;
    if (reseed) this.#reseed(filter, acc, s.tMs);
    const corrected = this.#bias.next(gyr, acc, dtS);
    filter.setStill(this.#bias.isStill);
    filter.updateImu(corrected, acc, dtS);
    const q = filter.quatWxyz;
    const fresh = s.tMs >= this.#freshFromMs;
    return {
      sensorId: this.sensorId,
      tMs: s.tMs,
      quatWxyz: [q[0], q[1], q[2], q[3]],
      accMps2: acc,
      gyrDps: [corrected[0], corrected[1], corrected[2]],
      fresh,
    };
  }

  /**
   * Re-seed the tilt from the accelerometer with the smallest rotation that takes the filter's
   * predicted "up" (in sensor axes) onto the measured one: the heading is kept, which a
   * restart (`reset()`, heading 0) would lose, breaking the calibration's heading alignment.
   */
  #reseed(filter: OrientationFilter, acc: Vec3, tMs: number): void {
    this.counters.reseeds++;
    this.#freshFromMs = tMs + this.#reconvergeMs;
    const n = Math.hypot(acc[0], acc[1], acc[2]);
    if (!(n > 0.5 * G_MPS2 && n < 1.5 * G_MPS2)) return; // moving hard: let the filter pull tilt back
    const q = filter.quatWxyz;
    const qOld: QuatWxyz = [q[0], q[1], q[2], q[3]];
    const upPredicted = quatRotateInverse(qOld, WORLD_UP);
    const upMeasured: Vec3 = [acc[0] / n, acc[1] / n, acc[2] / n];
    // q_new⁻¹·up = measured  ⇐  q_new = q_old ⊗ r with r·measured = predicted.
    filter.setQuat(quatMultiply(qOld, quatFromTwoVectors(upMeasured, upPredicted)));
  }
}

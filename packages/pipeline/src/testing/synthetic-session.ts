import { STANDARD_GRAVITY_MPS2 as G } from "@spinewatch/protocol";
import { quatFromAxes, quatFromAxisAngle, quatMultiply, quatRotateInverse } from "@spinewatch/kinematics";
import type { QuatWxyz, SessionInfo, SourceEvent, Vec3 } from "@spinewatch/protocol";

/**
 * A small, exactly known two-sensor session for pipeline tests (the simulator is the realistic
 * one): a person facing north in NWU stands still, then hinges forward and back, pelvis tilt
 * p(t) and lumbar flexion f(t) both raised-cosine cycles. Sensors are "generic" (sample events),
 * mounted `up: +x, out: +z`; the thoracic sensor is inclined by p + f, the sacrum by p. The
 * samples are exact (gravity reaction only, no noise): tests add their own faults.
 */
export interface SyntheticOptions {
  durationS: number;
  rateHz?: number;
  /** Standing still for this long before the hinges start, s. */
  standS?: number;
  pelvisPeakDeg?: number;
  flexionPeakDeg?: number;
  cycleS?: number;
  /** Give samples a sensor clock (µs), as a Movella DOT would. */
  sensorClock?: boolean;
  /** Host arrival latency over the sample time, ms (constant). */
  latencyMs?: number;
  /** Emit a calibrate-neutral mark over [markAtS, markAtS + 2 s]. */
  calibrateAtS?: number;
}

const RAD = Math.PI / 180;
/** Sensor axes in the world when standing (x up, y west, z south: out of the back of a person facing north). */
const Q_NEUTRAL = quatFromAxes([0, 0, 1], [0, 1, 0], [-1, 0, 0]);

export const SYNTHETIC_INFO: SessionInfo = {
  sensors: [
    { id: "sacrum", role: "sacrum", device: "generic", rateHz: 100, mount: { up: "+x", out: "+z" } },
    { id: "thoracic", role: "thoracolumbar", device: "generic", rateHz: 100, mount: { up: "+x", out: "+z" } },
  ],
  exercise: "hip-hinge-holds",
};

export function syntheticTruth(tS: number, o: SyntheticOptions): { pelvisDeg: number; flexionDeg: number; pelvisRateDps: number; flexionRateDps: number } {
  const stand = o.standS ?? 6;
  if (tS < stand) return { pelvisDeg: 0, flexionDeg: 0, pelvisRateDps: 0, flexionRateDps: 0 };
  const w = (2 * Math.PI) / (o.cycleS ?? 4);
  const ph = w * (tS - stand);
  const p = o.pelvisPeakDeg ?? 30, f = o.flexionPeakDeg ?? 15;
  return {
    pelvisDeg: (p * (1 - Math.cos(ph))) / 2,
    flexionDeg: (f * (1 - Math.cos(ph))) / 2,
    pelvisRateDps: (p * w * Math.sin(ph)) / 2,
    flexionRateDps: (f * w * Math.sin(ph)) / 2,
  };
}

function sensorSample(inclDeg: number, rateDps: number): { quat: QuatWxyz; acc: Vec3; gyr: Vec3 } {
  // Forward inclination turns "up" toward north: a rotation about world +y (west).
  const q = quatMultiply(quatFromAxisAngle([0, 1, 0], inclDeg * RAD), Q_NEUTRAL);
  const acc = quatRotateInverse(q, [0, 0, G]) as Vec3;
  const gyr = quatRotateInverse(q, [0, rateDps, 0]) as Vec3;
  return { quat: q, acc, gyr };
}

/** The session's source events in host-time order. */
export function syntheticEvents(o: SyntheticOptions): SourceEvent[] {
  const rate = o.rateHz ?? 100;
  const n = Math.round(o.durationS * rate);
  const lat = o.latencyMs ?? 8;
  const events: SourceEvent[] = [];
  if (o.calibrateAtS !== undefined) {
    events.push({ type: "mark", hostTimeMs: o.calibrateAtS * 1000, event: { type: "event", tMs: o.calibrateAtS * 1000, kind: "calibrate-neutral", durationMs: 2000 } });
  }
  for (let i = 0; i < n; i++) {
    const tMs = (i * 1000) / rate;
    const truth = syntheticTruth(tMs / 1000, o);
    const sac = sensorSample(truth.pelvisDeg, truth.pelvisRateDps);
    const tho = sensorSample(truth.pelvisDeg + truth.flexionDeg, truth.pelvisRateDps + truth.flexionRateDps);
    for (const [id, s] of [["sacrum", sac], ["thoracic", tho]] as const) {
      events.push({
        type: "sample",
        sensorId: id,
        hostTimeMs: tMs + lat,
        sample: { accMps2: s.acc, gyrDps: s.gyr, ...(o.sensorClock ? { sensorTimeUs: Math.round(tMs * 1000) + 123_456 } : {}) },
      });
    }
  }
  return events.sort((a, b) => a.hostTimeMs - b.hostTimeMs);
}

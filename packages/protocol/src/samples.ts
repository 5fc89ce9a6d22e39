import type { SensorId } from "./sensors.js";
import type { QuatWxyz, Vec3 } from "./vectors.js";

/**
 * What a device decoder gets out of its bytes: one measurement in the sensor's own axes,
 * before any clock mapping. Every field is optional because devices differ in what they send.
 */
export interface DeviceSample {
  /** The sensor's own clock in µs, unwrapped by the decoder only if it can; absent if the device has none. */
  sensorTimeUs?: number;
  /** Specific force (what an accelerometer measures: gravity reaction plus linear acceleration) in m/s². */
  accMps2?: Vec3;
  /** Angular rate in degrees per second. */
  gyrDps?: Vec3;
  /** Magnetic field in µT. */
  magUt?: Vec3;
  /** The device's own sensor-to-world orientation, scalar first. */
  quatWxyz?: QuatWxyz;
  /** The device's own Euler angles in degrees [roll, pitch, yaw], when that is all it sends. */
  eulerDeg?: Vec3;
}

/**
 * One IMU sample on the session timeline (DESIGN.md data flow): a DeviceSample after the
 * per-sensor clock has placed it.
 */
export interface ImuSample extends DeviceSample {
  sensorId: SensorId;
  /** Sample time on the session timeline, µs since the session started. */
  tUs: number;
}

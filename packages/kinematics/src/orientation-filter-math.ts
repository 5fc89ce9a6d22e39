/**
 * Convention-dependent geometry of {@link OrientationFilter}, off its 6-axis hot path: the
 * magnetometer feedback, gravity and earth acceleration. Ported from x-io Technologies' Fusion
 * (github.com/xioTechnologies/Fusion, Fusion/FusionAhrs.c: HalfMagnetic, Feedback,
 * FusionAhrsGetGravity, FusionAhrsGetEarthAcceleration, FusionAhrsGetInternalStates; MIT).
 * Quaternions are passed as scalars (sensor to earth, w first) so nothing is allocated.
 */

/** Earth-frame codes used inside the filter. */
export const NWU = 0, ENU = 1, NED = 2;

const DEG_PER_RAD = 180 / Math.PI;

/**
 * Half magnetometer feedback (Fusion's `Feedback(normalise(halfGravity × m), halfMagnetic)`)
 * written into out[0..2]. `hg*` is the half gravity of the same update.
 */
export function magneticHalfFeedback(convention: number, qw: number, qx: number, qy: number, qz: number,
  hgx: number, hgy: number, hgz: number, mx: number, my: number, mz: number, out: Float64Array): void {
  // Direction of the magnetic field indicated by the algorithm, scaled by 0.5 (a column of Rᵀ).
  let rx: number, ry: number, rz: number;
  if (convention === NWU) {
    rx = qx * qy + qw * qz;
    ry = qw * qw - 0.5 + qy * qy;
    rz = qy * qz - qw * qx;
  } else if (convention === ENU) {
    rx = 0.5 - qw * qw - qx * qx;
    ry = qw * qz - qx * qy;
    rz = -(qx * qz + qw * qy);
  } else {
    rx = -(qx * qy + qw * qz);
    ry = 0.5 - qw * qw - qy * qy;
    rz = qw * qx - qy * qz;
  }
  // Measured west (NWU) direction: normalise(halfGravity × magnetometer).
  let sx = hgy * mz - hgz * my;
  let sy = hgz * mx - hgx * mz;
  let sz = hgx * my - hgy * mx;
  const sn = Math.sqrt(sx * sx + sy * sy + sz * sz);
  if (sn > 0) {
    sx /= sn; sy /= sn; sz /= sn;
  }
  let hx = sy * rz - sz * ry;
  let hy = sz * rx - sx * rz;
  let hz = sx * ry - sy * rx;
  const hn = Math.sqrt(hx * hx + hy * hy + hz * hz);
  if (sx * rx + sy * ry + sz * rz < 0 && hn > 0) {
    // Error beyond 90°: full-strength feedback (Fusion's Feedback).
    hx /= hn; hy /= hn; hz /= hn;
  }
  out[0] = hx;
  out[1] = hy;
  out[2] = hz;
}

/**
 * Unit "up" in the sensor frame (what a still accelerometer reads, in g): twice Fusion's half
 * gravity, the third column of Rᵀ; NED's z points down, hence its signs.
 */
export function gravityFromQuat(convention: number, qw: number, qx: number, qy: number, qz: number,
  out: [number, number, number]): [number, number, number] {
  if (convention !== NED) {
    out[0] = 2 * (qx * qz - qw * qy);
    out[1] = 2 * (qy * qz + qw * qx);
    out[2] = 2 * (qw * qw - 0.5 + qz * qz);
  } else {
    out[0] = 2 * (qw * qy - qx * qz);
    out[1] = -2 * (qy * qz + qw * qx);
    out[2] = 2 * (0.5 - qw * qw - qz * qz);
  }
  return out;
}

/** Accelerometer rotated into the earth frame with gravity (`gravity`, same unit) removed. */
export function earthAccFromQuat(convention: number, qw: number, qx: number, qy: number, qz: number,
  ax: number, ay: number, az: number, gravity: number, out: [number, number, number]): [number, number, number] {
  out[0] = 2 * ((qw * qw - 0.5 + qx * qx) * ax + (qx * qy - qw * qz) * ay + (qx * qz + qw * qy) * az);
  out[1] = 2 * ((qx * qy + qw * qz) * ax + (qw * qw - 0.5 + qy * qy) * ay + (qy * qz - qw * qx) * az);
  out[2] = 2 * ((qx * qz - qw * qy) * ax + (qy * qz + qw * qx) * ay + (qw * qw - 0.5 + qz * qz) * az);
  out[2] += convention === NED ? gravity : -gravity;
  return out;
}

/** Error angle of a half feedback vector: asin(2 |h|) in degrees, clamped as FusionArcSin. */
export function feedbackErrorDeg(hx: number, hy: number, hz: number): number {
  const s = 2 * Math.sqrt(hx * hx + hy * hy + hz * hz);
  return Math.asin(s >= 1 ? 1 : s) * DEG_PER_RAD;
}

/**
 * Whether the start-up heading is to be held at 0 now. Fusion zeroes the heading after every
 * start-up update (FusionAhrsUpdateNoMagnetometer). Its yaw is the direction of the sensor's x
 * axis projected on the horizontal plane, which is undefined when that axis is vertical, and
 * spinewatch's default mount points x up the spine (CONTRACTS.md §1): there the projection is
 * accelerometer noise, and zeroing its direction spun the heading by hundreds of degrees during
 * the 3 s start-up of a person standing still (measured on the simulator: calibration refused,
 * "relative heading changed by 116°"). So the heading is held at 0 only while x is at least 30°
 * from vertical (projection² ≥ 0.25, the same as Fusion for a level sensor, e.g. the reference
 * recording); otherwise it is left where it is, which is all a 6-axis filter can say about it.
 */
export function startupHeadingHeld(qw: number, qx: number, qy: number, qz: number): boolean {
  const north = 1 - 2 * (qy * qy + qz * qz);
  const west = 2 * (qw * qz + qx * qy);
  return north * north + west * west >= 0.25;
}

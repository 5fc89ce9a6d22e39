import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";

/**
 * Euler <-> quaternion for WitMotion angles, ASSUMING the aerospace Z-Y-X convention
 * (yaw about z, then pitch about y, then roll about x; eulerDeg = [roll, pitch, yaw]).
 * The real convention is UNVERIFIED (BLE-PROTOCOLS.md §1.3: "not stated in any source"); the
 * decoder therefore never converts, it reports eulerDeg as sent. The encoder uses this only
 * when a sample has a quaternion but no Euler angles (simulator), and a hardware check
 * (rotate 90° about Z, compare the 0x71 quaternion) should confirm it before anyone trusts
 * device Euler angles as orientation.
 */
export function witEulerDegToQuat(eulerDeg: Readonly<Vec3>): QuatWxyz {
  const r = (eulerDeg[0] * Math.PI) / 360;
  const p = (eulerDeg[1] * Math.PI) / 360;
  const y = (eulerDeg[2] * Math.PI) / 360;
  const cr = Math.cos(r), sr = Math.sin(r), cp = Math.cos(p), sp = Math.sin(p), cy = Math.cos(y), sy = Math.sin(y);
  return [
    cr * cp * cy + sr * sp * sy,
    sr * cp * cy - cr * sp * sy,
    cr * sp * cy + sr * cp * sy,
    cr * cp * sy - sr * sp * cy,
  ];
}

export function witQuatToEulerDeg(q: Readonly<QuatWxyz>): Vec3 {
  const [w, x, y, z] = q;
  const k = 180 / Math.PI;
  const sinP = Math.max(-1, Math.min(1, 2 * (w * y - z * x)));
  return [
    Math.atan2(2 * (w * x + y * z), 1 - 2 * (x * x + y * y)) * k,
    Math.asin(sinP) * k,
    Math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z)) * k,
  ];
}

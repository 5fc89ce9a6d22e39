import { STANDARD_GRAVITY_MPS2 as G_MPS2, type QuatWxyz, type Vec3 } from "@spinewatch/protocol";
import { quatFromTwoVectors, quatMultiply, quatRotateInverse } from "@spinewatch/kinematics";

const WORLD_UP: Readonly<Vec3> = [0, 0, 1];

/**
 * The orientation `q` re-seeded in tilt from one accelerometer sample (after a gap too long to
 * integrate across): the smallest rotation that takes its predicted "up" (in sensor axes) onto
 * the measured one, so the heading is kept, which a restart (heading 0) would lose, breaking the
 * calibration's heading alignment. Null when the sample is far from 1 g (moving hard: the filter
 * pulls the tilt back instead).
 */
export function reseedTilt(q: Readonly<QuatWxyz>, accMps2: Readonly<Vec3>): QuatWxyz | null {
  const n = Math.hypot(accMps2[0], accMps2[1], accMps2[2]);
  if (!(n > 0.5 * G_MPS2 && n < 1.5 * G_MPS2)) return null;
  const upPredicted = quatRotateInverse(q, WORLD_UP);
  const upMeasured: Vec3 = [accMps2[0] / n, accMps2[1] / n, accMps2[2] / n];
  // q_new⁻¹·up = measured  ⇐  q_new = q ⊗ r with r·measured = predicted.
  return quatMultiply(q, quatFromTwoVectors(upMeasured, upPredicted));
}

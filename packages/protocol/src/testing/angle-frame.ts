import type { AngleFrame } from "../frames.js";

/**
 * An AngleFrame for tests: the calibrated neutral (every angle 0, identity relative quaternion)
 * at tMs 0, with the fields given in `partial` in place.
 */
export function makeAngleFrame(partial: Partial<AngleFrame> = {}): AngleFrame {
  return {
    tMs: 0,
    flexionDeg: 0,
    lateralBendDeg: 0,
    axialRotationDeg: 0,
    pelvisTiltDeg: 0,
    thoraxInclinationDeg: 0,
    pelvisObliquityDeg: 0,
    relQuatWxyz: [1, 0, 0, 0],
    ...partial,
  };
}

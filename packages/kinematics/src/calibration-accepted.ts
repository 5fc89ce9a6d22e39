import type { CalibrationQuality, QuatWxyz } from "@spinewatch/protocol";
import type { CalibrationOutcome } from "./calibration-types.js";

/**
 * An accepted calibration, assembled in one place for calibrateNeutral (neutral-calibration.ts)
 * and refineWithBend (functional-bend.ts). The sensors' results carry more (window means, bend
 * axes): only their sensorToSegment (`s2s`) goes into the calibration. Internal: not in index.ts.
 */
export function calibrationAccepted(
  sacrum: { s2s: QuatWxyz },
  thoracic: { s2s: QuatWxyz },
  thoracicWorldAlign: QuatWxyz,
  pelvisNeutralWorld: QuatWxyz,
  quality: CalibrationQuality,
): CalibrationOutcome {
  return {
    ok: true,
    calibration: {
      sacrum: { sensorToSegment: sacrum.s2s },
      thoracic: { sensorToSegment: thoracic.s2s },
      thoracicWorldAlign,
      pelvisNeutralWorld,
      quality,
    },
  };
}

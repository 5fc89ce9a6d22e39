import { SIGNED_AXES, type MountPreset, type QuatWxyz, type SignedAxis, type Vec3 } from "@spinewatch/protocol";
import { quatFromAxes } from "./quat.js";
import { cross } from "./vec3.js";

/**
 * Mount presets (CONTRACTS.md §1 header `mount: {up, out}`): which sensor axis points up the
 * spine and which points out of the back, away from the body, when the person stands upright.
 * In ISB segment axes (X anterior, Y superior, Z right): `up` is segment +Y and `out` is
 * posterior, i.e. segment −X. Z = X × Y (right-handed: anterior × superior = right).
 */

/** Unit vector of a signed sensor axis ("+x" → [1, 0, 0]). Throws on anything else. */
export function signedAxisVector(axis: SignedAxis): Vec3 {
  switch (axis) {
    case "+x": return [1, 0, 0];
    case "-x": return [-1, 0, 0];
    case "+y": return [0, 1, 0];
    case "-y": return [0, -1, 0];
    case "+z": return [0, 0, 1];
    case "-z": return [0, 0, -1];
    default:
      throw new RangeError(`mount preset: axis must be one of ${SIGNED_AXES.join(" ")}, got ${JSON.stringify(axis)}`);
  }
}

/** Why a mount preset is unusable, or null when it is valid. */
export function mountPresetProblem(mount: MountPreset): string | null {
  if (mount === null || typeof mount !== "object") return `mount preset must be an object {up, out}, got ${JSON.stringify(mount)}`;
  for (const key of ["up", "out"] as const) {
    if (!SIGNED_AXES.includes(mount[key])) {
      return `mount preset: ${key} must be one of ${SIGNED_AXES.join(" ")}, got ${JSON.stringify(mount[key])}`;
    }
  }
  if (mount.up[1] === mount.out[1]) {
    return `mount preset {up: ${mount.up}, out: ${mount.out}}: up and out are parallel; they must be two different sensor axes`;
  }
  return null;
}

/**
 * Segment axes written in sensor axes, from a preset: X = −out (anterior), Y = up, Z = X × Y.
 * Throws a one-line RangeError naming the problem for an invalid preset.
 */
export function mountPresetAxes(mount: MountPreset): { x: Vec3; y: Vec3; z: Vec3 } {
  const problem = mountPresetProblem(mount);
  if (problem !== null) throw new RangeError(problem);
  const y = signedAxisVector(mount.up);
  const out = signedAxisVector(mount.out);
  const x: Vec3 = [-out[0], -out[1], -out[2]];
  return { x, y, z: cross(x, y) };
}

/** sensorToSegment of a preset: q_segWorld = q_sensorWorld ⊗ this. Throws on an invalid preset. */
export function mountPresetToSensorToSegment(mount: MountPreset): QuatWxyz {
  const { x, y, z } = mountPresetAxes(mount);
  return quatFromAxes(x, y, z);
}

import { SIGNED_AXES, type MountPreset, type SignedAxis } from "@spinewatch/protocol";
import { describe, expect, it } from "vitest";
import { mountPresetAxes, mountPresetProblem, mountPresetToSensorToSegment } from "./mount-preset.js";
import { quatRotate } from "./quat.js";

describe("mount presets", () => {
  it("maps up to segment Y and out (posterior) to segment −X, Z = X × Y, for all 24 valid presets", () => {
    let valid = 0;
    for (const up of SIGNED_AXES) for (const out of SIGNED_AXES) {
      const mount: MountPreset = { up, out };
      if (up[1] === out[1]) continue;
      valid++;
      const q = mountPresetToSensorToSegment(mount);
      const { x, y, z } = mountPresetAxes(mount);
      // sensorToSegment maps segment axes into sensor axes (tolerance 1e-12).
      const segY = quatRotate(q, [0, 1, 0]);
      const segX = quatRotate(q, [1, 0, 0]);
      const segZ = quatRotate(q, [0, 0, 1]);
      for (let k = 0; k < 3; k++) {
        expect(segY[k]).toBeCloseTo(y[k], 12);
        expect(segX[k]).toBeCloseTo(x[k], 12);
        expect(segZ[k]).toBeCloseTo(z[k], 12);
      }
    }
    expect(valid).toBe(24);
  });

  it("CONTRACTS.md example {up: +x, out: +z}: anterior is sensor −z, right is sensor −y", () => {
    const { x, y, z } = mountPresetAxes({ up: "+x", out: "+z" });
    expect(x).toEqual([-0, -0, -1]);
    expect(y).toEqual([1, 0, 0]);
    // (−z) × (+x) = −y
    expect(z.map((v) => v + 0)).toEqual([0, -1, 0]);
  });

  it("rejects parallel axes and unknown axis names with a clear message", () => {
    expect(() => mountPresetToSensorToSegment({ up: "+y", out: "-y" })).toThrow(
      "mount preset {up: +y, out: -y}: up and out are parallel; they must be two different sensor axes",
    );
    expect(() => mountPresetToSensorToSegment({ up: "+z", out: "+z" })).toThrow(/parallel/);
    expect(mountPresetProblem({ up: "x" as SignedAxis, out: "+z" })).toBe('mount preset: up must be one of +x -x +y -y +z -z, got "x"');
    expect(mountPresetProblem({ up: "+x", out: "+z" })).toBeNull();
  });
});

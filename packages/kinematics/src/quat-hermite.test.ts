import { describe, expect, it } from "vitest";
import { quatAngleBetweenDeg, quatFromAxisAngle, quatSlerp } from "./quat.js";
import { quatHermite } from "./quat-hermite.js";

const RAD = Math.PI / 180;
const aboutY = (deg: number) => quatFromAxisAngle([0, 1, 0], deg * RAD);

describe("quatHermite", () => {
  it("meets both ends exactly (1e-9°)", () => {
    const q0 = aboutY(10), q1 = quatFromAxisAngle([0.3, 0.9, 0.1], 0.5);
    expect(quatAngleBetweenDeg(quatHermite(q0, [0, 50, 0], q1, [10, -40, 5], 0.05, 0), q0)).toBeLessThan(1e-9);
    expect(quatAngleBetweenDeg(quatHermite(q0, [0, 50, 0], q1, [10, -40, 5], 0.05, 1), q1)).toBeLessThan(1e-9);
  });

  it("keeps a turning point inside the span that slerp cuts off (swing peak, 80 ms lost: within 0.01°)", () => {
    // θ(t) = 30° − ½·α·(t − 40 ms)², α = 2000 °/s²: rate +80 °/s at t = 0, −80 °/s at 80 ms, peak 30° at 40 ms.
    const alpha = 2000, T = 0.08, tp = 0.04;
    const theta = (t: number) => 30 - 0.5 * alpha * (t - tp) ** 2;
    const rate = (t: number) => -alpha * (t - tp);
    const q0 = aboutY(theta(0)), q1 = aboutY(theta(T));
    for (const u of [0.25, 0.5, 0.75]) {
      const truth = aboutY(theta(u * T));
      const h = quatHermite(q0, [0, rate(0), 0], q1, [0, rate(T), 0], T, u);
      expect(quatAngleBetweenDeg(h, truth)).toBeLessThan(0.01);
    }
    // Slerp is a constant rate between the ends: 1.6° short of the peak.
    expect(quatAngleBetweenDeg(quatSlerp(q0, q1, 0.5), aboutY(30))).toBeCloseTo(1.6, 2);
  });

  it("with the rates slerp implies, it is slerp (within 1e-9°)", () => {
    const q0 = aboutY(5), q1 = aboutY(9);
    const w = 4 / 0.04; // 4° in 40 ms, about y
    for (const u of [0.1, 0.5, 0.9]) {
      expect(quatAngleBetweenDeg(quatHermite(q0, [0, w, 0], q1, [0, w, 0], 0.04, u), quatSlerp(q0, q1, u))).toBeLessThan(1e-9);
    }
  });
});

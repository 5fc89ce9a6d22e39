import { describe, expect, it } from "vitest";
import { quatAngleBetweenDeg, quatFromAxisAngle, quatMultiply } from "@spinewatch/kinematics";
import type { QuatWxyz } from "@spinewatch/protocol";
import { HeldOrientation } from "./held-orientation.js";
import type { OrientedSample } from "./types.js";

const RAD = Math.PI / 180;
const sample = (fresh = false): OrientedSample => ({ sensorId: "x", tMs: 0, quatWxyz: [1, 0, 0, 0], accMps2: [0, 0, 9.8], gyrDps: [0, 0, 0], fresh });

describe("HeldOrientation", () => {
  it("composes the jumps since the previous sample in the world frame, later ones on the left (tolerance 1e-6°)", () => {
    const held = new HeldOrientation();
    const q0 = quatFromAxisAngle([0, 0, 1], 30 * RAD);
    held.jump(q0, quatMultiply(quatFromAxisAngle([1, 0, 0], 1 * RAD), q0)); // not held yet: owed by no one
    const first = sample();
    held.stamp(first);
    expect(first).not.toHaveProperty("heldFix");
    expect(first).not.toHaveProperty("held");
    held.begin();
    const a = sample();
    held.stamp(a);
    expect(a.held).toBe(true);
    const f1 = quatFromAxisAngle([1, 0, 0], 3 * RAD), f2 = quatFromAxisAngle([0, 1, 0], 4 * RAD);
    const q1 = quatMultiply(f1, q0);
    held.jump(q0, q1);
    held.jump(q1, quatMultiply(f2, q1));
    const b = sample();
    held.stamp(b);
    expect(quatAngleBetweenDeg(b.heldFix as QuatWxyz, quatMultiply(f2, f1))).toBeLessThan(1e-6);
    expect(b.heldResolved).toBeUndefined();
    const c = sample();
    held.stamp(c); // nothing since b
    expect(c).not.toHaveProperty("heldFix");
    held.confirm();
    const d = sample(true);
    held.stamp(d);
    expect(d).toMatchObject({ heldResolved: "confirmed" });
    expect(d).not.toHaveProperty("held");
    expect(held.active).toBe(false);
  });

  it("a new gap while samples are held expires them and holds the samples after it", () => {
    const held = new HeldOrientation();
    held.begin();
    held.stamp(sample());
    held.begin();
    const s = sample();
    held.stamp(s);
    expect(s).toMatchObject({ held: true, heldResolved: "expired" });
    held.expire();
    const after = sample(true);
    held.stamp(after);
    expect(after).toMatchObject({ heldResolved: "expired" });
    expect(after).not.toHaveProperty("held");
    held.expire(); // nothing held: no verdict
    const later = sample(true);
    held.stamp(later);
    expect(later).not.toHaveProperty("heldResolved");
  });
});

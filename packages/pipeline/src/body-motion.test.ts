import { describe, expect, it } from "vitest";
import { BODY_MOVING_DPS, BODY_MOVING_HOLD_MS, BodyMotion } from "./body-motion.js";

describe("BodyMotion", () => {
  it("tells a sensor whether another one turned faster than BODY_MOVING_DPS within BODY_MOVING_HOLD_MS", () => {
    const b = new BodyMotion();
    expect(b.othersMoving("sacrum", 0)).toBe(false);
    b.record("thoracic", 1000, BODY_MOVING_DPS + 1);
    expect(b.othersMoving("thoracic", 1000)).toBe(false); // its own motion does not count
    expect(b.othersMoving("sacrum", 1000 + BODY_MOVING_HOLD_MS - 1)).toBe(true);
    expect(b.othersMoving("sacrum", 1000 - BODY_MOVING_HOLD_MS + 1)).toBe(true); // lanes a batch apart
    expect(b.othersMoving("sacrum", 1000 + BODY_MOVING_HOLD_MS)).toBe(false);
    b.record("thoracic", 1100, BODY_MOVING_DPS - 1); // slow: not moving, the last moving time stays
    expect(b.othersMoving("sacrum", 1000 + BODY_MOVING_HOLD_MS)).toBe(false);
    b.record("thoracic", 2000, BODY_MOVING_DPS + 1);
    b.reset();
    expect(b.othersMoving("sacrum", 2000)).toBe(false);
  });
});

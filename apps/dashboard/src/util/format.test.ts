import { describe, expect, it } from "vitest";
import { fmtObliquityDeg, fmtScaleError, obliquitySide } from "./format.js";
import { showsPelvisObliquity } from "./exercises.js";

describe("pelvis obliquity display", () => {
  it("shows 0.1° with the side that is up (frames.ts: right side up positive)", () => {
    expect(fmtObliquityDeg(1.625)).toBe("1.6°");
    expect(fmtObliquityDeg(-2.923)).toBe("-2.9°");
    expect(fmtObliquityDeg(-0.04)).toBe("0.0°");
    expect(fmtObliquityDeg(Number.NaN)).toBe("—");
    expect(obliquitySide(1.625)).toBe("right side up");
    expect(obliquitySide(-2.923)).toBe("left side up");
    expect(obliquitySide(0.04)).toBe("level");
    expect(obliquitySide(Number.NaN)).toBe("");
  });

  it("is shown for bird dog only", () => {
    expect(showsPelvisObliquity("bird-dog")).toBe(true);
    for (const name of ["kettlebell-swing", "hip-hinge-holds", "side-bend", "cat-camel", ""]) expect(showsPelvisObliquity(name)).toBe(false);
  });
});

describe("gyro scale error", () => {
  it("is a signed percentage to 0.1 % (measured / true rate)", () => {
    expect(fmtScaleError(1.0208)).toBe("+2.1 %");
    expect(fmtScaleError(0.9931)).toBe("−0.7 %");
    expect(fmtScaleError(1)).toBe("+0.0 %");
  });
});

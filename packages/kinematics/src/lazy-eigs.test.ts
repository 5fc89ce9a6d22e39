import { describe, expect, it } from "vitest";
import { mathjsEigs, mathjsEigsState } from "./lazy-eigs.js";

describe("mathjsEigs (mathjs loaded on first use)", () => {
  it("does not load mathjs until a calibration needs it", () => {
    expect(mathjsEigsState().loaded).toBe(false);
  });

  it("decomposes a symmetric matrix; the eigs-only mathjs instance is the one loaded", () => {
    // [[2,1,0],[1,2,0],[0,0,1]]: eigenvalues 1, 1, 3; the eigenvector of 3 is (1,1,0)/√2.
    const { eigenvectors } = mathjsEigs([[2, 1, 0], [1, 2, 0], [0, 0, 1]]);
    const values = eigenvectors.map((e) => Number(e.value)).sort((a, b) => a - b);
    expect(values[0]).toBeCloseTo(1, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(values[2]).toBeCloseTo(3, 12);
    const top = eigenvectors.find((e) => Math.abs(Number(e.value) - 3) < 1e-9)!;
    const v = (top.vector as number[]).map(Number);
    expect(Math.abs(v[0]!)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(Math.abs(v[1]!)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(v[2]!).toBeCloseTo(0, 12);
    // The fast path (mathjs's create({ eigsDependencies }) found beside its CommonJS entry) still
    // exists in the installed mathjs; if an upgrade moves it, this says so (the fallback works).
    expect(mathjsEigsState()).toEqual({ loaded: true, source: "eigs-files" });
  });
});

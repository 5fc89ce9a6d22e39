import { describe, expect, it } from "vitest";
import { from, lastValueFrom, toArray } from "rxjs";
import { emitOperator, procOperator, type EmitProc } from "./proc-operator.js";
import type { Proc } from "./types.js";

class RunningSum implements Proc<number, number> {
  #sum = 0;
  next(x: number): number {
    this.#sum += x;
    return this.#sum;
  }
  reset(): void {
    this.#sum = 0;
  }
}

class Repeat implements EmitProc<number, number> {
  #seen = 0;
  next(x: number, emit: (v: number) => void): void {
    this.#seen++;
    for (let i = 0; i < x; i++) emit(x);
  }
  reset(): void {
    this.#seen = 0;
  }
  flush(emit: (v: number) => void): void {
    emit(-this.#seen);
  }
}

describe("procOperator", () => {
  it("keeps state per subscription", async () => {
    const op = procOperator(() => new RunningSum());
    const src = from([1, 2, 3]).pipe(op);
    expect(await lastValueFrom(src.pipe(toArray()))).toEqual([1, 3, 6]);
    // A second subscription starts from a fresh processor, not from 6.
    expect(await lastValueFrom(src.pipe(toArray()))).toEqual([1, 3, 6]);
  });
});

describe("emitOperator", () => {
  it("emits zero or more outputs per input and flushes on completion, per subscription", async () => {
    const src = from([2, 0, 1]).pipe(emitOperator(() => new Repeat()));
    expect(await lastValueFrom(src.pipe(toArray()))).toEqual([2, 2, 1, -3]);
    expect(await lastValueFrom(src.pipe(toArray()))).toEqual([2, 2, 1, -3]);
  });

  it("turns a processor exception into a stream error", async () => {
    const bad: EmitProc<number, number> = {
      next() {
        throw new Error("boom");
      },
      reset() {},
    };
    await expect(lastValueFrom(from([1]).pipe(emitOperator(() => bad)))).rejects.toThrow("boom");
  });
});

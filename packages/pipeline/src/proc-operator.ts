import { Observable, defer, map, type OperatorFunction } from "rxjs";
import type { Emit, Proc } from "./types.js";

/**
 * Adapts a plain processor to an rxjs operator at the edge (STYLE-MODELS.md §2-3): `make` runs
 * inside `defer`, so every subscription gets its own processor and state, as rxjs's own
 * operators create their state inside `operate` (rxjs 7.8.2 `pairwise`).
 */
export function procOperator<A, B>(make: () => Proc<A, B>): OperatorFunction<A, B> {
  return (source) =>
    defer(() => {
      const proc = make();
      return source.pipe(map((x) => proc.next(x)));
    });
}

/** A processor that produces zero or more outputs per input by calling `emit`. */
export interface EmitProc<A, B> {
  next(input: A, emit: Emit<B>): void;
  reset(): void;
  /** Called once when the input completes, to emit what is still pending. */
  flush?(emit: Emit<B>): void;
}

/**
 * Like {@link procOperator} for a processor with any number of outputs per input: one rxjs hop
 * for a whole chain of plain processors, no intermediate arrays on the per-sample path.
 * Errors thrown by the processor end the stream (they are bugs; bad input travels in-band).
 */
export function emitOperator<A, B>(make: () => EmitProc<A, B>): OperatorFunction<A, B> {
  return (source) =>
    new Observable<B>((subscriber) => {
      const proc = make();
      const emit: Emit<B> = (value) => subscriber.next(value);
      return source.subscribe({
        next(x) {
          try {
            proc.next(x, emit);
          } catch (err) {
            subscriber.error(err);
          }
        },
        error(err) {
          subscriber.error(err);
        },
        complete() {
          try {
            proc.flush?.(emit);
            subscriber.complete();
          } catch (err) {
            subscriber.error(err);
          }
        },
      });
    });
}

import { toNobleUuid, type SetupStep } from "@spinewatch/devices";
import type { CharacteristicLike } from "./noble-types.js";
import { delay, withTimeout, type BleScheduler } from "./scheduler.js";

/** Thrown when a link moved on (stopped, lost) while its steps were running: not a failure. */
export class StaleRunError extends Error {
  constructor() {
    super("superseded");
    this.name = "StaleRunError";
  }
}

export interface StepContext {
  scheduler: BleScheduler;
  /** Per GATT operation; a device that never answers must not hang the link. */
  stepTimeoutMs: number;
  /** False once the link has moved on; checked before every step. */
  isCurrent: () => boolean;
  /** Who the steps are for, in error messages (e.g. "sacrum (WitMotion WT901BLE)"). */
  label: string;
}

export type CharacteristicMap = ReadonlyMap<string, CharacteristicLike>;

/** Characteristics by noble-form UUID. */
export function characteristicMap(chars: readonly CharacteristicLike[]): Map<string, CharacteristicLike> {
  return new Map(chars.map((c) => [toNobleUuid(c.uuid), c]));
}

function describeStep(s: SetupStep): string {
  switch (s.kind) {
    case "wait":
      return `wait ${s.ms} ms`;
    case "write":
      return `write ${Buffer.from(s.bytes).toString("hex")} to ${s.char}${s.note ? ` (${s.note})` : ""}`;
    case "read":
      return `read ${s.char}${s.note ? ` (${s.note})` : ""}`;
    default:
      return `${s.kind} ${s.char}`;
  }
}

/**
 * Runs a device module's steps strictly in order (the order is the device's requirement, e.g.
 * Movella DOT: subscribe before the start write, BLE-PROTOCOLS.md §2.3; WitMotion: unlock, wait,
 * write, wait, save, §1.5). Resolves with the values of `read` steps; rejects with a one-line
 * error naming the step, or StaleRunError when the link moved on.
 */
export async function runSteps(steps: readonly SetupStep[], chars: CharacteristicMap, ctx: StepContext): Promise<Uint8Array[]> {
  const reads: Uint8Array[] = [];
  for (let i = 0; i < steps.length; i++) {
    if (!ctx.isCurrent()) throw new StaleRunError();
    const step = steps[i];
    if (step.kind === "wait") {
      await delay(ctx.scheduler, step.ms);
      continue;
    }
    const char = chars.get(toNobleUuid(step.char));
    const what = `${ctx.label}: step ${i + 1} (${describeStep(step)})`;
    if (!char) throw new Error(`${what}: the sensor has no characteristic ${step.char}`);
    const op = (): Promise<unknown> => {
      switch (step.kind) {
        case "subscribe":
          return char.subscribeAsync();
        case "unsubscribe":
          return char.unsubscribeAsync();
        case "write":
          return char.writeAsync(Buffer.from(step.bytes), step.withoutResponse ?? false);
        case "read":
          return char.readAsync().then((v) => void reads.push(new Uint8Array(v)));
      }
    };
    try {
      await withTimeout(ctx.scheduler, op(), ctx.stepTimeoutMs, () => new Error(`timed out after ${ctx.stepTimeoutMs / 1000} s`));
    } catch (err) {
      if (!ctx.isCurrent()) throw new StaleRunError();
      throw new Error(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (!ctx.isCurrent()) throw new StaleRunError();
  return reads;
}

import { concatBytes } from "../common/bytes.js";
import type { Mulberry32 } from "./prng.js";

/** How a notification was damaged. */
export type MutationKind = "none" | "truncate" | "extend" | "bitflip" | "garbage" | "garbage-between" | "wrong-char" | "split" | "merge";

export const MUTATION_KINDS: readonly MutationKind[] = ["none", "truncate", "extend", "bitflip", "garbage", "garbage-between", "wrong-char", "split", "merge"];

/** Keeps 0 .. len-1 bytes. */
export function truncate(b: Uint8Array, rng: Mulberry32): Uint8Array {
  return b.slice(0, rng.int(b.length));
}

/** Appends 1-40 random bytes, at least one of them non-zero (zero padding can be legitimate). */
export function extend(b: Uint8Array, rng: Mulberry32): Uint8Array {
  const tail = rng.bytes(1 + rng.int(40));
  if (tail.every((x) => x === 0)) tail[0] = 1 + rng.int(255);
  return concatBytes(b, tail);
}

/** Flips 1-8 random bits. */
export function bitflip(b: Uint8Array, rng: Mulberry32): Uint8Array {
  const out = b.slice();
  if (out.length === 0) return out;
  const flips = 1 + rng.int(8);
  for (let k = 0; k < flips; k++) out[rng.int(out.length)] ^= 1 << rng.int(8);
  return out;
}

/** 0-100 random bytes. */
export function garbage(rng: Mulberry32): Uint8Array {
  return rng.bytes(rng.int(101));
}

/**
 * Inserts 1-30 random bytes at a frame boundary (`frameBytes` apart; the start counts), the
 * first of them never the 0x55 header byte so the insertion is detectable by construction.
 */
export function garbageBetween(b: Uint8Array, frameBytes: number, rng: Mulberry32): Uint8Array {
  const frames = Math.max(1, Math.floor(b.length / frameBytes));
  const at = Math.min(b.length, rng.int(frames + 1) * frameBytes);
  const g = rng.bytes(1 + rng.int(30));
  if (g[0] === 0x55) g[0] = 0x54;
  const out = new Uint8Array(b.length + g.length);
  out.set(b.subarray(0, at), 0);
  out.set(g, at);
  out.set(b.subarray(at), at + g.length);
  return out;
}

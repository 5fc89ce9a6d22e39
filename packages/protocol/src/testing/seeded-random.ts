/**
 * Seeded random numbers for tests, benchmarks and fixture scripts, so that every run sees the
 * same data. Test support only: production code does not import "@spinewatch/protocol/testing"
 * (the simulator keeps its own SeededRandom, packages/simulator/src/seeded-random.ts, which
 * draws the same mulberry32 uniforms but keeps Box-Muller's second value).
 */

/** mulberry32 (Tommy Ettinger, 2017, public domain): a 32-bit-state PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Standard normal deviate by Box-Muller (Box & Muller 1958, Ann. Math. Statist. 29:610) from a
 * uniform source: two uniforms per deviate, the sine partner discarded. u is clamped above 0 so
 * that the logarithm stays finite.
 */
export function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

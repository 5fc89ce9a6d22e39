/**
 * Seeded, deterministic random numbers for the simulator: mulberry32 (public domain, Tommy
 * Ettinger) for uniforms, Box-Muller for Gaussians. Every random draw of a simulation comes from
 * a stream derived from the session seed and a label, so that e.g. the noise of one sensor does
 * not shift when the scenario draws one more number, and the same seed gives the same session.
 */
export class SeededRandom {
  #state: number;
  #spare: number | null = null;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A stream for one purpose, derived from a session seed and a label (e.g. "noise:sacrum"). */
  static derive(seed: number, label: string): SeededRandom {
    return new SeededRandom(hashSeed(seed, label));
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** +1 or -1 with equal probability. */
  sign(): number {
    return this.uniform() < 0.5 ? -1 : 1;
  }

  /** Standard normal (Box-Muller; the second value of each pair is kept for the next call). */
  gaussian(): number {
    if (this.#spare !== null) {
      const s = this.#spare;
      this.#spare = null;
      return s;
    }
    // 1 - u keeps the logarithm's argument in (0, 1].
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.#spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** A random unit vector, uniform on the sphere. */
  unitVector(): [number, number, number] {
    for (;;) {
      const x = this.gaussian(), y = this.gaussian(), z = this.gaussian();
      const n = Math.sqrt(x * x + y * y + z * z);
      if (n > 1e-9) return [x / n, y / n, z / n];
    }
  }
}

/** FNV-1a over the label, mixed with the seed (murmur3 finaliser), as a 32-bit seed. */
export function hashSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= seed >>> 16;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

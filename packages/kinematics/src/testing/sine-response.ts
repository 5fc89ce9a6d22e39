/**
 * Test support for the filter tests (not exported from the package): a filter's steady-state
 * response to a sine, measured the way a lock-in amplifier does, by projecting the output onto
 * sin and cos over whole cycles.
 */

/**
 * Steady-state gain (dB) of a streaming filter at `freqHz`: it is fed a unit sine, left to settle
 * for 20 s (or 20 periods below 1 Hz), then the amplitude is measured by projection onto sin/cos
 * over 50 whole cycles.
 */
export function gainDb(next: (x: number) => number, freqHz: number, sampleRateHz: number): number {
  const settle = Math.ceil(20 * sampleRateHz / Math.min(freqHz, 1));
  const cycles = 50;
  const n = Math.round((cycles * sampleRateHz) / freqHz);
  let s = 0, c = 0;
  for (let i = 0; i < settle + n; i++) {
    const ph = (2 * Math.PI * freqHz * i) / sampleRateHz;
    const y = next(Math.sin(ph));
    if (i >= settle) {
      s += y * Math.sin(ph);
      c += y * Math.cos(ph);
    }
  }
  return 20 * Math.log10((2 / n) * Math.hypot(s, c));
}


/** The supported rate nearest to the requested one (ties go to the higher rate). */
export function nearestRateHz(supported: readonly number[], requestedHz: number): number {
  let best = supported[0];
  for (const r of supported) {
    if (Math.abs(r - requestedHz) < Math.abs(best - requestedHz) ||
        (Math.abs(r - requestedHz) === Math.abs(best - requestedHz) && r > best)) best = r;
  }
  return best;
}

/** Reads an option as a finite number, or the fallback; a clear error names a wrong type. */
export function numberOption(options: Record<string, unknown>, key: string, fallback: number): number {
  const v = options[key];
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new Error(`device option ${key}: expected a number, got ${JSON.stringify(v)}`);
  }
  return v;
}

import type { RangeAxis } from "@spinewatch/protocol";

/** Degrees with one decimal, or an em dash when unknown. */
export const fmtDeg = (v: number | undefined | null, digits = 1): string =>
  v === undefined || v === null || !Number.isFinite(v) ? "—" : `${v.toFixed(digits)}°`;

/** Seconds with one decimal from ms. */
export const fmtS = (ms: number | undefined | null, digits = 1): string =>
  ms === undefined || ms === null || !Number.isFinite(ms) ? "—" : `${(ms / 1000).toFixed(digits)} s`;

/** m:ss from ms. */
export function fmtClock(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "0:00";
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export const AXIS_LABELS: Record<RangeAxis, string> = {
  flexion: "Flexion",
  extension: "Extension",
  lateralBendLeft: "Side bend left",
  lateralBendRight: "Side bend right",
  rotationLeft: "Rotation left",
  rotationRight: "Rotation right",
};

export const fmtBytes = (n: number): string =>
  n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** How far a gyroscope's scale is from right (calibration quality gyroScale: 1.02 → "+2.0 %"). */
export const fmtScaleError = (scale: number): string => `${scale >= 1 ? "+" : "−"}${Math.abs((scale - 1) * 100).toFixed(1)} %`;

/** Pelvis obliquity to 0.1° (a bird dog's reach is 1-3°), rounded first so that -0.04 shows as 0.0°, not -0.0°. */
export const fmtObliquityDeg = (v: number): string => (Number.isFinite(v) ? `${(Math.round(v * 10) / 10 || 0).toFixed(1)}°` : "—");

/**
 * Which side of the pelvis is up, from AngleFrame.pelvisObliquityDeg's sign (protocol
 * frames.ts: the sacrum's right axis above the horizontal is positive), at 0.1° resolution.
 */
export function obliquitySide(v: number): string {
  if (!Number.isFinite(v)) return "";
  const r = Math.round(v * 10);
  return r > 0 ? "right side up" : r < 0 ? "left side up" : "level";
}

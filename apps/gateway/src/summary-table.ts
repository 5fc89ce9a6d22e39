import type { SessionSummary } from "@spinewatch/protocol";

/** The readable form of a session summary (`spinewatch analyze` without --json). */
export function formatSummaryTable(s: SessionSummary, file: string): string {
  const out: string[] = [];
  const cal = s.calibration;
  out.push(`${file}: ${fmtDuration(s.durationMs)}${s.exercise ? `, ${s.exercise}` : ""}, ${s.frames ?? "?"} frames`);
  const calText =
    cal.source === "none"
      ? "none (no calibration event and no quiet upright stretch: angles are not calibrated)"
      : `${cal.source === "auto" ? "automatic, on the first quiet upright stretch" : `from the ${cal.source}`}` +
        (cal.tMs !== undefined ? ` at ${fmtDuration(cal.tMs)}` : "") +
        (cal.quality ? `; stillness ${num(cal.quality.stillnessDps, 2)} °/s` : "") +
        (cal.quality?.bendPlanarity !== undefined ? `, bend planarity ${num(cal.quality.bendPlanarity, 2)}` : "") +
        (cal.quality?.gyroScale ? `; gyro scale ${gyroScaleText(cal.quality.gyroScale)}${cal.quality.gyroScaleCorrected ? " (corrected)" : ""}` : "") +
        Object.entries(cal.quality?.gyroScaleNotMeasured ?? {})
          .map(([id, reason]) => `; ${id} gyro scale not measured (${reason})`)
          .join("") +
        (cal.refused?.length ? `; refused: ${cal.refused.join("; ")}` : "");
  out.push(`calibration: ${calText}`);
  out.push("");

  out.push(`reps: ${s.reps.length}` + (s.reps.length ? `, ${num(s.tempo.repsPerMin, 1)} per min, duration CV ${num(s.tempo.repDurationCv, 2)}` : ""));
  if (s.reps.length) {
    out.push(
      table(
        ["#", "start", "down s", "up s", "hinge°", "flex°", "lockout ext°", "lat°", "L/P"],
        s.reps.map((r) => [
          r.bridgedGapMs ? `${r.index}*` : String(r.index),
          fmtDuration(r.startMs),
          num(r.downMs / 1000, 2),
          num(r.upMs / 1000, 2),
          num(r.peakPelvisTiltDeg, 1),
          num(r.peakFlexionDeg, 1),
          num(r.lockoutExtensionDeg, 1),
          num(r.peakLateralBendDeg, 1),
          num(r.lumbopelvicRatio, 2),
        ]),
      ),
    );
    const bridged = s.reps.filter((r) => r.bridgedGapMs);
    if (bridged.length) {
      const ms = bridged.map((r) => `${r.index}: ${num(r.bridgedGapMs! / 1000, 2)} s`).join(", ");
      out.push(`  * frames missing inside the rep (a sensor loss, bridged: ${ms}); its peaks are those of the frames seen`);
    }
  }
  out.push("");
  out.push(`holds: ${s.holds.length}`);
  if (s.holds.length) {
    out.push(
      table(
        ["start", "s", "mean flex°", "drift°", "sway°"],
        s.holds.map((h) => [fmtDuration(h.startMs), num(h.durationMs / 1000, 1), num(h.meanFlexionDeg, 1), num(h.driftDeg, 1), num(h.swayDeg, 2)]),
      ),
    );
  }
  out.push("");
  out.push(`warnings: ${s.warnings.length}`);
  if (s.warnings.length) {
    out.push(
      table(
        ["axis", "start", "s", "peak°", "limit°", "rep"],
        s.warnings.map((w) => [w.axis, fmtDuration(w.startMs), num((w.endMs - w.startMs) / 1000, 2), num(w.peakDeg, 1), num(w.limitDeg, 1), w.rep === null ? "-" : String(w.rep)]),
      ),
    );
  }
  out.push("");
  out.push("sensors:");
  out.push(
    table(
      ["id", "samples", "rate Hz", "lost", "gaps"],
      s.sensors.map((x) => [x.id, String(x.samples), num(x.meanRateHz, 1), String(x.lostPackets), String(x.gaps)]),
    ),
  );
  if (s.problems.length) {
    out.push("");
    out.push(`problems: ${s.problems.length}`);
    for (const p of s.problems) out.push(`  ${fmtDuration(p.tMs)} ${p.code}${p.count && p.count > 1 ? ` ×${p.count}` : ""}: ${p.message}`);
  }
  return out.join("\n") + "\n";
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => "  " + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(head), ...rows.map(line)].join("\n");
}

const num = (v: number | undefined, digits: number): string => (v === undefined || !Number.isFinite(v) ? "-" : v.toFixed(digits));

/** m:ss.s (or h:mm:ss.s) of session time. */
export function fmtDuration(ms: number): string {
  const totalS = Math.max(0, ms) / 1000;
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = (totalS % 60).toFixed(1).padStart(4, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** `sacrum +0.6 %, thoracic −0.2 %`: how far each gyroscope's scale is from right. */
function gyroScaleText(scales: Record<string, number>): string {
  return Object.entries(scales)
    .map(([id, k]) => `${id} ${k >= 1 ? "+" : "−"}${Math.abs((k - 1) * 100).toFixed(1)} %`)
    .join(", ");
}

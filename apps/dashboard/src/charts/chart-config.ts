import type uPlot from "uplot";
import type { RangeLimits } from "@spinewatch/protocol";
import { RING_CHANNELS, type RingChannel } from "../state/angle-ring.js";
import { CHANNEL_COLORS } from "../elements/panel-styles.js";

export type ChartKind = "flexion" | "frontal" | "hinge" | "obliquity";

/** How the y axis fits the data: at least `minDeg` (when there is no band), padded, rounded out to `stepDeg`. */
export interface YScale {
  minDeg: [number, number];
  padDeg: number;
  stepDeg: number;
}

/** The lumbar charts: ranges of tens of degrees, 5° steps. */
const LUMBAR_SCALE: YScale = { minDeg: [-10, 10], padDeg: 5, stepDeg: 5 };

export interface ChartSpec {
  title: string;
  channels: { channel: RingChannel; label: string }[];
  /** The tolerated band of the first channel, from the limits: [below, above] in degrees. */
  band?: (l: RangeLimits) => [number, number];
  /** Extra limit lines (dashed) for the second channel. */
  lines?: (l: RangeLimits) => number[];
  /** Default LUMBAR_SCALE. */
  scale?: YScale;
}

export const CHART_SPECS: Record<ChartKind, ChartSpec> = {
  flexion: {
    title: "Lumbar flexion",
    channels: [{ channel: "flexionDeg", label: "Flexion (+) / extension (−)" }],
    band: (l) => [-l.extensionDeg, l.flexionDeg],
  },
  // Pelvis tilt has no limit of its own: it gets its own chart so that no shading suggests one.
  hinge: {
    title: "Hip hinge (pelvis tilt)",
    channels: [{ channel: "pelvisTiltDeg", label: "Pelvis tilt" }],
  },
  frontal: {
    title: "Side bend and rotation",
    channels: [
      { channel: "lateralBendDeg", label: "Side bend" },
      { channel: "axialRotationDeg", label: "Rotation" },
    ],
    band: (l) => [-(l.lateralBendLeftDeg ?? l.lateralBendDeg), l.lateralBendRightDeg ?? l.lateralBendDeg],
    lines: (l) => [-(l.rotationLeftDeg ?? l.axialRotationDeg), l.rotationRightDeg ?? l.axialRotationDeg],
  },
  // Bird dog only (util/exercises.ts): the signal its reps and holds are counted on
  // (packages/analysis profiles.ts, |pelvis obliquity| from the settled all-fours neutral). No
  // limit, so no band. A reach rolls the pelvis 1-3° (simulator's quadruped scenario) and a rep
  // starts 0.6° from neutral: on the lumbar charts' ±15° scale a reach would be a ripple, so the
  // axis spans ±3° at least, padded by 0.5°, in 1° steps.
  obliquity: {
    title: "Pelvis obliquity (hip drop)",
    channels: [{ channel: "pelvisObliquityDeg", label: "Pelvis obliquity: right side up (+) / left side up (−)" }],
    scale: { minDeg: [-3, 3], padDeg: 0.5, stepDeg: 1 },
  },
};

export const channelIndex = (c: RingChannel): number => RING_CHANNELS.indexOf(c);

/**
 * uPlot options for one chart: a fixed rolling x window in seconds before now, the area beyond
 * the tolerated band shaded red (drawn under the series in a drawClear hook), limit lines dashed.
 * `getLimits` is read at draw time, so new limits need only a redraw, not a new chart.
 */
export function chartOptions(kind: ChartKind, windowS: number, size: { width: number; height: number }, getLimits: () => RangeLimits | null): uPlot.Options {
  const spec = CHART_SPECS[kind];
  const shade = (u: uPlot): void => {
    const lim = getLimits();
    if (!lim || !spec.band) return;
    const [lo, hi] = spec.band(lim);
    const { ctx } = u;
    const { left, top, width, height } = u.bbox;
    const yHi = u.valToPos(hi, "y", true);
    const yLo = u.valToPos(lo, "y", true);
    ctx.save();
    ctx.fillStyle = "rgba(255, 92, 92, 0.16)";
    if (yHi > top) ctx.fillRect(left, top, width, Math.min(yHi, top + height) - top);
    if (yLo < top + height) ctx.fillRect(left, Math.max(yLo, top), width, top + height - Math.max(yLo, top));
    ctx.strokeStyle = "rgba(255, 92, 92, 0.8)";
    ctx.lineWidth = 1.5 * devicePixelRatio;
    for (const y of [yHi, yLo]) {
      if (y < top || y > top + height) continue;
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
    }
    if (spec.lines) {
      ctx.setLineDash([6 * devicePixelRatio, 6 * devicePixelRatio]);
      ctx.strokeStyle = "rgba(255, 209, 102, 0.7)";
      for (const v of spec.lines(lim)) {
        const y = u.valToPos(v, "y", true);
        if (y < top || y > top + height) continue;
        ctx.beginPath();
        ctx.moveTo(left, y);
        ctx.lineTo(left + width, y);
        ctx.stroke();
      }
    }
    ctx.restore();
  };
  const axisStroke = "#9fb0c0";
  const grid = { stroke: "#26313b", width: 1 };
  return {
    width: size.width,
    height: size.height,
    legend: { show: true, live: false },
    cursor: { show: false },
    scales: {
      x: { time: false, range: [-windowS, 0] },
      y: {
        range: (_u, min, max) => {
          const lim = getLimits();
          const { minDeg, padDeg, stepDeg } = spec.scale ?? LUMBAR_SCALE;
          const [lo, hi] = lim && spec.band ? spec.band(lim) : minDeg;
          const a = Math.min(Number.isFinite(min) ? min : 0, lo) - padDeg;
          const b = Math.max(Number.isFinite(max) ? max : 0, hi) + padDeg;
          return [Math.floor(a / stepDeg) * stepDeg, Math.ceil(b / stepDeg) * stepDeg];
        },
      },
    },
    axes: [
      { stroke: axisStroke, grid, ticks: grid, values: (_u, vals) => vals.map((v) => `${v}s`), font: "13px system-ui" },
      { stroke: axisStroke, grid, ticks: grid, values: (_u, vals) => vals.map((v) => `${v}°`), font: "13px system-ui", size: 50 },
    ],
    series: [
      {},
      ...spec.channels.map((c) => ({ label: c.label, stroke: CHANNEL_COLORS[c.channel], width: 2.5, points: { show: false } })),
    ],
    hooks: { drawClear: [shade] },
  };
}

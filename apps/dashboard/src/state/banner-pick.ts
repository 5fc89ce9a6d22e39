import type { RangeAxis, WarningSummary } from "@spinewatch/protocol";
import type { ActiveRange } from "./session-state.js";

/**
 * How long (wall time) the banner keeps a warning up after it ended. A swing's rounding lasts
 * 240-410 ms beyond the limit (fixtures/sim kettlebell-swing-rounding), far too short to read
 * from across the room, and at a busy moment the start and the end can reach the page within one
 * painted frame. 2 s is about one swing cycle (1.25-1.9 s, LUMBAR-FACTS.md, swing tempo), so the
 * coach still sees it during the next swing.
 */
export const ENDED_WARNING_HOLD_MS = 2000;

/** A warning that ended, as the banner keeps it: its last live event, its summary, when it ended. */
export interface EndedWarning {
  range: ActiveRange;
  warning: WarningSummary;
  /** performance.now() when its range-clear arrived. */
  endedAtMs: number;
}

export interface BannerPick {
  range: ActiveRange;
  /** The warning is over; shown for ENDED_WARNING_HOLD_MS after it ended. */
  ended: boolean;
}

/**
 * What the banner shows: an active warning first (the largest excess), then a warning that ended
 * less than ENDED_WARNING_HOLD_MS ago, then an active caution. A caution is superseded by the
 * warning that follows it, so it needs no hold.
 */
export function pickBannerRange(active: ReadonlyMap<RangeAxis, ActiveRange>, ended: EndedWarning | null, nowMs: number): BannerPick | null {
  let warning: ActiveRange | null = null;
  let caution: ActiveRange | null = null;
  for (const a of active.values()) {
    if (a.level === "warning") {
      if (!warning || excess(a) > excess(warning)) warning = a;
    } else if (!caution || excess(a) > excess(caution)) caution = a;
  }
  if (warning) return { range: warning, ended: false };
  if (ended && nowMs - ended.endedAtMs < ENDED_WARNING_HOLD_MS) return { range: ended.range, ended: true };
  return caution ? { range: caution, ended: false } : null;
}

const excess = (a: ActiveRange): number => a.valueDeg / a.limitDeg;

import { RANGE_LIMIT_FIELDS } from "@spinewatch/protocol";
import type { AngleFrame, RangeAxis, RangeLimits } from "@spinewatch/protocol";

// The expansion to six directions is shared with the simulator's truth: it lives in protocol.
export { toAxisLimits, type AxisLimits } from "@spinewatch/protocol";

/** How far a frame goes in one direction, degrees (negative: the other way). */
export function axisValueDeg(frame: AngleFrame, axis: RangeAxis): number {
  switch (axis) {
    case "flexion":
      return frame.flexionDeg;
    case "extension":
      return -frame.flexionDeg;
    case "lateralBendRight":
      return frame.lateralBendDeg;
    case "lateralBendLeft":
      return -frame.lateralBendDeg;
    case "rotationRight":
      return frame.axialRotationDeg;
    case "rotationLeft":
      return -frame.axialRotationDeg;
  }
}

const LIMIT_FIELDS = RANGE_LIMIT_FIELDS;

/**
 * Checks a (partial) set of limits from a header, a command or an option: every given field
 * must be a positive finite number of degrees. Unknown fields are an error unless
 * `ignoreUnknown` (recordings: readers skip unknown fields, CONTRACTS.md §1). Throws a
 * one-line error naming the field (`where` says whose limits they were).
 */
export function validateLimits(limits: unknown, where = "limits", ignoreUnknown = false): Partial<RangeLimits> {
  if (typeof limits !== "object" || limits === null || Array.isArray(limits)) {
    throw new Error(`${where}: expected an object of limits in degrees, got ${JSON.stringify(limits)}`);
  }
  const out: Partial<RangeLimits> = {};
  for (const [key, value] of Object.entries(limits)) {
    if (!(LIMIT_FIELDS as readonly string[]).includes(key)) {
      if (ignoreUnknown) continue;
      throw new Error(`${where}: unknown field "${key}" (valid: ${LIMIT_FIELDS.join(", ")})`);
    }
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new Error(`${where}: ${key} must be a positive number of degrees, got ${JSON.stringify(value)}`);
    }
    out[key as keyof RangeLimits] = value;
  }
  return out;
}

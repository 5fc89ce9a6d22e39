import {
  DEVICE_KINDS,
  RECORDING_FORMAT,
  MAX_TRANSPORT_LATENCY_MS,
  RECORDING_VERSION,
  SIGNED_AXES,
  type HeaderLine,
} from "@spinewatch/protocol";
import { RecordingError, describeValue, type RecordingFieldIssue } from "./recording-error.js";

const ROLES = ["sacrum", "thoracolumbar"] as const;
const LIMIT_FIELDS = ["flexionDeg", "extensionDeg", "lateralBendDeg", "axialRotationDeg"] as const;
const OPTIONAL_LIMIT_FIELDS = [
  "lateralBendLeftDeg",
  "lateralBendRightDeg",
  "rotationLeftDeg",
  "rotationRightDeg",
] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * Checks a `limits` object (CONTRACTS.md §1 header and `limits` events): the four required
 * magnitudes are non-negative numbers, the side-specific ones optional. Pushes issues under `path`.
 */
export function checkLimits(value: unknown, path: string, issues: RecordingFieldIssue[]): void {
  if (!isObject(value)) {
    issues.push({ field: path, reason: `expected an object, got ${describeValue(value)}` });
    return;
  }
  for (const key of LIMIT_FIELDS) {
    const v = value[key];
    if (!isFiniteNumber(v) || v < 0) {
      issues.push({ field: `${path}.${key}`, reason: `expected a number >= 0, got ${describeValue(v)}` });
    }
  }
  for (const key of OPTIONAL_LIMIT_FIELDS) {
    const v = value[key];
    if (v !== undefined && (!isFiniteNumber(v) || v < 0)) {
      issues.push({ field: `${path}.${key}`, reason: `expected a number >= 0, got ${describeValue(v)}` });
    }
  }
}

function oneOf(values: readonly string[]): string {
  return values.join(" ");
}

function checkSensor(sensor: unknown, path: string, issues: RecordingFieldIssue[]): void {
  if (!isObject(sensor)) {
    issues.push({ field: path, reason: `expected an object, got ${describeValue(sensor)}` });
    return;
  }
  if (typeof sensor.id !== "string" || sensor.id === "") {
    issues.push({ field: `${path}.id`, reason: `expected a non-empty string, got ${describeValue(sensor.id)}` });
  }
  if (!(ROLES as readonly unknown[]).includes(sensor.role)) {
    issues.push({ field: `${path}.role`, reason: `expected one of ${oneOf(ROLES)}, got ${describeValue(sensor.role)}` });
  }
  if (!(DEVICE_KINDS as readonly unknown[]).includes(sensor.device)) {
    issues.push({
      field: `${path}.device`,
      reason: `expected one of ${oneOf(DEVICE_KINDS)}, got ${describeValue(sensor.device)}`,
    });
  }
  if (!isFiniteNumber(sensor.rateHz) || sensor.rateHz <= 0) {
    issues.push({ field: `${path}.rateHz`, reason: `expected a number > 0, got ${describeValue(sensor.rateHz)}` });
  }
  const mount = sensor.mount;
  if (!isObject(mount)) {
    issues.push({ field: `${path}.mount`, reason: `expected {"up":..,"out":..}, got ${describeValue(mount)}` });
  } else {
    let axesOk = true;
    for (const key of ["up", "out"] as const) {
      if (!(SIGNED_AXES as readonly unknown[]).includes(mount[key])) {
        axesOk = false;
        issues.push({
          field: `${path}.mount.${key}`,
          reason: `expected one of ${oneOf(SIGNED_AXES)}, got ${describeValue(mount[key])}`,
        });
      }
    }
    // `up` and `out` must be different sensor axes, otherwise the mount defines no frame.
    if (axesOk && String(mount.up).slice(1) === String(mount.out).slice(1)) {
      issues.push({
        field: `${path}.mount.out`,
        reason: `must be a different axis from mount.up ${describeValue(mount.up)}, got ${describeValue(mount.out)}`,
      });
    }
  }
  if (sensor.deviceOptions !== undefined && !isObject(sensor.deviceOptions)) {
    issues.push({ field: `${path}.deviceOptions`, reason: `expected an object, got ${describeValue(sensor.deviceOptions)}` });
  } else if (sensor.deviceOptions !== undefined && sensor.deviceOptions.transportLatencyMs !== undefined) {
    // The sensor's measured latency, which the pipeline's clock subtracts (pipeline transport-latency.ts).
    const latencyMs = sensor.deviceOptions.transportLatencyMs;
    if (!isFiniteNumber(latencyMs) || latencyMs < 0 || latencyMs > MAX_TRANSPORT_LATENCY_MS) {
      issues.push({ field: `${path}.deviceOptions.transportLatencyMs`, reason: `expected a number of ms in 0-${MAX_TRANSPORT_LATENCY_MS}, got ${describeValue(latencyMs)}` });
    }
  }
  if (sensor.name !== undefined && typeof sensor.name !== "string") {
    issues.push({ field: `${path}.name`, reason: `expected a string, got ${describeValue(sensor.name)}` });
  }
}

/** Every issue of a parsed header object; empty when it is a valid v1 header. */
export function headerIssues(value: unknown): RecordingFieldIssue[] {
  const issues: RecordingFieldIssue[] = [];
  if (!isObject(value)) {
    issues.push({ field: "header", reason: `expected a JSON object, got ${describeValue(value)}` });
    return issues;
  }
  if (value.type !== "header") {
    issues.push({ field: "header.type", reason: `expected "header" on line 1, got ${describeValue(value.type)}` });
    return issues;
  }
  if (value.format !== RECORDING_FORMAT) {
    issues.push({ field: "header.format", reason: `expected "${RECORDING_FORMAT}", got ${describeValue(value.format)}` });
  }
  if (value.version !== RECORDING_VERSION) {
    issues.push({
      field: "header.version",
      reason: `expected ${RECORDING_VERSION} (this reader knows version ${RECORDING_VERSION} only), got ${describeValue(value.version)}`,
    });
  }
  if (typeof value.createdAt !== "string") {
    issues.push({ field: "header.createdAt", reason: `expected an ISO 8601 string, got ${describeValue(value.createdAt)}` });
  }
  const sensors = value.sensors;
  if (!Array.isArray(sensors)) {
    issues.push({ field: "header.sensors", reason: `expected an array of 2 sensors, got ${describeValue(sensors)}` });
  } else {
    sensors.forEach((s, i) => checkSensor(s, `header.sensors[${i}]`, issues));
    for (const role of ROLES) {
      const n = sensors.filter((s) => isObject(s) && s.role === role).length;
      if (n !== 1) {
        issues.push({ field: "header.sensors", reason: `expected exactly one sensor with role "${role}", got ${n}` });
      }
    }
    const ids = sensors.filter(isObject).map((s) => s.id);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup !== undefined) {
      issues.push({ field: "header.sensors", reason: `sensor id ${describeValue(dup)} appears twice` });
    }
  }
  if (value.exercise !== undefined && typeof value.exercise !== "string") {
    issues.push({ field: "header.exercise", reason: `expected a string, got ${describeValue(value.exercise)}` });
  }
  if (value.limits !== undefined) checkLimits(value.limits, "header.limits", issues);
  return issues;
}

/** A parsed, valid header, or a `RecordingError` naming the first bad field (line 1 of `file`). */
export function validateHeader(value: unknown, file: string): HeaderLine {
  const issues = headerIssues(value);
  if (issues.length > 0) throw new RecordingError("bad-header", file, 1, issues);
  return value as HeaderLine;
}

/** Parses and validates the text of line 1. */
export function parseHeaderText(text: string, file: string): HeaderLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // A gzip file without the `.gz` name shows up here as binary noise.
    const hint = text.charCodeAt(0) === 0x1f ? " (the file looks gzip-compressed: name it *.gz)" : "";
    const reason = err instanceof Error ? err.message : String(err);
    throw new RecordingError("bad-header", file, 1, [{ field: "header", reason: `not valid JSON: ${reason}${hint}` }]);
  }
  return validateHeader(value, file);
}

import { BleError } from "./ble-error.js";
import type { BleFoundSensor } from "./found-sensors.js";

/** The two roles of a session by their CLI names (`--sacrum`, `--thoracic`). */
export type RoleName = "sacrum" | "thoracic";
export const ROLE_NAMES: readonly RoleName[] = ["sacrum", "thoracic"];

/** For each role, a sensor's name or address as the operator typed it. */
export type RoleSpecs = Record<RoleName, string>;

/** "C8:A1:…", "c8-a1-…" and "c8a1…" are the same address. */
export function normaliseAddress(s: string): string {
  return s.trim().toLowerCase().replace(/[:-]/g, "");
}

export function matchesAddress(f: BleFoundSensor, spec: string): boolean {
  const a = normaliseAddress(spec);
  return a.length > 0 && (normaliseAddress(f.address) === a || normaliseAddress(f.id) === a);
}

/** Case-insensitive, whole name. */
export function matchesName(f: BleFoundSensor, spec: string): boolean {
  return f.name !== "" && f.name.toLowerCase() === spec.trim().toLowerCase();
}

export interface RoleResolution {
  sensors: Partial<Record<RoleName, BleFoundSensor>>;
  /** Roles matched by name rather than address (worth a moment's more scanning for duplicates). */
  byName: RoleName[];
}

const label = (f: BleFoundSensor): string => `${f.name || "(no name)"} ${f.address}`;

/**
 * Which found sensor each role means: by address first, else by name (case-insensitive).
 * A name that fits several sensors, or one sensor claimed by both roles, is a BleError
 * ("roles") naming the candidates, since guessing would swap sacrum and thorax silently.
 */
export function resolveRoles(found: readonly BleFoundSensor[], specs: RoleSpecs): RoleResolution {
  const out: RoleResolution = { sensors: {}, byName: [] };
  for (const role of ROLE_NAMES) {
    const spec = specs[role];
    const byAddress = found.filter((f) => matchesAddress(f, spec));
    const candidates = byAddress.length > 0 ? byAddress : found.filter((f) => matchesName(f, spec));
    if (candidates.length > 1) {
      throw new BleError(
        "roles",
        `--${role} '${spec}' matches ${candidates.length} sensors (${candidates.map(label).join(", ")}): give the address instead (spinewatch scan lists them)`,
      );
    }
    if (candidates.length === 1) {
      out.sensors[role] = candidates[0];
      if (byAddress.length === 0) out.byName.push(role);
    }
  }
  const { sacrum, thoracic } = out.sensors;
  if (sacrum && thoracic && sacrum.address === thoracic.address) {
    throw new BleError("roles", `--sacrum '${specs.sacrum}' and --thoracic '${specs.thoracic}' are the same sensor (${label(sacrum)}): each role needs its own`);
  }
  return out;
}

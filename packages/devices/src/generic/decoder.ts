import type { DeviceSample } from "@spinewatch/protocol";
import { viewOf } from "../common/bytes.js";
import { allFinite, TalliedDecoder } from "../common/decoder-tally.js";
import { toNobleUuid } from "../common/uuid.js";
import type { DecodedItem } from "../types.js";
import { fieldTypeBytes, GENERIC_TARGETS, type GenericCharacteristic, type GenericDeviceConfig } from "./config.js";
import { readField } from "./field-codec.js";

/** A configured quaternion must be unit within this (generous: home-made firmware may send i16 quaternions). */
const QUAT_NORM_TOLERANCE = 0.05;

/**
 * Configured layout -> samples: one sample per notification of a configured characteristic,
 * which must have exactly the configured length. Non-finite values and non-unit quaternions drop
 * the sample with a counted problem. Config must come through normaliseGenericConfig.
 */
export class GenericLayoutDecoder extends TalliedDecoder {
  readonly #byChar: Map<string, GenericCharacteristic>;

  constructor(config: GenericDeviceConfig) {
    super();
    this.#byChar = new Map(config.characteristics.map((c) => [c.uuid, c]));
  }

  next(char: string, bytes: Uint8Array): DecodedItem[] {
    const out: DecodedItem[] = [];
    const t = this.tally;
    t.notification(bytes.length);
    const c = this.#byChar.get(char) ?? this.#byChar.get(toNobleUuid(char));
    if (!c) {
      t.problem(out, "generic.unexpected-char", `notification on characteristic ${char}, which the generic config does not describe`, bytes.length);
      return out;
    }
    if (bytes.length !== c.length) {
      t.problem(out, "generic.bad-length", `characteristic ${c.uuid}: ${bytes.length} bytes, the config says ${c.length}`, bytes.length);
      return out;
    }
    const v = viewOf(bytes);
    const sample: Record<string, number | number[]> = {};
    for (const f of c.fields) {
      const n = GENERIC_TARGETS[f.target];
      const size = fieldTypeBytes(f.type);
      const scale = f.scale ?? 1;
      const values: number[] = [];
      for (let k = 0; k < n; k++) values.push(readField(v, f.offset + k * size, f.type) * scale);
      if (!allFinite(values)) {
        t.problem(out, "generic.not-finite", `characteristic ${c.uuid}: ${f.target} is not finite; sample dropped`, bytes.length);
        return out;
      }
      if (f.target === "quatWxyz") {
        const norm = Math.hypot(values[0], values[1], values[2], values[3]);
        if (Math.abs(norm - 1) > QUAT_NORM_TOLERANCE) {
          t.problem(out, "generic.bad-quaternion", `characteristic ${c.uuid}: quaternion norm ${norm.toPrecision(4)} is not 1; sample dropped`, bytes.length);
          return out;
        }
        for (let k = 0; k < 4; k++) values[k] /= norm;
      }
      sample[f.target] = n === 1 ? values[0] : values;
    }
    t.decoded(bytes.length);
    t.sample(out, sample as DeviceSample);
    return out;
  }
}

/**
 * The registry's plain `generic` kind: samples arrive as `sample` lines (CONTRACTS.md §1), so a
 * packet means a recording or source that is wrong for this sensor: a clear, counted problem.
 */
export class GenericSamplesOnlyDecoder extends TalliedDecoder {
  next(char: string, bytes: Uint8Array): DecodedItem[] {
    const out: DecodedItem[] = [];
    this.tally.notification(bytes.length);
    this.tally.problem(out, "generic.no-config",
      `packet on ${char} for a "generic" sensor without a layout config: generic sensors send sample lines, or need deviceOptions.generic describing their bytes`,
      bytes.length);
    return out;
  }
}

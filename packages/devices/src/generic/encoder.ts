import type { DeviceSample } from "@spinewatch/protocol";
import { viewOf } from "../common/bytes.js";
import type { EncodedNotification, SampleEncoder } from "../types.js";
import { fieldTypeBytes, GENERIC_TARGETS, type GenericDeviceConfig } from "./config.js";
import { writeField } from "./field-codec.js";

/**
 * Sample -> one notification per configured characteristic whose fields the sample has (a
 * characteristic needing a field the sample lacks is skipped entirely, never half-filled).
 * Quantisation: half a raw LSB × scale for integer types; f32 rounding for f32.
 */
export class GenericLayoutEncoder implements SampleEncoder {
  readonly #config: GenericDeviceConfig;

  constructor(config: GenericDeviceConfig) {
    this.#config = config;
  }

  push(sample: DeviceSample): EncodedNotification[] {
    const out: EncodedNotification[] = [];
    for (const c of this.#config.characteristics) {
      if (!c.fields.every((f) => sample[f.target] !== undefined)) continue;
      const bytes = new Uint8Array(c.length!);
      const v = viewOf(bytes);
      for (const f of c.fields) {
        const value = sample[f.target]!;
        const values = typeof value === "number" ? [value] : value;
        const size = fieldTypeBytes(f.type);
        for (let k = 0; k < GENERIC_TARGETS[f.target]; k++) writeField(v, f.offset + k * size, f.type, values[k] / (f.scale ?? 1));
      }
      out.push({ char: c.uuid, bytes });
    }
    return out;
  }

  flush(): EncodedNotification[] {
    return [];
  }
}

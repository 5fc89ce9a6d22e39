import { toNobleUuid } from "../common/uuid.js";

/** Field encodings a home-made sensor is likely to use (ESP32/nRF52 are little-endian; BLE-PROTOCOLS.md §5). */
export const GENERIC_FIELD_TYPES = ["i8", "u8", "i16le", "u16le", "i16be", "u16be", "i32le", "u32le", "i32be", "u32be", "f32le", "f32be", "f64le"] as const;
export type GenericFieldType = (typeof GENERIC_FIELD_TYPES)[number];

/** What a field fills in the DeviceSample; vectors take 3 consecutive values, quatWxyz 4 (w first). */
export const GENERIC_TARGETS = { accMps2: 3, gyrDps: 3, magUt: 3, eulerDeg: 3, quatWxyz: 4, sensorTimeUs: 1 } as const;
export type GenericTarget = keyof typeof GENERIC_TARGETS;

export interface GenericField {
  target: GenericTarget;
  /** Byte offset of the first component; the others follow back to back. */
  offset: number;
  type: GenericFieldType;
  /** Multiplier from raw value to the target's unit (e.g. 9.80665/4096 for ±8 g i16 counts; 57.2958 for rad/s -> °/s). Default 1. */
  scale?: number;
}

export interface GenericCharacteristic {
  /** Characteristic UUID in any spelling (canonical with dashes, or noble form). */
  uuid: string;
  fields: GenericField[];
  /** Exact notification length; default: the end of the last field. */
  length?: number;
}

export interface GenericDeviceConfig {
  displayName?: string;
  /** Advertised name prefix that identifies the device in a scan; without it the device is never auto-matched. */
  namePrefix?: string;
  serviceUuid: string;
  characteristics: GenericCharacteristic[];
  /** Writes after subscribing (e.g. "start streaming" commands), hex bytes. */
  setupWrites?: { char: string; hex: string; withoutResponse?: boolean }[];
  /** Nominal output rate, Hz. */
  rateHz?: number;
}

export function fieldTypeBytes(type: GenericFieldType): number {
  if (type === "i8" || type === "u8") return 1;
  if (type.startsWith("i16") || type.startsWith("u16")) return 2;
  if (type === "f64le") return 8;
  return 4;
}

/**
 * Checks a configuration and returns it with UUIDs in noble form and lengths filled in.
 * Throws one line naming the bad field (configurations are user input).
 */
export function normaliseGenericConfig(config: GenericDeviceConfig): GenericDeviceConfig {
  const where = "generic device config";
  if (typeof config !== "object" || config === null) throw new Error(`${where}: expected an object`);
  if (typeof config.serviceUuid !== "string" || !/^[0-9a-f]{4,32}$/.test(toNobleUuid(config.serviceUuid))) {
    throw new Error(`${where}: serviceUuid ${JSON.stringify(config.serviceUuid)} is not a UUID`);
  }
  if (!Array.isArray(config.characteristics) || config.characteristics.length === 0) {
    throw new Error(`${where}: characteristics must be a non-empty list`);
  }
  const characteristics = config.characteristics.map((c, ci) => {
    const at = `${where}: characteristics[${ci}]`;
    if (typeof c.uuid !== "string" || !/^[0-9a-f]{4,32}$/.test(toNobleUuid(c.uuid))) throw new Error(`${at}.uuid ${JSON.stringify(c.uuid)} is not a UUID`);
    if (!Array.isArray(c.fields) || c.fields.length === 0) throw new Error(`${at}.fields must be a non-empty list`);
    let end = 0;
    const seen = new Set<string>();
    for (const [fi, f] of c.fields.entries()) {
      const fat = `${at}.fields[${fi}]`;
      if (!(f.target in GENERIC_TARGETS)) throw new Error(`${fat}.target ${JSON.stringify(f.target)} is not one of ${Object.keys(GENERIC_TARGETS).join(", ")}`);
      if (seen.has(f.target)) throw new Error(`${fat}.target ${f.target} appears twice in one characteristic`);
      seen.add(f.target);
      if (!GENERIC_FIELD_TYPES.includes(f.type)) throw new Error(`${fat}.type ${JSON.stringify(f.type)} is not one of ${GENERIC_FIELD_TYPES.join(", ")}`);
      if (!Number.isInteger(f.offset) || f.offset < 0) throw new Error(`${fat}.offset ${JSON.stringify(f.offset)} is not a byte offset`);
      if (f.scale !== undefined && (typeof f.scale !== "number" || !Number.isFinite(f.scale) || f.scale === 0)) {
        throw new Error(`${fat}.scale ${JSON.stringify(f.scale)} is not a non-zero number`);
      }
      end = Math.max(end, f.offset + GENERIC_TARGETS[f.target] * fieldTypeBytes(f.type));
    }
    const length = c.length ?? end;
    if (!Number.isInteger(length) || length < end) throw new Error(`${at}.length ${JSON.stringify(c.length)} is shorter than its fields (${end} bytes)`);
    return { ...c, uuid: toNobleUuid(c.uuid), length };
  });
  const uuids = new Set(characteristics.map((c) => c.uuid));
  if (uuids.size !== characteristics.length) throw new Error(`${where}: a characteristic UUID appears twice`);
  for (const [wi, w] of (config.setupWrites ?? []).entries()) {
    if (typeof w.hex !== "string" || !/^([0-9a-fA-F]{2}\s*)+$/.test(w.hex)) throw new Error(`${where}: setupWrites[${wi}].hex ${JSON.stringify(w.hex)} is not hex bytes`);
  }
  return { ...config, serviceUuid: toNobleUuid(config.serviceUuid), characteristics };
}

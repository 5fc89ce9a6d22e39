import { DOT_LONG_PAYLOAD_CHAR_UUID, DOT_MEDIUM_PAYLOAD_CHAR_UUID, DOT_SHORT_PAYLOAD_CHAR_UUID } from "./uuids.js";

/** Field types of DOT payloads [BLE-PROTOCOLS.md §2.4, X1 Table 17]. All little-endian. */
export type DotField = "quat" | "euler" | "freeAcc" | "dq" | "dv" | "acc" | "gyr" | "mag" | "status" | "clipAcc" | "clipGyr";

export const DOT_FIELD_BYTES: Record<DotField, number> = {
  quat: 16, // 4 × f32 w,x,y,z
  euler: 12, // 3 × f32 degrees
  freeAcc: 12, // 3 × f32 m/s², earth frame, gravity removed
  dq: 16, // 4 × f32
  dv: 12, // 3 × f32 m/s
  acc: 12, // 3 × f32 m/s², sensor frame
  gyr: 12, // 3 × f32 °/s
  mag: 6, // 3 × i16 fixed point, a.u. / 4096 [X2 getCalibratedMag, X3]
  status: 2, // u16 bitmask
  clipAcc: 1,
  clipGyr: 1,
};

export type DotPayloadChar = "short" | "medium" | "long";

/** Characteristic value lengths; notifications are padded with zeros up to these [X1 §3.3, Table 12]. */
export const DOT_CHAR_BYTES: Record<DotPayloadChar, number> = { short: 20, medium: 40, long: 63 };
export const DOT_CHAR_UUID: Record<DotPayloadChar, string> = {
  short: DOT_SHORT_PAYLOAD_CHAR_UUID,
  medium: DOT_MEDIUM_PAYLOAD_CHAR_UUID,
  long: DOT_LONG_PAYLOAD_CHAR_UUID,
};

export interface DotPayloadMode {
  id: number;
  name: string;
  char: DotPayloadChar;
  /** Fields after the u32 µs timestamp at offset 0, in wire order. */
  fields: readonly DotField[];
  /** Offset of each field (derived from the sizes, confirmed against X2/X3/X4 decoders). */
  offsets: Partial<Record<DotField, number>>;
  /** Total payload bytes including the timestamp. */
  bytes: number;
}

function mode(id: number, name: string, char: DotPayloadChar, fields: DotField[]): DotPayloadMode {
  const offsets: Partial<Record<DotField, number>> = {};
  let o = 4;
  for (const f of fields) {
    offsets[f] = o;
    o += DOT_FIELD_BYTES[f];
  }
  return { id, name, char, fields, offsets, bytes: o };
}

/**
 * Every public payload mode [X1 Tables 13-16; BLE-PROTOCOLS.md §2.4 layouts]. Modes 1, 17 and 25
 * "can only be parsed through the SDK" and are absent on purpose.
 */
export const DOT_PAYLOAD_MODES: ReadonlyMap<number, DotPayloadMode> = new Map(
  [
    mode(2, "Extended (Quaternion)", "medium", ["quat", "freeAcc", "status", "clipAcc", "clipGyr"]),
    mode(3, "Complete (Quaternion)", "medium", ["quat", "freeAcc"]),
    mode(4, "Orientation (Euler)", "short", ["euler"]),
    mode(5, "Orientation (Quaternion)", "short", ["quat"]),
    mode(6, "Free acceleration", "short", ["freeAcc"]),
    mode(7, "Extended (Euler)", "medium", ["euler", "freeAcc", "status", "clipAcc", "clipGyr"]),
    mode(16, "Complete (Euler)", "medium", ["euler", "freeAcc"]),
    mode(18, "Delta quantities (with mag)", "medium", ["dq", "dv", "mag"]),
    mode(19, "Delta quantities", "medium", ["dq", "dv"]),
    mode(20, "Rate quantities (with mag)", "medium", ["acc", "gyr", "mag"]),
    mode(21, "Rate quantities", "medium", ["acc", "gyr"]),
    mode(22, "Custom mode 1", "medium", ["euler", "freeAcc", "gyr"]),
    mode(23, "Custom mode 2", "medium", ["euler", "freeAcc", "mag"]),
    mode(24, "Custom mode 3", "medium", ["quat", "gyr"]),
    mode(26, "Custom mode 5", "long", ["quat", "acc", "gyr"]),
  ].map((m) => [m.id, m]),
);

/**
 * Default payload mode: 26 (quaternion + acc + gyro in one notification), so that our own
 * filter can run AND the device's orientation is available [§2.4 "Quaternion + acc + gyro in one
 * notification: use Custom mode 5 (26)"]. Needs ATT MTU ≥ 66; noble asks for 256 (§6.4).
 */
export const DOT_DEFAULT_PAYLOAD_MODE = 26;

export function dotPayloadMode(id: unknown): DotPayloadMode {
  const m = typeof id === "number" ? DOT_PAYLOAD_MODES.get(id) : undefined;
  if (!m) {
    throw new Error(`movella-dot option payloadMode: ${JSON.stringify(id)} is not one of ${[...DOT_PAYLOAD_MODES.keys()].join(", ")}`);
  }
  return m;
}

import type { GenericFieldType } from "./config.js";

/** Reads one value of `type` at `offset` (bounds checked by the caller). */
export function readField(v: DataView, offset: number, type: GenericFieldType): number {
  switch (type) {
    case "i8": return v.getInt8(offset);
    case "u8": return v.getUint8(offset);
    case "i16le": return v.getInt16(offset, true);
    case "u16le": return v.getUint16(offset, true);
    case "i16be": return v.getInt16(offset, false);
    case "u16be": return v.getUint16(offset, false);
    case "i32le": return v.getInt32(offset, true);
    case "u32le": return v.getUint32(offset, true);
    case "i32be": return v.getInt32(offset, false);
    case "u32be": return v.getUint32(offset, false);
    case "f32le": return v.getFloat32(offset, true);
    case "f32be": return v.getFloat32(offset, false);
    case "f64le": return v.getFloat64(offset, true);
  }
}

const INT_RANGE: Partial<Record<GenericFieldType, [number, number]>> = {
  i8: [-128, 127], u8: [0, 255],
  i16le: [-32768, 32767], i16be: [-32768, 32767], u16le: [0, 65535], u16be: [0, 65535],
  i32le: [-(2 ** 31), 2 ** 31 - 1], i32be: [-(2 ** 31), 2 ** 31 - 1], u32le: [0, 2 ** 32 - 1], u32be: [0, 2 ** 32 - 1],
};

/** Writes one value; integers round and saturate at their range, like an ADC or a firmware clamp. */
export function writeField(v: DataView, offset: number, type: GenericFieldType, value: number): void {
  const range = INT_RANGE[type];
  const x = range ? Math.max(range[0], Math.min(range[1], Math.round(value))) : value;
  switch (type) {
    case "i8": v.setInt8(offset, x); break;
    case "u8": v.setUint8(offset, x); break;
    case "i16le": v.setInt16(offset, x, true); break;
    case "u16le": v.setUint16(offset, x, true); break;
    case "i16be": v.setInt16(offset, x, false); break;
    case "u16be": v.setUint16(offset, x, false); break;
    case "i32le": v.setInt32(offset, x, true); break;
    case "u32le": v.setUint32(offset, x, true); break;
    case "i32be": v.setInt32(offset, x, false); break;
    case "u32be": v.setUint32(offset, x, false); break;
    case "f32le": v.setFloat32(offset, x, true); break;
    case "f32be": v.setFloat32(offset, x, false); break;
    case "f64le": v.setFloat64(offset, x, true); break;
  }
}

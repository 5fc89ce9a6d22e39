/** Byte helpers shared by the decoders and encoders: hex, concatenation, little-endian access. */

/** Lower-case hex without separators, as recordings store notifications (CONTRACTS.md §1). */
export function bytesToHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += bytes[i].toString(16).padStart(2, "0");
  return s;
}

/**
 * Hex -> bytes. Accepts spaces between bytes (BLE-PROTOCOLS.md writes "55 61 fc ..."). Throws a
 * one-line error naming the bad character, because hex comes from files and test vectors.
 */
export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.replace(/[\s:]/g, "");
  if (clean.length % 2 !== 0) throw new Error(`hex "${hex.slice(0, 40)}" has an odd number of digits`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) {
    const byte = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
    if (!Number.isFinite(byte) || !/^[0-9a-fA-F]{2}$/.test(clean.slice(2 * i, 2 * i + 2))) {
      throw new Error(`hex "${hex.slice(0, 40)}": "${clean.slice(2 * i, 2 * i + 2)}" at byte ${i} is not a hex byte`);
    }
    out[i] = byte;
  }
  return out;
}

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export function readI16le(b: Uint8Array, i: number): number {
  return (((b[i + 1] << 8) | b[i]) << 16) >> 16;
}

export function readU16le(b: Uint8Array, i: number): number {
  return (b[i + 1] << 8) | b[i];
}

/** Saturating i16 little-endian write: values beyond the range clamp, as a sensor's ADC would. */
export function writeI16le(b: Uint8Array, i: number, value: number): void {
  const v = Math.max(-32768, Math.min(32767, Math.round(value)));
  b[i] = v & 0xff;
  b[i + 1] = (v >> 8) & 0xff;
}

export function writeU16le(b: Uint8Array, i: number, value: number): void {
  b[i] = value & 0xff;
  b[i + 1] = (value >> 8) & 0xff;
}

/** A DataView over exactly the bytes of `b` (which may be a view into a larger Buffer). */
export function viewOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

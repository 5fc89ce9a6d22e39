/** Bytes as lowercase hex (CONTRACTS.md §1 `packet.hex`). */
export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/**
 * With `shared`, packet bytes are cut from shared slabs, as Node's Buffer pool does: a fresh
 * ArrayBuffer per 80-byte notification costs ~0.6 µs (V8 allocates every backing store outside
 * its heap), the largest single cost of replaying a 1-hour recording (docs/BENCHMARKS.md,
 * analyze). A slab is never written again once a view of it has been handed out, so views stay
 * valid for as long as they are held (a held view keeps its whole slab alive).
 */
const SLAB_BYTES = 64 * 1024;
/** Larger payloads get an ArrayBuffer of their own (a slab would waste too much of itself). */
const MAX_SLAB_PIECE_BYTES = 1024;

let slab = new Uint8Array(SLAB_BYTES);
let slabWriter = Buffer.from(slab.buffer, slab.byteOffset, slab.byteLength);
let slabUsed = 0;

/**
 * Hex to a plain Uint8Array. By default it has an ArrayBuffer of its own, so that a consumer may
 * use `new DataView(bytes.buffer)`; with `shared` it is a view into a larger ArrayBuffer (read it
 * through `byteOffset`/`byteLength`, as decoders of BLE notifications must anyway: noble's
 * Buffers are views too). Returns null on an odd length or a non-hex digit; Node's hex decoding
 * stops silently at the first bad digit, which is why the count of bytes written is checked.
 */
export function hexToBytes(hex: string, shared = false): Uint8Array | null {
  if (hex.length % 2 !== 0) return null;
  const n = hex.length >>> 1;
  if (!shared || n > MAX_SLAB_PIECE_BYTES) {
    const own = new Uint8Array(n);
    return Buffer.from(own.buffer, own.byteOffset, n).write(hex, "hex") === n ? own : null;
  }
  if (slabUsed + n > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    slabWriter = Buffer.from(slab.buffer, slab.byteOffset, slab.byteLength);
    slabUsed = 0;
  }
  if (slabWriter.write(hex, slabUsed, n, "hex") !== n) return null;
  const out = slab.subarray(slabUsed, slabUsed + n);
  // 8-byte alignment keeps a consumer's Float64Array/DataView reads aligned, as Node's pool does.
  slabUsed += (n + 7) & ~7;
  return out;
}

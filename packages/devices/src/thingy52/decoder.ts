import { TalliedDecoder } from "../common/decoder-tally.js";
import { nobleCharUuid } from "../common/uuid.js";
import type { DecodedItem } from "../types.js";
import { decodeThingyQuat, decodeThingyRaw, THINGY_QUAT_BYTES, THINGY_RAW_BYTES } from "./codec.js";
import { THINGY_QUAT_CHAR_UUID, THINGY_RAW_CHAR_UUID } from "./uuids.js";

/** The DMP's Q2.30 quaternions are unit to ~1e-4 in practice; 1e-2 catches corrupted values only. */
const QUAT_NORM_TOLERANCE = 1e-2;

/**
 * Thingy:52 notifications -> samples. Quaternion and raw data come on separate
 * characteristics at the same motion rate but not as pairs, so each notification is its own
 * sample: `{quatWxyz}` or `{accMps2, gyrDps, magUt}`. The payloads have fixed sizes (the firmware
 * sends the struct), so any other length is a counted problem. No sensor clock [§7].
 */
export class Thingy52Decoder extends TalliedDecoder {
  next(char: string, bytes: Uint8Array): DecodedItem[] {
    const out: DecodedItem[] = [];
    const t = this.tally;
    t.notification(bytes.length);
    char = nobleCharUuid(char);
    if (char === THINGY_QUAT_CHAR_UUID) {
      if (bytes.length !== THINGY_QUAT_BYTES) {
        t.problem(out, "thingy52.bad-length", `quaternion notification has ${bytes.length} bytes, expected ${THINGY_QUAT_BYTES}`, bytes.length);
        return out;
      }
      const q = decodeThingyQuat(bytes);
      const n = Math.hypot(q[0], q[1], q[2], q[3]);
      if (Math.abs(n - 1) > QUAT_NORM_TOLERANCE) {
        t.problem(out, "thingy52.bad-quaternion", `quaternion norm ${n.toPrecision(4)} is not 1; sample dropped`, bytes.length);
        return out;
      }
      t.decoded(bytes.length);
      t.sample(out, { quatWxyz: [q[0] / n, q[1] / n, q[2] / n, q[3] / n] });
    } else if (char === THINGY_RAW_CHAR_UUID) {
      if (bytes.length !== THINGY_RAW_BYTES) {
        t.problem(out, "thingy52.bad-length", `raw-data notification has ${bytes.length} bytes, expected ${THINGY_RAW_BYTES}`, bytes.length);
        return out;
      }
      t.decoded(bytes.length);
      t.sample(out, decodeThingyRaw(bytes));
    } else {
      t.problem(out, "thingy52.unexpected-char", `Thingy:52 notification on unexpected characteristic ${char}`, bytes.length);
    }
    return out;
  }
}

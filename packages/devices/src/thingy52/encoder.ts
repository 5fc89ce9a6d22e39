import type { DeviceSample } from "@spinewatch/protocol";
import type { EncodedNotification, SampleEncoder } from "../types.js";
import { encodeThingyQuat, encodeThingyRaw } from "./codec.js";
import { THINGY_QUAT_CHAR_UUID, THINGY_RAW_CHAR_UUID } from "./uuids.js";

/**
 * One raw notification (if the sample has acc or gyro; missing vectors encode as zero) and one
 * quaternion notification (if it has quatWxyz) per sample, raw first.
 */
export class Thingy52Encoder implements SampleEncoder {
  push(s: DeviceSample): EncodedNotification[] {
    const out: EncodedNotification[] = [];
    if (s.accMps2 || s.gyrDps) {
      out.push({ char: THINGY_RAW_CHAR_UUID, bytes: encodeThingyRaw(s.accMps2 ?? [0, 0, 0], s.gyrDps ?? [0, 0, 0], s.magUt ?? [0, 0, 0]) });
    }
    if (s.quatWxyz) out.push({ char: THINGY_QUAT_CHAR_UUID, bytes: encodeThingyQuat(s.quatWxyz) });
    return out;
  }

  flush(): EncodedNotification[] {
    return [];
  }
}

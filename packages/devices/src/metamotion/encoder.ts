import type { DeviceSample } from "@spinewatch/protocol";
import { viewOf } from "../common/bytes.js";
import { STANDARD_GRAVITY_MPS2 } from "@spinewatch/protocol";
import type { EncodedNotification, SampleEncoder } from "../types.js";
import { MW_CORRECTED_PACKET_BYTES, MW_QUAT_PACKET_BYTES } from "./decoder.js";
import { MW_FUSION_REG, MW_MODULE } from "./registers.js";
import { MW_NOTIFY_CHAR_UUID } from "./uuids.js";

/** Accuracy byte written into corrected acc/gyro packets: 3 = high (the BSX convention 0-3). */
const ACCURACY_HIGH = 3;

/**
 * Sample -> `19 04` (acc, mg) and `19 05` (gyro) packets when `imu` is on and the sample has
 * them, then `19 07` (quaternion) when it has one. f32 quantisation (relative 6e-8).
 */
export class MetaMotionEncoder implements SampleEncoder {
  readonly #imu: boolean;

  constructor(options: { imu: boolean }) {
    this.#imu = options.imu;
  }

  push(s: DeviceSample): EncodedNotification[] {
    const out: EncodedNotification[] = [];
    if (this.#imu && s.accMps2 && s.gyrDps) {
      out.push(packet(MW_FUSION_REG.correctedAcc, s.accMps2.map((a) => (a / STANDARD_GRAVITY_MPS2) * 1000)));
      out.push(packet(MW_FUSION_REG.correctedGyro, s.gyrDps));
    }
    if (s.quatWxyz) out.push(packet(MW_FUSION_REG.quaternion, s.quatWxyz));
    return out;
  }

  flush(): EncodedNotification[] {
    return [];
  }
}

function packet(register: number, values: readonly number[]): EncodedNotification {
  const quat = register === MW_FUSION_REG.quaternion;
  const b = new Uint8Array(quat ? MW_QUAT_PACKET_BYTES : MW_CORRECTED_PACKET_BYTES);
  b[0] = MW_MODULE.fusion;
  b[1] = register;
  const v = viewOf(b);
  values.forEach((x, k) => v.setFloat32(2 + 4 * k, x, true));
  if (!quat) b[14] = ACCURACY_HIGH;
  return { char: MW_NOTIFY_CHAR_UUID, bytes: b };
}

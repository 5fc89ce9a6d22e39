import type { QuatWxyz, Vec3 } from "@spinewatch/protocol";
import { viewOf } from "../common/bytes.js";
import { allFinite, TalliedDecoder } from "../common/decoder-tally.js";
import { STANDARD_GRAVITY_MPS2 } from "@spinewatch/protocol";
import { nobleCharUuid } from "../common/uuid.js";
import type { DecodedItem } from "../types.js";
import { MW_ACC_IMPLEMENTATION, MW_FUSION_REG, MW_INFO_REGISTER, MW_MODULE, type MwImuChip } from "./registers.js";
import { MW_NOTIFY_CHAR_UUID, SIG_BATTERY_LEVEL_CHAR_UUID } from "./uuids.js";

/** `19 07` + 4 × f32 w,x,y,z [BLE-PROTOCOLS.md §4.3, M1 datainterpreter.cpp]. */
export const MW_QUAT_PACKET_BYTES = 18;
/** `19 04` / `19 05` + 3 × f32 + u8 accuracy [§4.3]. */
export const MW_CORRECTED_PACKET_BYTES = 15;
const QUAT_NORM_TOLERANCE = 1e-3;
/** Corrected acc is in mg [§4.3: SDK divides by 1000 -> g]. */
const MPS2_PER_MG = STANDARD_GRAVITY_MPS2 / 1000;
/** Twice the configured ranges (16 g, 2000 °/s): corrupted floats trip it, real data cannot. */
const MAX_ACC_MPS2 = 32 * STANDARD_GRAVITY_MPS2;
const MAX_GYR_DPS = 4000;

/**
 * MetaWear notifications -> items. Packets are `[module, register, data…]`; there is no sensor
 * timestamp (the SDK stamps on arrival too) [§4.1]. Corrected acc (19 04) and gyro (19 05)
 * arrive as separate notifications at the fusion rate; they are paired into one
 * `{accMps2, gyrDps}` sample when the second of a pair arrives (if one kind repeats before its
 * partner, the lone one goes out alone, so nothing is held for more than one packet). The
 * quaternion (19 07) is its own `{quatWxyz}` sample. Packet lengths are fixed per register;
 * anything else is a counted problem. Whether every fusion sample reaches BLE at 100 Hz is
 * UNVERIFIED [§4.3].
 */
export class MetaMotionDecoder extends TalliedDecoder {
  readonly #imuChip: MwImuChip;
  #heldAcc: Vec3 | undefined;
  #heldGyr: Vec3 | undefined;

  constructor(imuChip: MwImuChip) {
    super();
    this.#imuChip = imuChip;
  }

  /** Whether half of an acc/gyro pair is waiting for its partner. */
  get holding(): boolean {
    return this.#heldAcc !== undefined || this.#heldGyr !== undefined;
  }

  override reset(): void {
    // A half pair from before a reconnect is stale; it was decoded (counted) but is not emitted.
    this.#heldAcc = this.#heldGyr = undefined;
  }

  next(char: string, b: Uint8Array): DecodedItem[] {
    const out: DecodedItem[] = [];
    const t = this.tally;
    t.notification(b.length);
    // The 16-bit battery UUID is compared as it comes (noble's "2a19").
    if (char.length > 4) char = nobleCharUuid(char);
    if (char === SIG_BATTERY_LEVEL_CHAR_UUID) {
      if (b.length !== 1 || b[0] > 100) t.problem(out, "metamotion.bad-battery", `battery level value has ${b.length} byte(s) / ${b[0]} %`, b.length);
      else {
        t.decoded(1);
        out.push({ kind: "battery", percent: b[0] });
      }
      return out;
    }
    if (char !== MW_NOTIFY_CHAR_UUID) {
      t.problem(out, "metamotion.unexpected-char", `MetaWear notification on unexpected characteristic ${char}`, b.length);
      return out;
    }
    if (b.length < 2) {
      t.problem(out, "metamotion.short", `MetaWear packet of ${b.length} byte(s) has no module/register header`, b.length);
      return out;
    }
    const [module, register] = b;
    if (register === MW_INFO_REGISTER && b.length >= 4 && b.length <= 20) {
      this.#moduleInfo(out, b);
    } else if (module === MW_MODULE.fusion && register === MW_FUSION_REG.quaternion) {
      this.#quaternion(out, b);
    } else if (module === MW_MODULE.fusion && (register === MW_FUSION_REG.correctedAcc || register === MW_FUSION_REG.correctedGyro)) {
      this.#corrected(out, b, register === MW_FUSION_REG.correctedAcc);
    } else {
      t.problem(out, "metamotion.unknown-packet", `unrequested MetaWear packet ${hexHead(b)} (module 0x${hex2(module)}, register 0x${hex2(register)})`, b.length);
    }
    return out;
  }

  #moduleInfo(out: DecodedItem[], b: Uint8Array): void {
    const [module, , implementation, revision] = b;
    this.tally.decoded(b.length);
    out.push({ kind: "info", key: "metamotion.moduleInfo", value: { module, implementation, revision } });
    if (module === MW_MODULE.acc) {
      const expected = MW_ACC_IMPLEMENTATION[this.#imuChip];
      const known = Object.entries(MW_ACC_IMPLEMENTATION).find(([, v]) => v === implementation)?.[0];
      if (implementation !== expected) {
        this.tally.problem(out, "metamotion.imu-chip-mismatch",
          `accelerometer implementation ${implementation} (${known ?? "unknown chip"}) but configured for ${this.#imuChip}: ` +
          `set device option imuChip${known ? ` to "${known}"` : ""}`, 0);
      }
    }
  }

  #quaternion(out: DecodedItem[], b: Uint8Array): void {
    const t = this.tally;
    if (b.length !== MW_QUAT_PACKET_BYTES) {
      t.problem(out, "metamotion.bad-length", `quaternion packet has ${b.length} bytes, expected ${MW_QUAT_PACKET_BYTES}`, b.length);
      return;
    }
    const v = viewOf(b);
    const q: QuatWxyz = [v.getFloat32(2, true), v.getFloat32(6, true), v.getFloat32(10, true), v.getFloat32(14, true)];
    const n = Math.hypot(q[0], q[1], q[2], q[3]);
    if (!allFinite(q) || Math.abs(n - 1) > QUAT_NORM_TOLERANCE) {
      t.problem(out, "metamotion.bad-quaternion", `quaternion norm ${n} is not 1; sample dropped`, b.length);
      return;
    }
    t.decoded(b.length);
    t.sample(out, { quatWxyz: q });
  }

  #corrected(out: DecodedItem[], b: Uint8Array, isAcc: boolean): void {
    const t = this.tally;
    const what = isAcc ? "corrected acc" : "corrected gyro";
    if (b.length !== MW_CORRECTED_PACKET_BYTES) {
      t.problem(out, "metamotion.bad-length", `${what} packet has ${b.length} bytes, expected ${MW_CORRECTED_PACKET_BYTES}`, b.length);
      return;
    }
    const v = viewOf(b);
    const scale = isAcc ? MPS2_PER_MG : 1;
    const x: Vec3 = [v.getFloat32(2, true) * scale, v.getFloat32(6, true) * scale, v.getFloat32(10, true) * scale];
    const limit = isAcc ? MAX_ACC_MPS2 : MAX_GYR_DPS;
    if (!allFinite(x) || x.some((c) => Math.abs(c) > limit) || b[14] > 3) {
      t.problem(out, "metamotion.implausible", `${what} ${x.map((c) => c.toPrecision(4)).join(", ")} (accuracy ${b[14]}) is not a measurement; dropped`, b.length);
      return;
    }
    t.decoded(b.length);
    if (isAcc) {
      if (this.#heldAcc) t.sample(out, { accMps2: this.#heldAcc });
      this.#heldAcc = x;
    } else {
      if (this.#heldGyr) t.sample(out, { gyrDps: this.#heldGyr });
      this.#heldGyr = x;
    }
    if (this.#heldAcc && this.#heldGyr) {
      t.sample(out, { accMps2: this.#heldAcc, gyrDps: this.#heldGyr });
      this.#heldAcc = this.#heldGyr = undefined;
    }
  }
}

const hex2 = (x: number) => x.toString(16).padStart(2, "0");
const hexHead = (b: Uint8Array) => [...b.slice(0, 6)].map(hex2).join(" ") + (b.length > 6 ? " …" : "");

import type { DeviceSample, QuatWxyz, Vec3 } from "@spinewatch/protocol";
import { viewOf } from "../common/bytes.js";
import { nobleCharUuid } from "../common/uuid.js";
import { allFinite, TalliedDecoder } from "../common/decoder-tally.js";
import type { DecodedItem } from "../types.js";
import { DOT_CHAR_BYTES, DOT_CHAR_UUID, type DotPayloadMode } from "./payload-modes.js";
import {
  DOT_BATTERY_CHAR_UUID,
  DOT_DEVICE_REPORT_CHAR_UUID,
  DOT_HEADING_RESET_STATUS_CHAR_UUID,
  DOT_LONG_PAYLOAD_CHAR_UUID,
  DOT_MEDIUM_PAYLOAD_CHAR_UUID,
  DOT_SHORT_PAYLOAD_CHAR_UUID,
} from "./uuids.js";

/**
 * Sanity bounds, twice the DOT's measurement ranges (±16 g, ±2000 °/s per the Movella DOT user
 * manual; not in BLE-PROTOCOLS.md) so real data never trips them but corrupted floats do.
 */
const MAX_ACC_MPS2 = 32 * 9.80665;
const MAX_GYR_DPS = 4000;
/** f32 unit quaternions are unit to ~1e-7; 1e-3 leaves room for the device's own rounding. */
const QUAT_NORM_TOLERANCE = 1e-3;
const PAYLOAD_CHARS = new Set([DOT_SHORT_PAYLOAD_CHAR_UUID, DOT_MEDIUM_PAYLOAD_CHAR_UUID, DOT_LONG_PAYLOAD_CHAR_UUID]);

/**
 * Movella DOT notifications -> items: one sample per payload notification, parsed by the
 * configured payload mode [BLE-PROTOCOLS.md §2.4]. Trailing bytes up to the characteristic
 * length must be zero padding [X1 §3.3]; anything else is a counted problem (the sample is
 * still decoded: the documented fields are intact). Non-finite floats, non-unit quaternions
 * and out-of-range rates drop the sample with a problem: those bytes cannot be a measurement.
 * The timestamp is reported raw (u32 µs, sensorTimeUs); unwrapping is the clock stage's job
 * (U32MicrosUnwrapper).
 */
export class MovellaDotDecoder extends TalliedDecoder {
  readonly #mode: DotPayloadMode;
  readonly #char: string;
  readonly #charBytes: number;

  constructor(mode: DotPayloadMode) {
    super();
    this.#mode = mode;
    this.#char = DOT_CHAR_UUID[mode.char];
    this.#charBytes = DOT_CHAR_BYTES[mode.char];
  }

  next(char: string, bytes: Uint8Array): DecodedItem[] {
    const out: DecodedItem[] = [];
    const t = this.tally;
    t.notification(bytes.length);
    char = nobleCharUuid(char);
    if (char === this.#char) {
      this.#payload(out, bytes);
    } else if (char === DOT_BATTERY_CHAR_UUID) {
      this.#battery(out, bytes);
    } else if (char === DOT_DEVICE_REPORT_CHAR_UUID && bytes.length >= 1) {
      // [X1 §2.3]: 1 power off, 4 power saving, 5/6/7 button clicks (+ u32 ms timestamp)
      t.decoded(bytes.length);
      out.push({ kind: "info", key: "movella.deviceReport", value: { type: bytes[0] } });
    } else if (char === DOT_HEADING_RESET_STATUS_CHAR_UUID && bytes.length >= 1) {
      t.decoded(bytes.length);
      out.push({ kind: "info", key: "movella.headingResetStatus", value: bytes[0] });
    } else if (PAYLOAD_CHARS.has(char)) {
      t.problem(out, "movella.wrong-payload-char",
        `payload notification on ${char}, but payload mode ${this.#mode.id} streams on ${this.#char}`, bytes.length);
    } else {
      t.problem(out, "movella.unexpected-char", `Movella DOT notification on unexpected characteristic ${char}`, bytes.length);
    }
    return out;
  }

  #battery(out: DecodedItem[], bytes: Uint8Array): void {
    // byte0 level %, byte1 charging 0/1 [X1 Table 21, X3]
    if (bytes.length !== 2 || bytes[0] > 100 || bytes[1] > 1) {
      this.tally.problem(out, "movella.bad-battery", `battery value ${hex(bytes)} is not <level 0-100> <charging 0/1>`, bytes.length);
      return;
    }
    this.tally.decoded(2);
    out.push({ kind: "battery", percent: bytes[0], charging: bytes[1] === 1 });
  }

  #payload(out: DecodedItem[], b: Uint8Array): void {
    const t = this.tally;
    const m = this.#mode;
    if (b.length < m.bytes) {
      t.problem(out, "movella.short", `payload mode ${m.id} needs ${m.bytes} bytes, notification has ${b.length}`, b.length);
      return;
    }
    let trailingBad = 0;
    for (let i = m.bytes; i < b.length; i++) if (b[i] !== 0) trailingBad = b.length - m.bytes;
    if (b.length > this.#charBytes) trailingBad = b.length - m.bytes;
    if (trailingBad > 0) {
      t.problem(out, "movella.trailing-bytes",
        `payload mode ${m.id}: ${trailingBad} trailing byte(s) are not the zero padding up to ${this.#charBytes} bytes`, trailingBad);
    }
    const v = viewOf(b);
    const f32s = (o: number, n: number) => {
      const r: number[] = [];
      for (let k = 0; k < n; k++) r.push(v.getFloat32(o + 4 * k, true));
      return r;
    };
    const o = m.offsets;
    const sample: DeviceSample = { sensorTimeUs: v.getUint32(0, true) };
    const extra: Record<string, unknown> = {};
    let bad: string | undefined;
    if (o.quat !== undefined) {
      const q = f32s(o.quat, 4);
      bad ??= checkQuat(q, "quaternion");
      sample.quatWxyz = q as QuatWxyz;
    }
    if (o.euler !== undefined) {
      const e = f32s(o.euler, 3);
      if (!allFinite(e) || e.some((x) => Math.abs(x) > 360)) bad ??= `Euler angles ${fmt(e)} are not angles in degrees`;
      sample.eulerDeg = e as Vec3;
    }
    if (o.acc !== undefined) {
      const a = f32s(o.acc, 3);
      if (!allFinite(a) || a.some((x) => Math.abs(x) > MAX_ACC_MPS2)) bad ??= `acceleration ${fmt(a)} m/s² out of range`;
      sample.accMps2 = a as Vec3;
    }
    if (o.gyr !== undefined) {
      const g = f32s(o.gyr, 3);
      if (!allFinite(g) || g.some((x) => Math.abs(x) > MAX_GYR_DPS)) bad ??= `angular rate ${fmt(g)} °/s out of range`;
      sample.gyrDps = g as Vec3;
    }
    if (o.freeAcc !== undefined) {
      const a = f32s(o.freeAcc, 3);
      if (!allFinite(a) || a.some((x) => Math.abs(x) > MAX_ACC_MPS2)) bad ??= `free acceleration ${fmt(a)} m/s² out of range`;
      extra.freeAccMps2 = a;
    }
    if (o.dq !== undefined) {
      const q = f32s(o.dq, 4);
      bad ??= checkQuat(q, "delta quaternion");
      extra.dqWxyz = q;
    }
    if (o.dv !== undefined) {
      const d = f32s(o.dv, 3);
      if (!allFinite(d)) bad ??= `delta velocity ${fmt(d)} is not finite`;
      extra.dvMps = d;
    }
    if (o.mag !== undefined) {
      // fixed point, arbitrary units (/4096) [X2, X3]: not µT, so not magUt
      extra.magAu = [0, 2, 4].map((k) => v.getInt16(o.mag! + k, true) / 4096);
    }
    if (o.status !== undefined) {
      extra.status = v.getUint16(o.status, true);
      extra.clipCountAcc = b[o.clipAcc!];
      extra.clipCountGyr = b[o.clipGyr!];
    }
    if (bad !== undefined) {
      t.problem(out, "movella.implausible", `payload mode ${m.id}: ${bad}; sample dropped`, b.length - trailingBad);
      return;
    }
    t.decoded(b.length - trailingBad);
    t.sample(out, sample);
    if (Object.keys(extra).length > 0) out.push({ kind: "info", key: "movella.extra", value: extra });
  }
}

function checkQuat(q: number[], what: string): string | undefined {
  if (!allFinite(q)) return `${what} ${fmt(q)} is not finite`;
  const n = Math.hypot(q[0], q[1], q[2], q[3]);
  return Math.abs(n - 1) > QUAT_NORM_TOLERANCE ? `${what} norm ${n.toPrecision(6)} is not 1` : undefined;
}

function fmt(values: number[]): string {
  return `[${values.map((x) => (Number.isFinite(x) ? Number(x.toPrecision(4)) : String(x))).join(", ")}]`;
}

function hex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ") || "(empty)";
}

import type { DeviceSample, QuatWxyz } from "@spinewatch/protocol";
import { EXAMPLE_GENERIC_CONFIG } from "../testing/example-generic-config.js";
import { createGenericModule } from "../generic/module.js";
import { metaMotionModule } from "../metamotion/module.js";
import type { MetaMotionDecoder } from "../metamotion/decoder.js";
import { movellaDotModule } from "../movella/module.js";
import { DOT_ENCODABLE_MODES } from "../movella/encoder.js";
import { dotPayloadMode } from "../movella/payload-modes.js";
import { thingy52Module } from "../thingy52/module.js";
import type { DeviceModule, DeviceOptions, EncodedNotification, StreamDecoder } from "../types.js";
import { encodeWitBatteryReply, encodeWitQuaternionReply, WitMotionEncoder } from "../witmotion/encoder.js";
import { WitMotionStreamDecoder } from "../witmotion/stream-decoder.js";
import { WIT_DATA_CHAR_UUID } from "../witmotion/uuids.js";
import type { Mulberry32 } from "./prng.js";

/** One decoder with a pool of valid notifications to start mutations from. */
export interface FuzzLane {
  label: string;
  decoder: StreamDecoder;
  pool: EncodedNotification[];
  /**
   * For packet-per-notification decoders: the length below which a truncated notification
   * can no longer be valid (it must then be reported). Undefined for byte-stream decoders.
   */
  minValidBytes?(n: EncodedNotification): number;
  /** Whether the decoder legitimately holds decoded data for the next notification. */
  holding?(): boolean;
}

export interface FuzzTarget {
  /** `fuzz_<family>_…` in BENCH names. */
  family: string;
  /** Byte-stream framing (WitMotion): split/merge/garbage-between mutations apply. */
  stream: boolean;
  lanes: FuzzLane[];
}

/** Characteristics of other families, for "wrong characteristic" notifications. */
export const FOREIGN_CHARS = [
  WIT_DATA_CHAR_UUID,
  "15172003494711e98646d663bd873d93",
  "ef6804069b3549339b1052ffa9740042",
  "326a900685cb9195d9dd464cfbbae75a",
  "19b10001e8f2537e4f6cd104768a1214",
  "2a19",
];

function randomSample(rng: Mulberry32, k: number): DeviceSample {
  const q = [rng.sym(1), rng.sym(1), rng.sym(1), rng.sym(1)];
  const n = Math.hypot(...q) || 1;
  return {
    sensorTimeUs: (k * 16667 + rng.int(1000)) % 2 ** 32,
    accMps2: [rng.sym(40), rng.sym(40), rng.sym(40)],
    gyrDps: [rng.sym(800), rng.sym(800), rng.sym(800)],
    magUt: [rng.sym(60), rng.sym(60), rng.sym(60)],
    quatWxyz: q.map((c) => c / n) as QuatWxyz,
    eulerDeg: [rng.sym(179), rng.sym(89), rng.sym(179)],
  };
}

function pool(module: DeviceModule, options: DeviceOptions, rng: Mulberry32, size: number): EncodedNotification[] {
  const enc = module.createEncoder(options);
  const out: EncodedNotification[] = [];
  for (let k = 0; out.length < size; k++) out.push(...enc.push(randomSample(rng, k)));
  out.push(...enc.flush());
  return out;
}

function lane(label: string, module: DeviceModule, options: DeviceOptions, rng: Mulberry32, minValidBytes?: FuzzLane["minValidBytes"]): FuzzLane {
  return { label, decoder: module.createDecoder(options), pool: pool(module, options, rng, 512), minValidBytes };
}

/** The five families' decoders, each fed from its own encoder's valid output. */
export function fuzzTargets(rng: Mulberry32): FuzzTarget[] {
  // WitMotion: batches of 1-8 frames, plus 0x71 register replies (quaternion, battery).
  const witPool: EncodedNotification[] = [];
  for (const batchFrames of [1, 2, 4, 8]) {
    const enc = new WitMotionEncoder({ batchFrames });
    for (let k = 0; k < 128; k++) witPool.push(...enc.push(randomSample(rng, k)));
  }
  for (let k = 0; k < 64; k++) {
    witPool.push({ char: WIT_DATA_CHAR_UUID, bytes: encodeWitQuaternionReply(randomSample(rng, k).quatWxyz!) });
    witPool.push({ char: WIT_DATA_CHAR_UUID, bytes: encodeWitBatteryReply(3.3 + rng.next()) });
  }
  const wit: FuzzTarget = {
    family: "witmotion",
    stream: true,
    lanes: [{ label: "witmotion", decoder: new WitMotionStreamDecoder(), pool: witPool }],
  };

  const movella: FuzzTarget = {
    family: "movella",
    stream: false,
    lanes: DOT_ENCODABLE_MODES.map((m) =>
      lane(`movella mode ${m}`, movellaDotModule, { payloadMode: m }, rng, () => dotPayloadMode(m).bytes)),
  };

  const thingy: FuzzTarget = {
    family: "thingy52",
    stream: false,
    lanes: [lane("thingy52", thingy52Module, {}, rng, (n) => n.bytes.length)],
  };

  const mwLane = lane("metamotion", metaMotionModule, {}, rng, (n) => n.bytes.length);
  mwLane.holding = () => (mwLane.decoder as MetaMotionDecoder).holding;
  const metamotion: FuzzTarget = { family: "metamotion", stream: false, lanes: [mwLane] };

  const genericModule = createGenericModule(EXAMPLE_GENERIC_CONFIG);
  const generic: FuzzTarget = {
    family: "generic",
    stream: false,
    lanes: [lane("generic layout", genericModule, {}, rng, (n) => n.bytes.length)],
  };
  return [wit, movella, thingy, metamotion, generic];
}

import { STANDARD_GRAVITY_MPS2 as G } from "@spinewatch/protocol";
import {
  dotPayloadMode,
  encodeWitBatteryReply,
  getDeviceModule,
  movellaUuids,
  WIT_COMMAND_CHAR_UUID,
  WIT_DATA_CHAR_UUID,
  WIT_SERVICE_UUID,
  type EncodedNotification,
} from "@spinewatch/devices";
import type { DeviceSample } from "@spinewatch/protocol";
import type { FakeNoble, FakeNotification, FakePeripheral, FakePeripheralOptions } from "./fake-noble.js";

const DEG = Math.PI / 180;

/**
 * A deterministic slow motion for fake streams: a ±10° roll at 0.5 Hz about the sensor x axis,
 * with the matching gyro rate and gravity in the sensor frame. Only the bytes' plausibility
 * matters here; packages/devices tests the decoding itself.
 */
export function swayingSamples(count: number, rateHz: number): DeviceSample[] {
  const out: DeviceSample[] = [];
  for (let k = 0; k < count; k++) {
    const t = k / rateHz;
    const rollDeg = 10 * Math.sin(2 * Math.PI * 0.5 * t);
    const rateDps = 10 * 2 * Math.PI * 0.5 * Math.cos(2 * Math.PI * 0.5 * t);
    const r = rollDeg * DEG;
    out.push({
      accMps2: [0, G * Math.sin(r), G * Math.cos(r)],
      gyrDps: [rateDps, 0, 0],
      eulerDeg: [rollDeg, 0, 0],
      quatWxyz: [Math.cos(r / 2), Math.sin(r / 2), 0, 0],
    });
  }
  return out;
}

function encodeAll(notifs: (s: DeviceSample) => EncodedNotification[], flush: () => EncodedNotification[], samples: DeviceSample[]): FakeNotification[] {
  return [...samples.flatMap(notifs), ...flush()];
}

const isWitRead = (bytes: Uint8Array, reg: number): boolean =>
  bytes.length === 5 && bytes[0] === 0xff && bytes[1] === 0xaa && bytes[2] === 0x27 && bytes[3] === reg;

export interface FakeSensorOptions extends Partial<Omit<FakePeripheralOptions, "services" | "behaviour">> {
  address: string;
  rateHz?: number;
  /** Notifications to stream instead of generated ones (e.g. a fixtures/ble packet list). */
  notifications?: FakeNotification[];
  /** Interval between notifications, ms (default: from the rate and frames per notification). */
  intervalMs?: number;
}

/**
 * A WitMotion WT901BLE (BLE-PROTOCOLS.md §1): streams 0x61 frames once notifications on ffe4
 * are enabled (there is no start command), batched as packages/devices' encoder batches them,
 * and answers a battery read (`FF AA 27 64 00`) with a 0x71 reply of 3.90 V.
 */
export function addFakeWitMotion(noble: FakeNoble, options: FakeSensorOptions): FakePeripheral {
  const rateHz = options.rateHz ?? 100;
  const encoder = getDeviceModule("witmotion-wt901ble").createEncoder({ rateHz });
  const notifications = options.notifications ?? encodeAll((s) => encoder.push(s), () => encoder.flush(), swayingSamples(2 * rateHz, rateHz));
  const framesPerNotification = notifications[0].bytes.length / 20;
  return noble.addPeripheral({
    localName: "WT901BLE68",
    ...options,
    services: [
      {
        uuid: WIT_SERVICE_UUID,
        characteristics: [
          { uuid: WIT_DATA_CHAR_UUID, properties: ["notify"] },
          { uuid: WIT_COMMAND_CHAR_UUID, properties: ["writeWithoutResponse", "write"] },
        ],
      },
    ],
    behaviour: {
      notifications,
      intervalMs: options.intervalMs ?? (1000 * framesPerNotification) / rateHz,
      startOn: { op: "subscribe", char: WIT_DATA_CHAR_UUID },
      replies: (char, bytes) => (char === WIT_COMMAND_CHAR_UUID && isWitRead(bytes, 0x64) ? [{ char: WIT_DATA_CHAR_UUID, bytes: encodeWitBatteryReply(3.9) }] : []),
    },
  });
}

/**
 * A Movella DOT (BLE-PROTOCOLS.md §2): streams payload notifications only after `01 01 <mode>`
 * is written to the control characteristic, stops on `01 00 <mode>`; battery 87 %, not charging.
 */
export function addFakeMovellaDot(noble: FakeNoble, options: FakeSensorOptions & { payloadMode?: number }): FakePeripheral {
  const rateHz = options.rateHz ?? 60;
  const mode = dotPayloadMode(options.payloadMode ?? 26);
  const encoder = getDeviceModule("movella-dot").createEncoder({ rateHz, payloadMode: mode.id });
  const notifications =
    options.notifications ??
    encodeAll((s) => encoder.push(s), () => encoder.flush(), swayingSamples(2 * rateHz, rateHz).map((s) => ({ ...s, eulerDeg: undefined })));
  const u = movellaUuids;
  const isControl = (action: number) => (b: Uint8Array) => b.length === 3 && b[0] === 0x01 && b[1] === action;
  return noble.addPeripheral({
    localName: "Movella DOT",
    ...options,
    services: [
      {
        uuid: u.DOT_CONFIG_SERVICE_UUID,
        characteristics: [{ uuid: u.DOT_DEVICE_CONTROL_CHAR_UUID, properties: ["read", "write"] }, { uuid: u.DOT_DEVICE_REPORT_CHAR_UUID, properties: ["notify"] }],
      },
      {
        uuid: u.DOT_MEASUREMENT_SERVICE_UUID,
        characteristics: [
          { uuid: u.DOT_CONTROL_CHAR_UUID, properties: ["read", "write"] },
          ...[u.DOT_LONG_PAYLOAD_CHAR_UUID, u.DOT_MEDIUM_PAYLOAD_CHAR_UUID, u.DOT_SHORT_PAYLOAD_CHAR_UUID].map((uuid) => ({ uuid, properties: ["notify"] })),
          { uuid: u.DOT_HEADING_RESET_CONTROL_CHAR_UUID, properties: ["read", "write"] },
          { uuid: u.DOT_HEADING_RESET_STATUS_CHAR_UUID, properties: ["read"] },
        ],
      },
      { uuid: u.DOT_BATTERY_SERVICE_UUID, characteristics: [{ uuid: u.DOT_BATTERY_CHAR_UUID, properties: ["read", "notify"] }] },
    ],
    behaviour: {
      notifications,
      intervalMs: options.intervalMs ?? 1000 / rateHz,
      startOn: { op: "write", char: u.DOT_CONTROL_CHAR_UUID, matches: isControl(0x01) },
      stopOnWrite: { char: u.DOT_CONTROL_CHAR_UUID, matches: isControl(0x00) },
      readValues: { [u.DOT_BATTERY_CHAR_UUID]: Uint8Array.of(87, 0), [u.DOT_HEADING_RESET_STATUS_CHAR_UUID]: Uint8Array.of(1) },
    },
  });
}

/** Something that is not a supported sensor (a heart-rate strap). */
export function addFakeOtherPeripheral(noble: FakeNoble, options: { address: string; localName?: string; rssi?: number }): FakePeripheral {
  return noble.addPeripheral({
    localName: options.localName ?? "HRM-Pro",
    serviceUuids: ["180d"],
    rssi: options.rssi ?? -50,
    address: options.address,
    services: [{ uuid: "180d", characteristics: [{ uuid: "2a37", properties: ["notify"] }] }],
  });
}

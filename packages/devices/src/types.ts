import type { DeviceKind, DeviceSample } from "@spinewatch/protocol";

/** What a scan saw of one peripheral (noble's advertisement, reduced to what matchers need). */
export interface AdvertisementInfo {
  localName?: string;
  /** Service UUIDs as noble prints them (lower-case hex, no dashes). */
  serviceUuids: string[];
  manufacturerData?: Uint8Array;
  address?: string;
}

/** One thing a decoder got out of the bytes, in order of arrival. Problems travel in-band. */
export type DecodedItem =
  | { kind: "sample"; sample: DeviceSample }
  | { kind: "battery"; percent?: number; volts?: number; charging?: boolean }
  /** A register reply or similar side information (e.g. WitMotion 0x71 quaternion, magnetometer). */
  | { kind: "info"; key: string; value: unknown }
  | { kind: "problem"; code: string; message: string };

/** Counters every decoder keeps, so that bad input is counted, never silently lost. */
export interface DecoderCounters {
  notifications: number;
  samples: number;
  /** Bytes discarded while resynchronising or in malformed notifications. */
  badBytes: number;
  problems: number;
  /** Bytes received in all notifications. */
  bytes: number;
  /** Bytes that went into decoded frames/packets (including documented zero padding). */
  decodedBytes: number;
  /**
   * Bytes held back for the next notification (a frame split across notifications). A gauge, not
   * a total; invariant for every decoder: bytes === decodedBytes + badBytes + pendingBytes.
   */
  pendingBytes: number;
}

/**
 * Bytes -> samples for one sensor. Stateful where the device streams bytes (WitMotion frames
 * split across notifications), so one decoder per sensor; `reset()` after a reconnect.
 * `next` never throws: every bad input becomes a `problem` item and a counted problem.
 */
export interface StreamDecoder {
  next(char: string, bytes: Uint8Array): DecodedItem[];
  reset(): void;
  readonly counters: DecoderCounters;
}

/** One notification as an encoder produces it: the characteristic and its bytes. */
export interface EncodedNotification {
  char: string;
  bytes: Uint8Array;
}

/**
 * Samples -> bytes, for the simulator and tests. Encoders batch when the device does
 * (WitMotion packs several 20-byte frames per notification): `push` returns the
 * notifications that are complete after this sample, `flush` the rest.
 */
export interface SampleEncoder {
  push(sample: DeviceSample): EncodedNotification[];
  flush(): EncodedNotification[];
}

/** One step of connecting a sensor, executed in order by packages/ble. */
export type SetupStep =
  | { kind: "subscribe"; char: string }
  | { kind: "unsubscribe"; char: string }
  | { kind: "write"; char: string; bytes: Uint8Array; withoutResponse?: boolean; note?: string }
  | { kind: "read"; char: string; note?: string }
  /** Wait before the next step (device needs time, e.g. WitMotion unlock -> write -> save). */
  | { kind: "wait"; ms: number };

export interface DeviceOptions {
  /** Requested output rate in Hz; the module picks the nearest rate the device supports. */
  rateHz?: number;
  /** Family-specific options, e.g. `{ payloadMode: 20 }` for Movella DOT. */
  [k: string]: unknown;
}

/** A sensor family: everything packages/ble and the pipeline need to know about it. Pure: no noble. */
export interface DeviceModule {
  readonly kind: DeviceKind;
  readonly displayName: string;
  /** Whether an advertisement looks like this family. */
  matches(adv: AdvertisementInfo): boolean;
  /** Model name for `spinewatch scan` (e.g. "WT901BLE", "Movella DOT"). */
  model(adv: AdvertisementInfo): string;
  /** Services to discover, noble form. */
  readonly serviceUuids: readonly string[];
  /** Whether a characteristic UUID (noble form) carries this family's data. */
  isDataChar(char: string): boolean;
  /** Steps to configure and start streaming, in the order the device requires. */
  setup(options: DeviceOptions): SetupStep[];
  /** Steps to stop streaming cleanly. */
  teardown(options: DeviceOptions): SetupStep[];
  /** Steps to poll periodic side information (battery, etc.), if the device needs polling. */
  poll?(options: DeviceOptions): SetupStep[];
  /** How often packages/ble should run `poll`, ms (present when `poll` is). */
  readonly pollIntervalMs?: number;
  /** Steps that zero the device's own heading (Movella heading reset, WitMotion angle reference). */
  headingReset?(options: DeviceOptions): SetupStep[];
  /** Rates the device can stream at, Hz. */
  readonly supportedRatesHz: readonly number[];
  /** Whether samples carry the sensor's own clock (sensorTimeUs). */
  readonly hasSensorClock: boolean;
  /**
   * Least time from a sample being taken to its notification reaching the host, ms, that the
   * device's way of sending implies (a lower bound, e.g. the notification's air time:
   * common/ble-air-time.ts). BLE latency is invisible in the arrival times (DESIGN.md: "a
   * per-device latency constant"): the pipeline's clock places samples at their earliest possible
   * arrival and subtracts this, unless the sensor's header declares a measured one
   * (`deviceOptions.transportLatencyMs`, pipeline transport-latency.ts). 0 if absent.
   */
  minTransportLatencyMs?(options: DeviceOptions): number;
  /**
   * How often the device sends a data notification with these options, ms, when known (the
   * connection interval to request depends on it: common/connection-interval.ts).
   */
  notificationPeriodMs?(options: DeviceOptions): number | undefined;
  /** Whether the stream carries the device's own orientation (quaternion or Euler). */
  readonly providesOrientation: boolean;
  /** Whether the stream carries raw acc + gyro, so our own filter can run. */
  providesImu(options: DeviceOptions): boolean;
  createDecoder(options: DeviceOptions): StreamDecoder;
  createEncoder(options: DeviceOptions): SampleEncoder;
}

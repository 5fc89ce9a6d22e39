import { EventEmitter } from "node:events";
import type { ConnectParameters, NobleLike, NobleState } from "../noble-types.js";
import type { BleScheduler, CancelTimer } from "../scheduler.js";

/** One thing a central did to a fake peripheral, in order, with fake time. */
export type FakeGattOp =
  | { op: "connect"; tMs: number; address: string; parameters?: Partial<ConnectParameters> }
  | { op: "cancelConnect" | "disconnect" | "discover"; tMs: number; address: string }
  | { op: "subscribe" | "unsubscribe" | "read"; tMs: number; address: string; char: string }
  | { op: "write"; tMs: number; address: string; char: string; hex: string; withoutResponse: boolean };

export interface FakeNotification {
  char: string;
  bytes: Uint8Array;
}

export interface FakeServiceSpec {
  uuid: string;
  characteristics: { uuid: string; properties?: string[] }[];
}

/** What makes a fake peripheral stream, and what it answers. */
export interface FakeBehaviour {
  /** The notifications it sends, in order, one every `intervalMs` while streaming; looped. */
  notifications: readonly FakeNotification[];
  intervalMs: number;
  /** When streaming starts: on subscribing to `char`, or on a write to `char` (whose bytes `matches`). */
  startOn: { op: "subscribe"; char: string } | { op: "write"; char: string; matches?: (bytes: Uint8Array) => boolean };
  /** Writes that stop streaming (besides unsubscribing from the start char, or disconnecting). */
  stopOnWrite?: { char: string; matches: (bytes: Uint8Array) => boolean };
  /** Replies to a write (e.g. a WitMotion register read), sent right after it. */
  replies?: (char: string, bytes: Uint8Array) => FakeNotification[];
  /** Values for readAsync, by characteristic. */
  readValues?: Record<string, Uint8Array>;
}

export interface FakePeripheralOptions {
  address: string;
  localName?: string;
  serviceUuids?: string[];
  manufacturerData?: Uint8Array;
  /** RSSI of successive advertisements (cycled), dBm. */
  rssi?: number | number[];
  /** When it starts advertising, ms of fake time (default 0). */
  appearsAtMs?: number;
  advertisingIntervalMs?: number;
  /** How long LE Create Connection takes while in range, ms. */
  connectDelayMs?: number;
  /** Latency of every GATT operation, ms. */
  gattDelayMs?: number;
  services: FakeServiceSpec[];
  behaviour?: FakeBehaviour;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const norm = (u: string): string => u.toLowerCase().replace(/-/g, "");

/**
 * A noble for tests (noble-types.ts NobleLike): same object model as @abandonware/noble
 * (stateChange, discover, peripherals, services, characteristics, `data` events, disconnect),
 * all on fake time. Every GATT operation lands in `log`, so tests can check setup order.
 */
export class FakeNoble extends EventEmitter implements NobleLike {
  readonly scheduler: BleScheduler;
  readonly log: FakeGattOp[] = [];
  readonly peripherals: FakePeripheral[] = [];
  #state: NobleState;
  #scanning = false;
  #allowDuplicates = false;
  #seenThisScan = new Set<string>();
  #advertTimers: CancelTimer[] = [];
  scanStarts = 0;

  constructor(scheduler: BleScheduler, options: { state?: NobleState } = {}) {
    super();
    this.scheduler = scheduler;
    this.#state = options.state ?? "poweredOn";
  }

  get state(): string {
    return this.#state;
  }

  get scanning(): boolean {
    return this.#scanning;
  }

  /** Changes the adapter state and tells listeners, as noble's bindings do. */
  setState(state: NobleState): void {
    this.#state = state;
    if (state !== "poweredOn") this.#stopAdverts();
    this.emit("stateChange", state);
  }

  addPeripheral(options: FakePeripheralOptions): FakePeripheral {
    const p = new FakePeripheral(this, options);
    this.peripherals.push(p);
    if (this.#scanning) this.#advertise(p);
    return p;
  }

  async startScanningAsync(_serviceUuids: string[] = [], allowDuplicates = false): Promise<void> {
    // noble's own message [N1 lib/noble.js].
    if (this.#state !== "poweredOn") throw new Error(`Could not start scanning, state is ${this.#state} (not poweredOn)`);
    this.scanStarts++;
    this.#scanning = true;
    this.#allowDuplicates = allowDuplicates;
    this.#seenThisScan.clear();
    for (const p of this.peripherals) this.#advertise(p);
  }

  async stopScanningAsync(): Promise<void> {
    this.#scanning = false;
    this.#stopAdverts();
  }

  /** @internal a peripheral's GATT operation, for the log. */
  record(op: FakeGattOp): void {
    this.log.push(op);
  }

  #stopAdverts(): void {
    for (const cancel of this.#advertTimers.splice(0)) cancel();
  }

  #advertise(p: FakePeripheral): void {
    const tick = (): void => {
      if (!this.#scanning) return;
      if (p.advertising) {
        p.nextAdvertisement();
        if (this.#allowDuplicates || !this.#seenThisScan.has(p.id)) {
          this.#seenThisScan.add(p.id);
          this.emit("discover", p);
        }
      }
      this.#advertTimers.push(this.scheduler.setTimer(p.advertisingIntervalMs, tick));
    };
    const waitMs = Math.max(0, p.appearsAtMs - this.scheduler.nowMs());
    this.#advertTimers.push(this.scheduler.setTimer(waitMs, tick));
  }
}

export class FakePeripheral extends EventEmitter {
  readonly id: string;
  readonly address: string;
  readonly advertisement: { localName?: string; serviceUuids: string[]; manufacturerData?: Buffer };
  rssi: number;
  state: "disconnected" | "connecting" | "connected" = "disconnected";
  /** Out of range: it neither advertises nor completes a connection. */
  inRange = true;
  readonly appearsAtMs: number;
  readonly advertisingIntervalMs: number;
  readonly #noble: FakeNoble;
  readonly #options: FakePeripheralOptions;
  readonly #rssiCycle: number[];
  #advertCount = 0;
  #pendingConnect?: { resolve: () => void; reject: (e: Error) => void; cancelTimer?: CancelTimer };
  #chars = new Map<string, FakeCharacteristic>();
  #subscribed = new Set<string>();
  #streaming = false;
  #streamTimer?: CancelTimer;
  /** Index of the next notification; kept across reconnects, so the stream resumes. */
  #position = 0;
  /** Notifications sent so far. */
  sent = 0;

  constructor(noble: FakeNoble, options: FakePeripheralOptions) {
    super();
    this.#noble = noble;
    this.#options = options;
    this.address = options.address.toLowerCase();
    this.id = this.address.replace(/:/g, "");
    this.advertisement = {
      localName: options.localName,
      serviceUuids: options.serviceUuids ?? [],
      manufacturerData: options.manufacturerData ? Buffer.from(options.manufacturerData) : undefined,
    };
    this.#rssiCycle = Array.isArray(options.rssi) ? options.rssi : [options.rssi ?? -60];
    this.rssi = this.#rssiCycle[0];
    this.appearsAtMs = options.appearsAtMs ?? 0;
    this.advertisingIntervalMs = options.advertisingIntervalMs ?? 100;
  }

  get advertising(): boolean {
    return this.inRange && this.state === "disconnected" && this.#noble.scheduler.nowMs() >= this.appearsAtMs;
  }

  get streaming(): boolean {
    return this.#streaming;
  }

  /** @internal the next advertisement's RSSI. */
  nextAdvertisement(): void {
    this.rssi = this.#rssiCycle[this.#advertCount++ % this.#rssiCycle.length];
  }

  #now(): number {
    return this.#noble.scheduler.nowMs();
  }

  /** @internal a GATT operation: logged now (its tMs is set here), answered after gattDelayMs. */
  gatt<T>(op: FakeGattOp, run: () => T): Promise<T> {
    this.#noble.record({ ...op, tMs: this.#now() });
    return new Promise<T>((resolve, reject) => {
      this.#noble.scheduler.setTimer(this.#options.gattDelayMs ?? 5, () => {
        if (this.state !== "connected") reject(new Error(`${op.op}: peripheral ${this.address} is not connected`));
        else {
          try {
            resolve(run());
          } catch (e) {
            reject(e as Error);
          }
        }
      });
    });
  }

  connectAsync(parameters?: Partial<ConnectParameters>): Promise<void> {
    this.#noble.record({ op: "connect", tMs: this.#now(), address: this.address, parameters });
    if (this.state !== "disconnected") return Promise.reject(new Error(`connect: peripheral ${this.address} is ${this.state}`));
    this.state = "connecting";
    return new Promise<void>((resolve, reject) => {
      this.#pendingConnect = { resolve, reject };
      if (this.inRange) this.#completeConnectSoon();
    });
  }

  cancelConnect(): void {
    this.#noble.record({ op: "cancelConnect", tMs: this.#now(), address: this.address });
    const pending = this.#pendingConnect;
    if (!pending) return;
    pending.cancelTimer?.();
    this.#pendingConnect = undefined;
    this.state = "disconnected";
    pending.reject(new Error("connection canceled"));
  }

  async disconnectAsync(): Promise<void> {
    this.#noble.record({ op: "disconnect", tMs: this.#now(), address: this.address });
    if (this.state !== "connected") return;
    this.#linkDown();
    // noble emits `disconnect` for local disconnects too [N1 lib/noble.js onDisconnect].
    this.emit("disconnect", 0x16);
  }

  async discoverSomeServicesAndCharacteristicsAsync(serviceUuids: string[], characteristicUuids: string[]) {
    const wantS = new Set(serviceUuids.map(norm));
    const wantC = new Set(characteristicUuids.map(norm));
    return this.gatt({ op: "discover", tMs: 0, address: this.address }, () => {
      const services = this.#options.services.filter((s) => wantS.size === 0 || wantS.has(norm(s.uuid)));
      // Fresh objects per connection, as noble creates them anew after each discovery.
      this.#chars.clear();
      const characteristics = services.flatMap((s) =>
        s.characteristics.filter((c) => wantC.size === 0 || wantC.has(norm(c.uuid))).map((c) => new FakeCharacteristic(this, norm(c.uuid), c.properties ?? [])),
      );
      for (const c of characteristics) this.#chars.set(c.uuid, c);
      return { services: services.map((s) => ({ uuid: norm(s.uuid) })), characteristics };
    });
  }

  /**
   * The radio link drops (out of range, battery): `disconnect` fires, streaming stops, and the
   * peripheral stays away for `awayMs` (for ever if undefined), then advertises again and
   * completes any pending connection.
   */
  dropLink(awayMs?: number): void {
    if (this.state === "connected") {
      this.#linkDown();
      this.emit("disconnect", 0x08); // HCI "connection timeout"
    }
    this.inRange = false;
    if (awayMs !== undefined) this.#noble.scheduler.setTimer(awayMs, () => this.comeBack());
  }

  /** Stops sending notifications while the link stays up (a hung sensor firmware). */
  silence(): void {
    this.#stopStream();
  }

  /** Back in range: advertising again, and a pending connection completes. */
  comeBack(): void {
    this.inRange = true;
    if (this.#pendingConnect && !this.#pendingConnect.cancelTimer) this.#completeConnectSoon();
  }

  /** @internal */
  onSubscribe(char: string, on: boolean): void {
    if (on) this.#subscribed.add(char);
    else this.#subscribed.delete(char);
    const start = this.#options.behaviour?.startOn;
    if (start?.op === "subscribe" && norm(start.char) === char) {
      if (on) this.#startStream();
      else this.#stopStream();
    }
  }

  /** @internal */
  onWrite(char: string, bytes: Uint8Array): void {
    const b = this.#options.behaviour;
    if (!b) return;
    if (b.startOn.op === "write" && norm(b.startOn.char) === char && (b.startOn.matches?.(bytes) ?? true)) this.#startStream();
    if (b.stopOnWrite && norm(b.stopOnWrite.char) === char && b.stopOnWrite.matches(bytes)) this.#stopStream();
    for (const r of b.replies?.(char, bytes) ?? []) this.#notify(r);
  }

  /** @internal */
  readValue(char: string): Uint8Array {
    return this.#options.behaviour?.readValues?.[char] ?? new Uint8Array(0);
  }

  #completeConnectSoon(): void {
    const pending = this.#pendingConnect!;
    pending.cancelTimer = this.#noble.scheduler.setTimer(this.#options.connectDelayMs ?? 30, () => {
      if (this.#pendingConnect !== pending) return;
      this.#pendingConnect = undefined;
      if (!this.inRange) {
        this.state = "disconnected";
        pending.reject(new Error("connection failed (peripheral went out of range)"));
        return;
      }
      this.state = "connected";
      pending.resolve();
    });
  }

  #linkDown(): void {
    this.state = "disconnected";
    this.#subscribed.clear();
    this.#stopStream();
  }

  #startStream(): void {
    const b = this.#options.behaviour;
    if (this.#streaming || !b || b.notifications.length === 0) return;
    this.#streaming = true;
    const tick = (): void => {
      if (!this.#streaming) return;
      this.#notify(b.notifications[this.#position]);
      this.#position = (this.#position + 1) % b.notifications.length;
      this.#streamTimer = this.#noble.scheduler.setTimer(b.intervalMs, tick);
    };
    this.#streamTimer = this.#noble.scheduler.setTimer(b.intervalMs, tick);
  }

  #stopStream(): void {
    this.#streaming = false;
    this.#streamTimer?.();
    this.#streamTimer = undefined;
  }

  /** Notifications reach only subscribed characteristics (the CCCD is what enables them). */
  #notify(n: FakeNotification): void {
    const char = norm(n.char);
    const c = this.#chars.get(char);
    if (!c || !this.#subscribed.has(char) || this.state !== "connected") return;
    this.sent++;
    c.emit("data", Buffer.from(n.bytes), true);
  }
}

export class FakeCharacteristic extends EventEmitter {
  readonly uuid: string;
  readonly properties: string[];
  readonly #p: FakePeripheral;

  constructor(p: FakePeripheral, uuid: string, properties: string[]) {
    super();
    this.#p = p;
    this.uuid = uuid;
    this.properties = properties;
  }

  subscribeAsync(): Promise<void> {
    return this.#p.gatt({ op: "subscribe", tMs: 0, address: this.#p.address, char: this.uuid }, () => this.#p.onSubscribe(this.uuid, true));
  }

  unsubscribeAsync(): Promise<void> {
    return this.#p.gatt({ op: "unsubscribe", tMs: 0, address: this.#p.address, char: this.uuid }, () => this.#p.onSubscribe(this.uuid, false));
  }

  writeAsync(data: Buffer, withoutResponse: boolean): Promise<void> {
    const bytes = new Uint8Array(data);
    return this.#p.gatt({ op: "write", tMs: 0, address: this.#p.address, char: this.uuid, hex: hex(bytes), withoutResponse }, () =>
      this.#p.onWrite(this.uuid, bytes),
    );
  }

  readAsync(): Promise<Uint8Array> {
    return this.#p.gatt({ op: "read", tMs: 0, address: this.#p.address, char: this.uuid }, () => {
      const value = Buffer.from(this.#p.readValue(this.uuid));
      this.emit("data", value, false); // noble emits read responses as `data` too
      return value;
    });
  }
}

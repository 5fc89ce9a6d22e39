/**
 * The part of @abandonware/noble that packages/ble uses (BLE-PROTOCOLS.md §6.2), as structural
 * types so that the real noble and testing/fake-noble.ts both fit. UUIDs are noble's form:
 * lower-case hex without dashes.
 */

export type NobleState = "unknown" | "resetting" | "unsupported" | "unauthorized" | "poweredOff" | "poweredOn";

/** Listener registration shared by noble's EventEmitters. */
export interface NobleEmitter<Events extends Record<string, (...args: never[]) => void>> {
  on<E extends keyof Events & string>(event: E, listener: Events[E]): unknown;
  removeListener<E extends keyof Events & string>(event: E, listener: Events[E]): unknown;
}

export interface NobleLike
  extends NobleEmitter<{
    stateChange: (state: string) => void;
    discover: (peripheral: PeripheralLike) => void;
    /** noble reports binding init failures as warnings (lib/noble.js `newListener`). */
    warning: (message: string) => void;
  }> {
  /** Reading it initialises the bindings (and may throw if there is no adapter) [N1 CHANGELOG 1.9.0]. */
  readonly state: string;
  startScanningAsync(serviceUuids?: string[], allowDuplicates?: boolean): Promise<void>;
  stopScanningAsync(): Promise<void>;
}

export interface AdvertisementLike {
  localName?: string;
  serviceUuids?: string[];
  manufacturerData?: Uint8Array | null;
}

/**
 * LE connection parameters noble passes to HCI LE Create Connection: intervals in 1.25 ms units,
 * timeout in 10 ms units [BLE-PROTOCOLS.md §6.4, N1 lib/hci-socket/hci.js createLeConn].
 */
export interface ConnectParameters {
  minInterval: number;
  maxInterval: number;
  latency: number;
  timeout: number;
}

export interface ServicesAndCharacteristicsLike {
  services: unknown[];
  characteristics: CharacteristicLike[];
}

export interface PeripheralLike
  extends NobleEmitter<{
    disconnect: (reason?: unknown) => void;
  }> {
  /** noble's peripheral id (the address without colons on Linux, an OS id on macOS). */
  readonly id: string;
  /** "aa:bb:cc:dd:ee:ff" on Linux; empty on macOS. */
  readonly address: string;
  readonly advertisement: AdvertisementLike;
  readonly rssi: number;
  readonly state?: string;
  /**
   * abandonware's index.d.ts declares `connectAsync(): Promise<void>` without parameters, but
   * lib/peripheral.js passes `options` through to hci.createLeConn [BLE-PROTOCOLS.md §6.4];
   * this type states what the code really accepts.
   */
  connectAsync(parameters?: Partial<ConnectParameters>): Promise<void>;
  disconnectAsync(): Promise<void>;
  /** Abandons a pending LE Create Connection (the HCI binding otherwise waits for ever). */
  cancelConnect?(): void;
  discoverSomeServicesAndCharacteristicsAsync(serviceUuids: string[], characteristicUuids: string[]): Promise<ServicesAndCharacteristicsLike>;
}

export interface CharacteristicLike
  extends NobleEmitter<{
    /** Notifications and read responses (`isNotification` tells which) [N1 README]. */
    data: (data: Uint8Array, isNotification: boolean) => void;
  }> {
  readonly uuid: string;
  readonly properties?: string[];
  subscribeAsync(): Promise<void>;
  unsubscribeAsync(): Promise<void>;
  /** noble wants a Buffer; Buffer.from(bytes) at the call site. */
  writeAsync(data: Buffer, withoutResponse: boolean): Promise<void>;
  readAsync(): Promise<Uint8Array>;
}

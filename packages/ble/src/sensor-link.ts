import { CONNECTION_INTERVAL_RANGE_UNITS, requestedConnectionIntervalUnits, type DeviceModule, type DeviceOptions } from "@spinewatch/devices";
import { backoffDelayMs, DEFAULT_BACKOFF, nextPhase, type BackoffOptions, type LinkPhase, type LinkTrigger } from "./link-states.js";
import type { CharacteristicLike, ConnectParameters, PeripheralLike } from "./noble-types.js";
import { withTimeout, type BleScheduler, type CancelTimer } from "./scheduler.js";
import { characteristicMap, runSteps, StaleRunError, type CharacteristicMap } from "./setup-runner.js";

/**
 * Requested LE connection parameters when a sensor's notification period is unknown (else one
 * interval of this range: connectParametersFor): 7.5–15 ms interval, no latency, 2 s supervision
 * timeout (BLE-PROTOCOLS.md §6.4 example values). noble's own defaults are 7.5–22.5 ms and a 420 ms
 * supervision timeout; 2 s rides out a body briefly shadowing the antenna instead of dropping
 * the link. A 15 ms interval still carries ≥ 66 notifications/s, ample for one notification
 * per WitMotion batch (~25/s) and DOT at 60 Hz (§6.4 estimate).
 */
export const DEFAULT_CONNECT_PARAMETERS: ConnectParameters = {
  minInterval: CONNECTION_INTERVAL_RANGE_UNITS.min,
  maxInterval: CONNECTION_INTERVAL_RANGE_UNITS.max,
  latency: 0,
  timeout: 200,
};

/**
 * The parameters requested for one sensor: when its notification period is known, one fixed
 * interval in that range, the one whose connection events the notifications meet at the most
 * finely spread phases (devices common/connection-interval.ts: at 15 ms WitMotion's 40 ms batches
 * meet them at three phases only, and the samples' placement is ambiguous by up to 5 ms). A
 * peripheral may still ask the host for other parameters afterwards (§6.4; on Linux the kernel
 * answers): what the link really runs at is not visible to noble.
 */
export function connectParametersFor(module: DeviceModule, deviceOptions: DeviceOptions): ConnectParameters {
  const units = requestedConnectionIntervalUnits(module, deviceOptions);
  if (units === undefined) return DEFAULT_CONNECT_PARAMETERS;
  return { ...DEFAULT_CONNECT_PARAMETERS, minInterval: units, maxInterval: units };
}

export interface SensorLinkTiming {
  /** LE Create Connection waits for ever in noble's HCI binding: give up after this, ms. */
  connectTimeoutMs: number;
  /** Per discovery or GATT step, ms. */
  stepTimeoutMs: number;
  /** No notification for this long while streaming counts as a lost link, ms. */
  silenceTimeoutMs: number;
  backoff: BackoffOptions;
}

export const DEFAULT_LINK_TIMING: SensorLinkTiming = {
  connectTimeoutMs: 10_000,
  stepTimeoutMs: 5_000,
  silenceTimeoutMs: 5_000,
  backoff: DEFAULT_BACKOFF,
};

export interface PhaseChange {
  from: LinkPhase;
  to: LinkPhase;
  trigger: LinkTrigger;
  /** Why (an error's message, the disconnect reason) when there is one. */
  detail?: string;
  /** Connection attempts that failed in a row (0 once streaming). */
  failures: number;
  /** When lost: the wait before the next try, ms. */
  retryInMs?: number;
}

export interface SensorLinkOptions {
  label: string;
  peripheral: PeripheralLike;
  module: DeviceModule;
  deviceOptions: DeviceOptions;
  scheduler: BleScheduler;
  connectParameters?: ConnectParameters;
  timing?: Partial<SensorLinkTiming>;
  /** A notification (or read response) from one of the module's data characteristics. */
  onPacket(char: string, bytes: Uint8Array): void;
  onPhase(change: PhaseChange): void;
  /** Something went wrong that does not end the link (a failed battery poll, a failed teardown). */
  onProblem(code: string, message: string): void;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * The connection manager of one sensor: connect with the requested interval, discover, run the
 * device module's setup steps in order, stream, poll (battery), and on a lost link reconnect
 * with exponential backoff until `maxAttempts` failures in a row make it `failed`. Every state
 * change goes through the transition table in link-states.ts.
 *
 * MTU: noble's HCI binding asks for an ATT MTU of 256 itself right after connecting
 * (BLE-PROTOCOLS.md §6.4), which Movella's long payloads (63 B) and WitMotion's batched frames
 * need; there is nothing to request here.
 */
export class SensorLink {
  readonly #o: SensorLinkOptions;
  readonly #timing: SensorLinkTiming;
  #phase: LinkPhase = "idle";
  /** Bumped on every transition: async work from an older phase sees it and stops. */
  #generation = 0;
  #failures = 0;
  /** Retries since the link last streamed: the next backoff wait grows with it. */
  #retries = 0;
  #timers: CancelTimer[] = [];
  #listening: { char: CharacteristicLike; listener: (data: Uint8Array) => void }[] = [];
  #chars: CharacteristicMap = new Map();
  #lastDataMs = 0;
  #polling = false;
  readonly #onDisconnect = (reason?: unknown): void => {
    this.#dispatch("disconnect", `disconnected${reason !== undefined ? ` (reason ${String(reason)})` : ""}`);
  };

  constructor(options: SensorLinkOptions) {
    this.#o = options;
    this.#timing = { ...DEFAULT_LINK_TIMING, ...options.timing, backoff: { ...DEFAULT_BACKOFF, ...options.timing?.backoff } };
  }

  get phase(): LinkPhase {
    return this.#phase;
  }

  /** Connection attempts that failed in a row. */
  get failures(): number {
    return this.#failures;
  }

  start(): void {
    this.#o.peripheral.on("disconnect", this.#onDisconnect);
    this.#dispatch("start");
  }

  /**
   * Stops streaming cleanly (the module's teardown steps, best effort), disconnects, and leaves
   * the link idle. Safe in any phase.
   */
  async stop(): Promise<void> {
    const from = this.#phase;
    const wasStreaming = from === "streaming";
    const chars = this.#chars;
    this.#dispatch("stop");
    this.#o.peripheral.removeListener("disconnect", this.#onDisconnect);
    const gen = this.#generation;
    if (wasStreaming) {
      try {
        await runSteps(this.#o.module.teardown(this.#o.deviceOptions), chars, this.#stepContext(() => this.#generation === gen));
      } catch (err) {
        if (!(err instanceof StaleRunError)) this.#o.onProblem("ble-teardown-failed", message(err));
      }
    }
    const p = this.#o.peripheral;
    if (from === "connecting" || from === "reconnecting") p.cancelConnect?.();
    // noble's HCI binding sends a disconnect for whatever handle it has; ask only when connected.
    if (p.state === undefined || p.state === "connected" || p.state === "connecting") await p.disconnectAsync().catch(() => undefined);
  }

  #dispatch(trigger: LinkTrigger, detail?: string): void {
    const from = this.#phase;
    const to = nextPhase(from, trigger);
    if (to === undefined) return;
    this.#phase = to;
    const gen = ++this.#generation;
    this.#clearTimers();
    if (to !== "configuring" && to !== "streaming") this.#unlisten();

    let retryInMs: number | undefined;
    if (to === "lost") {
      // A link lost while streaming is not a failed attempt; one lost while connecting or configuring is.
      if (from !== "streaming") this.#failures++;
      if (this.#failures < this.#timing.backoff.maxAttempts) retryInMs = backoffDelayMs(this.#retries + 1, this.#timing.backoff);
    }
    if (to === "reconnecting") this.#retries++;
    if (to === "streaming") this.#failures = this.#retries = 0;
    if (to === "idle" || (to === "connecting" && from === "failed")) this.#failures = this.#retries = 0;
    this.#o.onPhase({ from, to, trigger, failures: this.#failures, ...(detail !== undefined ? { detail } : {}), ...(retryInMs !== undefined ? { retryInMs } : {}) });
    if (gen !== this.#generation) return; // a listener stopped the link

    switch (to) {
      case "connecting":
      case "reconnecting":
        void this.#connect(gen);
        break;
      case "configuring":
        void this.#configure(gen);
        break;
      case "streaming":
        this.#startStreamingTimers();
        break;
      case "lost":
        // Our side may still hold the connection (a setup step failed): drop it before retrying.
        if (trigger === "error" && (from === "configuring" || from === "streaming")) void this.#o.peripheral.disconnectAsync().catch(() => undefined);
        if (retryInMs === undefined) this.#dispatch("give-up", `gave up after ${this.#failures} failed connection attempts`);
        else this.#timers.push(this.#o.scheduler.setTimer(retryInMs, () => this.#dispatch("retry")));
        break;
    }
  }

  async #connect(gen: number): Promise<void> {
    const p = this.#o.peripheral;
    const params = this.#o.connectParameters ?? connectParametersFor(this.#o.module, this.#o.deviceOptions);
    try {
      // abandonware's typings omit connectAsync's argument; noble passes it on to
      // hci.createLeConn (BLE-PROTOCOLS.md §6.4), so PeripheralLike declares it.
      await withTimeout(this.#o.scheduler, p.connectAsync(params), this.#timing.connectTimeoutMs, () => {
        p.cancelConnect?.();
        return new Error(`not connected within ${this.#timing.connectTimeoutMs / 1000} s`);
      });
    } catch (err) {
      if (gen === this.#generation) this.#dispatch("error", `connect failed: ${message(err)}`);
      return;
    }
    if (gen !== this.#generation) {
      // Stopped while connecting: do not leave a connection behind.
      if (this.#phase === "idle") void p.disconnectAsync().catch(() => undefined);
      return;
    }
    this.#dispatch("connected");
  }

  async #configure(gen: number): Promise<void> {
    const { module, deviceOptions, peripheral } = this.#o;
    const isCurrent = (): boolean => gen === this.#generation;
    try {
      const found = await withTimeout(
        this.#o.scheduler,
        peripheral.discoverSomeServicesAndCharacteristicsAsync([...module.serviceUuids], []),
        this.#timing.stepTimeoutMs,
        () => new Error(`service discovery timed out after ${this.#timing.stepTimeoutMs / 1000} s`),
      );
      if (!isCurrent()) return;
      this.#chars = characteristicMap(found.characteristics);
      this.#listen(found.characteristics);
      await runSteps(module.setup(deviceOptions), this.#chars, this.#stepContext(isCurrent));
    } catch (err) {
      if (err instanceof StaleRunError || !isCurrent()) return;
      this.#dispatch("error", `setup failed: ${message(err)}`);
      return;
    }
    this.#dispatch("configured");
  }

  #stepContext(isCurrent: () => boolean) {
    return { scheduler: this.#o.scheduler, stepTimeoutMs: this.#timing.stepTimeoutMs, isCurrent, label: this.#o.label };
  }

  /** Data listeners on the module's data characteristics, fresh for every connection. */
  #listen(chars: readonly CharacteristicLike[]): void {
    this.#unlisten();
    this.#lastDataMs = this.#o.scheduler.nowMs();
    for (const char of chars) {
      if (!this.#o.module.isDataChar(char.uuid)) continue;
      const uuid = char.uuid;
      const listener = (data: Uint8Array): void => {
        this.#lastDataMs = this.#o.scheduler.nowMs();
        // Copy: noble's buffer may be a view into a larger HCI packet.
        this.#o.onPacket(uuid, Uint8Array.from(data));
      };
      char.on("data", listener);
      this.#listening.push({ char, listener });
    }
  }

  #unlisten(): void {
    for (const { char, listener } of this.#listening) char.removeListener("data", listener);
    this.#listening = [];
  }

  #clearTimers(): void {
    for (const cancel of this.#timers) cancel();
    this.#timers = [];
  }

  #every(ms: number, fn: () => void): void {
    const gen = this.#generation;
    const tick = (): void => {
      if (gen !== this.#generation) return;
      fn();
      if (gen === this.#generation) this.#timers.push(this.#o.scheduler.setTimer(ms, tick));
    };
    this.#timers.push(this.#o.scheduler.setTimer(ms, tick));
  }

  #startStreamingTimers(): void {
    const { module, deviceOptions, scheduler } = this.#o;
    const silenceMs = this.#timing.silenceTimeoutMs;
    this.#lastDataMs = Math.max(this.#lastDataMs, scheduler.nowMs());
    // Any notification counts as life (WitMotion's polled register replies too). The check
    // re-arms for `silenceMs` after the latest notification, so a silent link is lost exactly
    // `silenceMs` after its last packet.
    const gen = this.#generation;
    const watch = (): void => {
      if (gen !== this.#generation) return;
      const quietMs = scheduler.nowMs() - this.#lastDataMs;
      if (quietMs >= silenceMs) this.#dispatch("error", `no data for ${Math.round(quietMs) / 1000} s`);
      else this.#timers.push(scheduler.setTimer(silenceMs - quietMs, watch));
    };
    this.#timers.push(scheduler.setTimer(silenceMs, watch));
    // Battery (and WitMotion's quaternion) by polling where the device needs it; the replies
    // arrive as notifications and are recorded like any other packet.
    if (module.poll && module.pollIntervalMs) {
      const poll = module.poll(deviceOptions);
      this.#every(module.pollIntervalMs, () => {
        if (this.#polling) return;
        this.#polling = true;
        runSteps(poll, this.#chars, this.#stepContext(() => gen === this.#generation))
          .catch((err: unknown) => {
            if (!(err instanceof StaleRunError)) this.#o.onProblem("ble-poll-failed", message(err));
          })
          .finally(() => {
            this.#polling = false;
          });
      });
    }
  }
}

import { getDeviceModule, type DeviceOptions } from "@spinewatch/devices";
import type { MountPreset, SensorInfo, SensorSource, SessionInfo, SourceEvent } from "@spinewatch/protocol";
import { Observable } from "rxjs";
import type { BleFoundSensor } from "./found-sensors.js";
import type { ConnectParameters, PeripheralLike } from "./noble-types.js";
import type { RoleName } from "./role-match.js";
import { schedulerOf, type BleEnvironment } from "./scanner.js";
import type { BleScheduler, CancelTimer } from "./scheduler.js";
import { DEFAULT_MOUNT, deviceSettings } from "./sensor-defaults.js";
import { SensorLink, type PhaseChange, type SensorLinkTiming } from "./sensor-link.js";

/** How the source connects and streams; all optional. */
export interface BleStreamOptions extends BleEnvironment {
  /** Per role: device options (rateHz, payloadMode, axisMode, …) over the family defaults. */
  deviceOptions?: Partial<Record<RoleName, DeviceOptions>>;
  /** Per role: how the sensor is strapped on (default sensor-defaults.ts DEFAULT_MOUNT). */
  mounts?: Partial<Record<RoleName, MountPreset>>;
  connectParameters?: ConnectParameters;
  timing?: Partial<SensorLinkTiming>;
  /** While no packet arrives, a `stamp` event this often so the pipeline sees time pass, ms (default 250). */
  stampIntervalMs?: number;
}

/** A sensor chosen for a role, with the peripheral noble found it as. */
export interface AssignedSensor {
  role: RoleName;
  found: BleFoundSensor;
  peripheral: PeripheralLike;
}

/** One link's phase, for a status display richer than the recorded LinkState. */
export interface LinkSnapshot {
  sensorId: string;
  change: PhaseChange;
}

const SENSOR_ROLE = { sacrum: "sacrum", thoracic: "thoracolumbar" } as const;

/**
 * Two real sensors as a SensorSource (kind "ble"). `events()` is cold: subscribing connects
 * both sensors, unsubscribing stops them cleanly and disconnects. It emits every raw
 * notification as a `packet` (host time = ms since the subscription, from the injected
 * clock/scheduler; the gateway records these), link `status` events (connecting, streaming,
 * lost, reconnected), `problem`s in-band, and `stamp`s during silence. Decoding is the
 * pipeline's (packages/devices), so a recording holds exactly what the radio delivered.
 * One subscriber at a time: the sensors have one connection each.
 */
export class BleSource implements SensorSource {
  readonly kind = "ble" as const;
  readonly info: SessionInfo;
  readonly sensors: readonly AssignedSensor[];
  readonly #options: BleStreamOptions;
  readonly #scheduler: BleScheduler;
  readonly #settings: { id: string; options: DeviceOptions }[];
  readonly #linkListeners = new Set<(s: LinkSnapshot) => void>();
  #active = false;

  constructor(sensors: readonly AssignedSensor[], options: BleStreamOptions = {}) {
    this.sensors = sensors;
    this.#options = options;
    this.#scheduler = schedulerOf(options);
    this.#settings = [];
    const infos: SensorInfo[] = sensors.map((s) => {
      const { rateHz, options: deviceOptions } = deviceSettings(s.found.device, options.deviceOptions?.[s.role]);
      this.#settings.push({ id: s.role, options: deviceOptions });
      const name = [s.found.name, s.found.address].filter(Boolean).join(" ");
      return { id: s.role, role: SENSOR_ROLE[s.role], device: s.found.device, rateHz, mount: { ...(options.mounts?.[s.role] ?? DEFAULT_MOUNT) }, deviceOptions, name };
    });
    this.info = { sensors: infos };
  }

  /** Every phase change of every link (idle … failed), e.g. for a pairing or status view. */
  onLinkChange(listener: (s: LinkSnapshot) => void): () => void {
    this.#linkListeners.add(listener);
    return () => this.#linkListeners.delete(listener);
  }

  events(): Observable<SourceEvent> {
    return new Observable<SourceEvent>((subscriber) => {
      if (this.#active) {
        subscriber.error(new Error("this BLE source is already streaming to another subscriber"));
        return;
      }
      this.#active = true;
      const scheduler = this.#scheduler;
      const startMs = scheduler.nowMs();
      let lastEmitMs = startMs;
      const emit = (ev: SourceEvent): void => {
        lastEmitMs = scheduler.nowMs();
        subscriber.next(ev);
      };
      const hostTimeMs = (): number => scheduler.nowMs() - startMs;

      const links = this.sensors.map((s, i) => {
        const sensorId = s.role;
        const module = getDeviceModule(s.found.device);
        const label = `${s.role} (${s.found.name || s.found.address})`;
        let streamed = false;
        const onPhase = (c: PhaseChange): void => {
          for (const l of this.#linkListeners) l({ sensorId, change: c });
          const status = (state: "connecting" | "streaming" | "lost" | "reconnected", detail?: string): void =>
            emit({ type: "status", sensorId, hostTimeMs: hostTimeMs(), state, ...(detail ? { detail } : {}) });
          if (c.to === "connecting") status("connecting", `${s.found.model} ${s.found.address}`);
          else if (c.to === "configuring" && c.from === "reconnecting") status("reconnected");
          else if (c.to === "streaming" && !streamed) {
            streamed = true;
            status("streaming");
          } else if (c.to === "lost" && c.from !== "reconnecting") {
            status("lost", c.retryInMs !== undefined ? `${c.detail}; retrying in ${c.retryInMs / 1000} s` : c.detail);
          } else if (c.to === "failed") {
            emit({ type: "problem", sensorId, hostTimeMs: hostTimeMs(), code: "ble-link-failed", message: `${label}: ${c.detail ?? "failed"}; not retrying` });
          }
        };
        return new SensorLink({
          label,
          peripheral: s.peripheral,
          module,
          deviceOptions: this.#settings[i].options,
          scheduler,
          connectParameters: this.#options.connectParameters,
          timing: this.#options.timing,
          onPacket: (char, bytes) => emit({ type: "packet", sensorId, hostTimeMs: hostTimeMs(), char, bytes }),
          onPhase,
          onProblem: (code, message) => emit({ type: "problem", sensorId, hostTimeMs: hostTimeMs(), code, message: `${label}: ${message}` }),
        });
      });

      const stampMs = this.#options.stampIntervalMs ?? 250;
      let cancelStamp: CancelTimer = () => undefined;
      const stamp = (): void => {
        if (scheduler.nowMs() - lastEmitMs >= stampMs) emit({ type: "stamp", hostTimeMs: hostTimeMs() });
        cancelStamp = scheduler.setTimer(stampMs, stamp);
      };
      cancelStamp = scheduler.setTimer(stampMs, stamp);

      for (const link of links) link.start();
      return () => {
        cancelStamp();
        this.#active = false;
        for (const link of links) void link.stop();
      };
    });
  }
}

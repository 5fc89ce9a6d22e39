import { getDeviceModule } from "@spinewatch/devices";
import { MAX_TRANSPORT_LATENCY_MS, type SensorInfo } from "@spinewatch/protocol";

/**
 * The latency the sensor clock subtracts from every mapped time, ms: how long after a sample is
 * taken its notification reaches the host, at the least (the clock's lower envelope places
 * every sample at its earliest possible arrival).
 *
 * BLE latency is invisible in the arrival times; DESIGN.md (Calibration, last paragraph): "a
 * per-device latency constant is the honest fix for fast movements". So a *measured* value
 * wins: `deviceOptions.transportLatencyMs` in the recording header (written by the gateway from
 * `spinewatch serve --latency-ms`, or by the simulator when told its link's constant part). Without it, the device
 * module's lower bound (DeviceModule.minTransportLatencyMs, a notification's air time); 0 for
 * generic sample input (no packets).
 */
export function sensorTransportLatencyMs(info: SensorInfo): number {
  const measured = info.deviceOptions?.transportLatencyMs;
  if (measured !== undefined) {
    if (typeof measured !== "number" || !(measured >= 0 && measured <= MAX_TRANSPORT_LATENCY_MS)) {
      throw new Error(`sensor ${info.id}: deviceOptions.transportLatencyMs must be a number of ms in 0-${MAX_TRANSPORT_LATENCY_MS}, got ${JSON.stringify(measured)}`);
    }
    return measured;
  }
  if (info.device === "generic") return 0;
  const options = { rateHz: info.rateHz, ...(info.deviceOptions ?? {}) };
  return getDeviceModule(info.device, options).minTransportLatencyMs?.(options) ?? 0;
}

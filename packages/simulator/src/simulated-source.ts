import type { Clock, DataLine, SensorSource, SessionInfo, SourceEvent, TruthEventLine, TruthLine } from "@spinewatch/protocol";
import { hexToBytes } from "@spinewatch/devices";
import { Observable } from "rxjs";
import { resolveSimulation, sessionSensorInfo, simulateSession } from "./simulate-session.js";
import type { SimulationOptions } from "./simulation-options.js";

export interface SimulatedSourceOptions extends SimulationOptions {
  /** Receives the ground truth as it is due (benchmarks measure latency against it). */
  onTruth?: (line: TruthLine | TruthEventLine) => void;
}

/** A live simulated session runs this long unless durationS says otherwise (a lazy plan costs nothing). */
const LIVE_DEFAULT_DURATION_S = 8 * 3600;

/** A recording line as the event a live source emits; truth and header lines are not source events. */
export function lineToSourceEvent(line: DataLine): SourceEvent | null {
  switch (line.type) {
    case "packet":
      return { type: "packet", sensorId: line.sensor, hostTimeMs: line.tMs, char: line.char, bytes: hexToBytes(line.hex) };
    case "sample": {
      const { accMps2, gyrDps, sensorTimeUs, magUt, quatWxyz } = line;
      return {
        type: "sample",
        sensorId: line.sensor,
        hostTimeMs: line.tMs,
        sample: {
          accMps2,
          gyrDps,
          ...(sensorTimeUs !== undefined ? { sensorTimeUs } : {}),
          ...(magUt ? { magUt } : {}),
          ...(quatWxyz ? { quatWxyz } : {}),
        },
      };
    }
    case "status":
      return { type: "status", sensorId: line.sensor, hostTimeMs: line.tMs, state: line.state, ...(line.detail ? { detail: line.detail } : {}) };
    case "event":
      return { type: "mark", hostTimeMs: line.tMs, event: line };
    default:
      return null;
  }
}

/**
 * The simulator as a live SensorSource: the lines of {@link simulateSession}, each emitted when
 * the injected clock reaches its tMs (counted from subscription). Cold: every subscription
 * starts the session anew; unsubscribing stops it. Same options, same events, whatever the
 * clock, so a fake clock in tests sees exactly what real time would.
 */
export function createSimulatedSource(options: SimulatedSourceOptions, clock: Clock): SensorSource {
  const { onTruth, ...rest } = options;
  const simOptions: SimulationOptions = { ...rest, durationS: rest.durationS ?? LIVE_DEFAULT_DURATION_S };
  const resolved = resolveSimulation(simOptions); // bad options fail here, before anyone subscribes
  const info: SessionInfo = { sensors: sessionSensorInfo(resolved), exercise: resolved.scenario.exercise, limits: { ...resolved.limits } };
  return {
    kind: "sim",
    info,
    events: () =>
      new Observable<SourceEvent>((subscriber) => {
        let stopped = false;
        const run = async () => {
          const startMs = clock.nowMs();
          for (const line of simulateSession(simOptions)) {
            if (stopped) return;
            if (line.type === "header") continue;
            if (line.type === "truth-event") {
              onTruth?.(line);
              continue;
            }
            const waitMs = startMs + line.tMs - clock.nowMs();
            if (waitMs > 0) await clock.sleep(waitMs);
            if (stopped) return;
            if (line.type === "truth") {
              onTruth?.(line);
              continue;
            }
            const event = lineToSourceEvent(line);
            if (event) subscriber.next(event);
          }
          if (!stopped) subscriber.complete();
        };
        run().catch((err: unknown) => {
          if (!stopped) subscriber.error(err);
        });
        return () => {
          stopped = true;
        };
      }),
  };
}

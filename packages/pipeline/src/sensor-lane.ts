import type { LinkState, MovementEvent, ProblemReport, SensorInfo, SensorStatus, SourceEvent } from "@spinewatch/protocol";
import type { BodyMotion } from "./body-motion.js";
import type { PartnerMotion } from "./partner-motion.js";
import { SensorDecoder } from "./decode-stage.js";
import { OrientationStage } from "./orientation-stage.js";
import { SensorClock, type ClockReport } from "./sensor-clock.js";
import { sensorTransportLatencyMs } from "./transport-latency.js";
import type { Emit, OrientedSample, PacketSample } from "./types.js";

export interface SensorLaneOptions {
  reseedGapMs?: number;
  reconvergeMs?: number;
  /** Shared by the lanes of one pipeline (OrientationStageOptions.bodyMotion). */
  bodyMotion?: BodyMotion;
  /** Shared by the lanes of one pipeline (OrientationStageOptions.partnerMotion). */
  partnerMotion?: PartnerMotion;
}

/**
 * Everything that happens to one sensor's data before pairing, as one processor: decode ->
 * clock -> orientation (DESIGN.md data flow). Plain calls, no rxjs between the stages.
 */
export class SensorLane {
  readonly info: SensorInfo;
  readonly decoder: SensorDecoder;
  readonly clock: SensorClock;
  readonly orientation: OrientationStage;
  link: LinkState | "idle" = "idle";
  stale = false;
  /** Counters at the last status report, for the per-interval rate and loss. */
  #reportedSamples = 0;
  #reportedLost = 0;
  #emitOriented: Emit<OrientedSample> = () => {};
  #emitProblem: Emit<ProblemReport> = () => {};
  #emitEvent: Emit<MovementEvent> = () => {};
  readonly #onSample: Emit<PacketSample>;
  readonly #onClockReport: (r: ClockReport) => void;

  constructor(info: SensorInfo, options: SensorLaneOptions = {}) {
    this.info = info;
    this.decoder = new SensorDecoder(info);
    this.clock = new SensorClock(info.id, info.rateHz, { transportLatencyMs: sensorTransportLatencyMs(info) });
    // The pivot fit models a segment turning about a fixed point: the pelvis about the hips in a
    // hinge or swing. The T12/L1 sensor turns with the thorax about the lumbar spine, whose base
    // turns about the hips too: no fixed pivot, and its fits can pass their own checks and still
    // be off by 10° (simulator fixture kettlebell-swing.witmotion at 21.1 s: a 19° "correction"
    // after a 330 ms burst raised a false extension warning). It waits for a still moment.
    const pivot = info.role === "thoracolumbar" ? { pivotTilt: false as const } : {};
    this.orientation = new OrientationStage(info.id, { rateHz: info.rateHz, ...options, ...pivot });
    // Bound once: the per-sample path allocates no closures.
    this.#onSample = (s) => {
      const timed = this.clock.next(s, this.#onClockReport);
      if (timed === null) return;
      const o = this.orientation.next(timed);
      if (o === null) {
        if (this.orientation.counters.noOrientation === 1) {
          this.#emitProblem({ tMs: timed.tMs, sensor: this.info.id, code: "no-orientation", message: `sensor ${this.info.id}: samples carry neither a quaternion nor acc + gyro (Euler-only input is not converted: convention UNVERIFIED, BLE-PROTOCOLS.md §1)` });
        }
        return;
      }
      this.#emitOriented(o);
    };
    this.#onClockReport = (r) => {
      const id = this.info.id;
      switch (r.kind) {
        case "gap":
          this.#emitEvent({ kind: "sensor-gap", tMs: r.endMs, sensor: id, startMs: r.startMs, endMs: r.endMs, lostPackets: r.lostPackets });
          break;
        case "duplicate":
          this.#emitProblem({ tMs: r.tMs, sensor: id, code: "duplicate-sample", message: `sensor ${id}: sample with a repeated sensor timestamp dropped` });
          break;
        case "out-of-order":
          this.#emitProblem({ tMs: r.tMs, sensor: id, code: "out-of-order-sample", message: `sensor ${id}: sample older than its predecessor dropped` });
          break;
        case "clock-reset":
          this.#emitProblem({ tMs: r.tMs, sensor: id, code: "sensor-clock-reset", message: `sensor ${id}: ${r.detail}; clock mapping restarted` });
          break;
      }
    };
  }

  /** Sets where this lane's outputs go (once, by the pipeline core). */
  connect(oriented: Emit<OrientedSample>, problem: Emit<ProblemReport>, event: Emit<MovementEvent>): void {
    this.#emitOriented = oriented;
    this.#emitProblem = problem;
    this.#emitEvent = event;
  }

  /** A packet or sample event of this sensor. */
  next(ev: SourceEvent): void {
    if (this.link === "idle" || this.link === "connecting") this.link = "streaming";
    this.decoder.next(ev, this.#onSample, this.#emitProblem);
  }

  /** Link state from a status event; a reconnect restarts the byte-stream decoder. */
  setLink(state: LinkState): void {
    this.link = state;
    if (state === "reconnected") this.decoder.restart();
  }

  /** Live status over the interval since the last call (`sensors` output, wire SensorStatus). */
  status(intervalMs: number): SensorStatus {
    const c = this.clock.counters;
    const samples = c.samples - this.#reportedSamples;
    // A loss counted too big can be taken back (overcount-check.ts): never a negative share.
    const lost = Math.max(0, c.lostPackets - this.#reportedLost);
    this.#reportedSamples = c.samples;
    this.#reportedLost = c.lostPackets;
    const s: SensorStatus = {
      id: this.info.id,
      role: this.info.role,
      device: this.info.device,
      state: this.link === "lost" ? "lost" : this.stale ? "stale" : this.link,
      rateHz: intervalMs > 0 ? (samples * 1000) / intervalMs : 0,
      lossFraction: samples + lost > 0 ? lost / (samples + lost) : 0,
      lostPackets: c.lostPackets,
      samples: c.samples,
      gaps: c.gaps,
      longestGapMs: c.longestGapMs,
      badPackets: this.decoder.counters.badPackets,
      duplicates: c.duplicates + this.decoder.counters.duplicatePackets,
      outOfOrder: c.outOfOrder,
    };
    if (this.info.name !== undefined) s.name = this.info.name;
    if (this.decoder.counters.batteryPercent !== undefined) s.batteryPercent = this.decoder.counters.batteryPercent;
    return s;
  }

  reset(): void {
    this.decoder.reset();
    this.clock.reset();
    this.orientation.reset();
    this.link = "idle";
    this.stale = false;
    this.#reportedSamples = this.#reportedLost = 0;
  }
}

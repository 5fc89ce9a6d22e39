import type { SensorId, Vec3 } from "@spinewatch/protocol";
import { LowerEnvelopeClock, type LowerEnvelopeClockOptions } from "./lower-envelope-clock.js";
import { TimestampUnwrapper } from "./timestamp-unwrapper.js";
import { motionVerdict, packetChannel, type MotionVerdict } from "./motion-verdict.js";
import { LatencyExcess } from "./latency-excess.js";
import { OvercountCheck } from "./overcount-check.js";
import type { PacketSample, TimedSample } from "./types.js";

export type { TimedSample } from "./types.js";

/** Something the clock noticed, reported in-band (brief: gaps and lost packets per sensor). */
export type ClockReport =
  | { kind: "gap"; sensorId: SensorId; startMs: number; endMs: number; lostPackets: number }
  | { kind: "duplicate"; sensorId: SensorId; tMs: number }
  | { kind: "out-of-order"; sensorId: SensorId; tMs: number }
  | { kind: "clock-reset"; sensorId: SensorId; tMs: number; detail: string };

export interface SensorClockCounters {
  samples: number;
  lostPackets: number;
  gaps: number;
  longestGapMs: number;
  duplicates: number;
  outOfOrder: number;
  clockResets: number;
}

export interface SensorClockOptions extends LowerEnvelopeClockOptions {
  /** A step longer than this many nominal periods is a gap (brief: ~2.5). */
  gapPeriods?: number;
  /** A disagreement between the clocks beyond this re-synchronises the mapping, ms (sensor reboot). */
  resyncMs?: number;
  /**
   * The device's least transport latency, ms (DeviceModule.minTransportLatencyMs): the lower
   * envelope maps a sample to its earliest possible arrival, this much after it was taken.
   * Subtracted from every mapped time. Default 0.
   */
  transportLatencyMs?: number;
}

/** Smallest step between two mapped samples: time never stands still or goes back, ms. */
const MIN_STEP_MS = 0.001;

/**
 * Per-sensor clock (DESIGN.md data flow "sensor clock"): unwraps the sensor's timestamps,
 * maps them onto the host timeline with a {@link LowerEnvelopeClock}, drops duplicates and
 * out-of-order samples (counted, never reordered: reordering would add latency), and reports
 * gaps and lost samples.
 *
 * Devices without a clock (WitMotion, Thingy:52, MetaWear; BLE-PROTOCOLS.md summary table) get
 * a sample counter at the nominal rate as their "sensor time": the samples of a batched
 * notification take consecutive counts, so they are spread over the batch at 1/rate ending at
 * the packet's arrival, and the lower envelope of arrival − count·period locks the counter's
 * phase and rate onto the host clock. A packet arriving later than the locked counter allows
 * (beyond the typical latency excess) means samples were lost: the counter jumps over them.
 */
export class SensorClock {
  readonly sensorId: SensorId;
  readonly #periodMs: number;
  readonly #gapMs: number;
  readonly #resyncMs: number;
  readonly #latencyMs: number;
  readonly #envelope: LowerEnvelopeClock;
  readonly #unwrapper = new TimestampUnwrapper();
  readonly counters: SensorClockCounters = {
    samples: 0, lostPackets: 0, gaps: 0, longestGapMs: 0, duplicates: 0, outOfOrder: 0, clockResets: 0,
  };
  #lastTMs = -Infinity;
  #lastSensorUs: number | null = null;
  /** Counter (clockless devices): count of the last placed sample. */
  #count = -1;
  /** Count of the last sample placed, before any loss was added to #count (−1: none). */
  #countPlaced = -1;
  /** Counter of the packet being placed. */
  #packetBase = 0;
  /** Mean latency above the envelope, for the loss threshold. */
  readonly #excess = new LatencyExcess();
  /** Clockless: the envelope's drift has not been fitted yet (#excess restarts when it is). */
  #unfitted = true;
  /** Clockless: whether the loss counted before the previous packet was too big. */
  readonly #overcount = new OvercountCheck();
  /** Samples lost before the current one, attributed to the next gap report. */
  #pendingLost = 0;
  /** Clockless: the previous packet arrived late and was taken as delayed, not as a loss. */
  #lastPacketLate = false;
  /** Clockless: how many samples the late packet's lateness suggested were lost before it. */
  #lateEstimate = 0;
  /** Clockless: what the motion said of the late packet (taken as delayed). */
  #lateVerdict: MotionVerdict = "undecided";
  /** Clockless: late packets in a row taken as delayed. */
  #lateRun = 0;
  /** Clockless: every packet of that run was late by the same whole batches. */
  #lateRunUniform = false;
  /** Revision of an earlier packet's first step carried by the sample being placed, ms. */
  #revisionMs = 0;
  /** How many packets back the revised step lies. */
  #revisionPackets = 0;
  /** Sensor-time step of the sample being placed, ms (NaN: none). */
  #stepMs = Number.NaN;
  /** Clockless: gyro of the last two samples placed (older, newer; null: none), for continuity. */
  #gyrPrev: Vec3 | null = null;
  #gyrLast: Vec3 | null = null;
  /** Clockless: accelerometer of the last two samples placed, likewise. */
  #accPrev: Vec3 | null = null;
  #accLast: Vec3 | null = null;

  constructor(sensorId: SensorId, rateHz: number, options: SensorClockOptions = {}) {
    if (!(rateHz > 0)) throw new Error(`sensor ${sensorId}: nominal rate must be positive, got ${rateHz}`);
    this.sensorId = sensorId;
    this.#periodMs = 1000 / rateHz;
    this.#gapMs = (options.gapPeriods ?? 2.5) * this.#periodMs;
    this.#resyncMs = options.resyncMs ?? 2000;
    const latencyMs = options.transportLatencyMs ?? 0;
    if (!(latencyMs >= 0 && latencyMs < 1000)) throw new Error(`sensor ${sensorId}: transport latency must be 0-1000 ms, got ${latencyMs}`);
    this.#latencyMs = latencyMs;
    this.#envelope = new LowerEnvelopeClock(options);
  }

  get periodMs(): number {
    return this.#periodMs;
  }

  /** Estimated drift of the sensor's clock (or counter) against the host, ppm. */
  get driftPpm(): number {
    return this.#envelope.driftPpm;
  }

  /**
   * Places one sample. Returns it with `tMs` set, or null when it was dropped (duplicate or
   * out of order); `report` hears about gaps, drops and clock resets.
   */
  next(s: PacketSample, report: (r: ClockReport) => void): TimedSample | null {
    let mappedMs: number;
    this.#stepMs = Number.NaN;
    this.#revisionMs = 0;
    if (s.sensorTimeUs !== undefined) {
      const r = this.#placeTimestamped(s, report);
      if (r === null) return null;
      mappedMs = r;
    } else {
      mappedMs = this.#placeCounted(s, report);
    }
    let tMs = mappedMs - this.#latencyMs;
    if (tMs < this.#lastTMs + MIN_STEP_MS) tMs = this.#lastTMs + MIN_STEP_MS;
    const stepMs = tMs - this.#lastTMs;
    // A counter's losses are counted (#countLost); a long step without one is the line's own
    // correction (the first drift fit of a clock 7000 ppm slow: 21-31 ms), not a gap.
    const counted = s.sensorTimeUs === undefined;
    if (this.#lastTMs !== -Infinity && stepMs > this.#gapMs && !(counted && this.#pendingLost === 0)) {
      const lost = counted ? this.#pendingLost : Math.max(this.#pendingLost, Math.round(stepMs / this.#periodMs) - 1);
      this.counters.gaps++;
      if (stepMs > this.counters.longestGapMs) this.counters.longestGapMs = stepMs;
      if (lost > this.#pendingLost) this.counters.lostPackets += lost - this.#pendingLost;
      report({ kind: "gap", sensorId: this.sensorId, startMs: this.#lastTMs, endMs: tMs, lostPackets: lost });
    }
    this.#pendingLost = 0;
    this.#lastTMs = tMs;
    this.counters.samples++;
    const out = s as TimedSample;
    out.tMs = tMs;
    if (this.#stepMs > 0) out.stepMs = this.#stepMs;
    if (this.#revisionMs !== 0) {
      out.stepRevisionMs = this.#revisionMs;
      out.stepRevisionPackets = this.#revisionPackets;
    }
    return out;
  }

  reset(): void {
    this.#envelope.reset();
    this.#unwrapper.reset();
    this.#lastTMs = -Infinity;
    this.#lastSensorUs = null;
    this.#count = -1;
    this.#countPlaced = -1;
    this.#stepMs = Number.NaN;
    this.#excess.reset();
    this.#unfitted = true;
    this.#overcount.reset();
    this.#pendingLost = 0;
    this.#lastPacketLate = false;
    this.#gyrPrev = this.#gyrLast = null;
    this.#accPrev = this.#accLast = null;
    this.#lateEstimate = 0;
    this.#lateVerdict = "undecided";
    this.#lateRun = 0;
    this.#lateRunUniform = false;
    this.#revisionMs = 0;
    this.#revisionPackets = 0;
    for (const k of Object.keys(this.counters) as (keyof SensorClockCounters)[]) this.counters[k] = 0;
  }

  #placeTimestamped(s: PacketSample, report: (r: ClockReport) => void): number | null {
    const raw = s.sensorTimeUs as number;
    let us = this.#unwrapper.peek(raw);
    const resetsBefore = this.counters.clockResets;
    if (this.#lastSensorUs !== null) {
      const stepUs = us - this.#lastSensorUs;
      if (stepUs === 0) {
        this.counters.duplicates++;
        report({ kind: "duplicate", sensorId: this.sensorId, tMs: this.#lastTMs });
        return null;
      }
      if (stepUs < 0 && -stepUs < this.#resyncMs * 1000) {
        this.counters.outOfOrder++;
        report({ kind: "out-of-order", sensorId: this.sensorId, tMs: this.#lastTMs });
        return null;
      }
      const predictedHostMs = this.#envelope.map(us / 1000);
      if (stepUs < 0 || Math.abs(s.hostTimeMs - predictedHostMs) > this.#resyncMs + this.#excess.meanMs * 4) {
        // The sensor's clock restarted (reboot, reconnect) or jumped: start a new mapping.
        this.#resync(s.hostTimeMs, `sensor time stepped ${(stepUs / 1000).toFixed(1)} ms`, report);
        this.#unwrapper.reset();
        us = raw;
      } else if (stepUs > 1.5 * this.#periodMs * 1000) {
        this.#pendingLost += Math.round(stepUs / 1000 / this.#periodMs) - 1;
        this.counters.lostPackets += Math.round(stepUs / 1000 / this.#periodMs) - 1;
      }
    }
    this.#unwrapper.commit(raw, us);
    if (this.#lastSensorUs !== null && this.counters.clockResets === resetsBefore) this.#stepMs = (us - this.#lastSensorUs) / 1000;
    this.#lastSensorUs = us;
    const sMs = us / 1000;
    if (this.#envelope.started) this.#excess.add(this.#envelope.excess(sMs, s.hostTimeMs));
    this.#envelope.observe(sMs, s.hostTimeMs);
    return this.#envelope.map(sMs);
  }

  #placeCounted(s: PacketSample, report: (r: ClockReport) => void): number {
    const T = this.#periodMs;
    let revisedSamples = 0;
    let revisedPackets = 0;
    let overCounted = 0;
    if (s.indexInPacket === 0) {
      let last = this.#count + s.countInPacket;
      if (this.#envelope.started) {
        const drift = this.#envelope.unfittedDriftMs(last * T);
        // Until the envelope's first drift fit its line is flat, and a slow clock rises above it:
        // drift, not loss or latency. The mean latency restarts at the fit (averaging that drift
        // raised the loss threshold past whole lost batches: at 7000 ppm slow and 1 % loss, losses
        // went unseen for 2 minutes, samples 40-200 ms early; bench/diagnose-placement.ts).
        if (drift === 0 && this.#unfitted) {
          this.#unfitted = false;
          this.#excess.reset();
        }
        const excess = this.#envelope.excess(last * T, s.hostTimeMs) - drift;
        // The loss counted at the previous packet (or moved onto an earlier one) was too big
        // (overcount-check.ts): un-count it; the line drops to this packet (observe, below).
        overCounted = this.#overcount.check(excess, T, s.countInPacket);
        this.counters.lostPackets -= overCounted;
        if (excess > this.#resyncMs + this.#excess.meanMs * 4) {
          // A long silence: count the samples that would have come, then lock on again. In single
          // samples (a reconnected device batches afresh), as if this packet had no latency
          // excess: counted short, samples go early and the lower envelope rises only as its old
          // minima age out (~5 s: sensor-dropout, WitMotion seed 3, 10-20 ms early after the
          // return); counted long, they go late and the line drops at the next packet.
          const lost = Math.max(0, Math.round(excess / T));
          this.#countLost(lost);
          last += lost;
        } else if (excess > 0.5 * T + 3 * this.#excess.meanMs) {
          // Later than the locked counter allows: either this notification was delayed or
          // notifications before it were lost. BLE's link layer acknowledges every packet and
          // retransmits it at the next connection events until it is acknowledged (Bluetooth
          // Core Spec v5.3 Vol 6 Part B §4.5.9, "Acknowledgment and flow control"), and it keeps
          // notifications in order: a late notification is usually a delayed one, and its
          // successors, queued behind it, arrive bunched up and on time again. A lost one (the
          // sensor's queue overflowed, the link dropped) leaves every later notification late by
          // whole batches. So a packet late by about one batch is taken as delayed and placed
          // on the counter; a second late one in a row means samples were lost, counted then.
          // Later than that (≥ 1.5 batches: longer than a few retransmissions at the 7.5-30 ms
          // connection intervals noble negotiates, BLE-PROTOCOLS.md §6.4) is a loss at once.
          // Counting at once turned every retransmission of more than a connection interval
          // into a phantom lost batch: its samples placed 40 ms late, the next ones squeezed
          // behind them, and the filter integrated 40 ms of rotation that never happened
          // (measured on the simulator, kettlebell swings, WitMotion: inclination error in reps
          // 1.1-2.0° RMS with these sample times, 0.2-0.5° with the true ones).
          // The motion (#motionVerdict) refines this. "lost": the samples were lost right before
          // this packet. "delayed": this packet continues the previous one, so a loss can only lie
          // before the previous packet, and only if that one was late by the same samples and
          // its own motion did not say "delayed"; otherwise this is a second delay in a row (at a
          // 2 % retransmission rate, ~36 times an hour at 25 notifications/s). Counting such a
          // pair as a loss put 40 ms of phantom rotation into swings (simulator, WitMotion:
          // kettlebell-swing-overextension seed 2 at 210.8 s, 9.3° peak flexion error; seed 3 at
          // 334.7 s, 8° of pelvis tilt). A third late packet in a row is a loss whatever the
          // motion says (runs that long are rare). Undecided (slow motion): the rule above.
          const estimate = this.#excess.lostSamples(excess, T, s.countInPacket);
          const batch = { gyr: packetChannel(s, "gyrDps"), acc: packetChannel(s, "accMps2") }; // once per late packet
          const verdict = this.#motionVerdict(batch, estimate);
          const lossBeforePrevious = this.#lastPacketLate && this.#lateVerdict !== "delayed" && this.#lateEstimate === estimate;
          let lost = 0;
          let batchDelayed = false;
          if (estimate > s.countInPacket) {
            // Late by two batches or more: a loss. But a loss followed by a retransmission of
            // this notification looks the same one batch later, and counting that batch too put
            // 40 ms of phantom rotation into a swing (simulator, kettlebell-swing WitMotion
            // seed 3 at 424.6 s: 9 periods counted where 5 had passed, pelvis tilt 7.6° off).
            // When the motion says so, a batch fewer is counted and this packet is taken as late
            // by a batch, which a next late packet can still revise (TimedSample.stepRevisionMs).
            // First, though: a packet still late by what the packets before it were late by
            // (taken as delayed), whose motion shows only the rest lost since, says those
            // samples were lost before them: counted, and the run's first step revised, as
            // below. Otherwise, with every other batch lost, each packet took that batch over,
            // 40 ms early in turn (simulator, 5 % loss, swing-overextension WitMotion seed 1:
            // 12.7° of thorax error). Without the motion's word, revising cost as much as it
            // gained at 5 % loss (slow side bends), so then it is left as it was.
            const before = this.#lateEstimate;
            if (this.#lastPacketLate && this.#lateRunUniform && before < estimate && (this.#lateVerdict !== "delayed" || this.#lateRun >= 2) &&
              this.#motionVerdict(batch, estimate, estimate - before) === "delayed") {
              revisedPackets = this.#lateRun;
              revisedSamples = before;
              lost = estimate;
            } else {
              batchDelayed = this.#motionVerdict(batch, estimate, estimate - s.countInPacket) === "delayed";
              lost = batchDelayed ? estimate - s.countInPacket : estimate;
            }
          } else if (verdict === "lost") lost = estimate;
          else if (verdict === "delayed") lost = lossBeforePrevious || (this.#lastPacketLate && this.#lateRun >= 2) ? estimate : 0;
          else if (this.#lastPacketLate) lost = estimate;
          if (batchDelayed) {
            this.#countLost(lost);
            last += lost;
            this.#lastPacketLate = true;
            this.#lateRun = 1;
            this.#lateRunUniform = true;
            this.#lateEstimate = s.countInPacket;
            this.#lateVerdict = "undecided";
          } else if (lost >= 1) {
            // The previous packet, taken as delayed, was already late by these same samples:
            // the loss came before it, not before this one (the lateness appeared there first).
            // Its samples were placed `lost` periods early; the filter learns it through
            // TimedSample.stepRevisionMs and re-integrates that packet's first step. Likewise
            // for a longer run of packets all late by these samples (the third one is counted
            // as a loss whatever the motion said): the loss came before the run's first packet,
            // whose motion was misread. Counted at the third one instead, a lost notification at
            // a swing's bottom (rate turning at ~1000 °/s², where the linear extrapolation
            // favoured "delayed") put its 40 ms of rotation 80 ms late: 1.4° of pelvis tilt, a
            // 1.6° rep peak (simulator, kettlebell-swing-rounding WitMotion seed 1 at 269.4 s).
            if (verdict !== "lost" && this.#lastPacketLate && this.#lateEstimate === estimate) {
              if (this.#lateRunUniform && (lossBeforePrevious || this.#lateRun >= 2)) revisedPackets = this.#lateRun;
              else if (lossBeforePrevious) revisedPackets = 1;
              if (revisedPackets > 0) revisedSamples = lost;
            }
            // A revision may misread two delays in a row, taken back as a count is (simulator,
            // jefferson-curl WitMotion seed 6, 182.3 s: 2 packets 38.7 ms late, the next 24.8 ms
            // early; 1.5° of phantom thorax rotation until the curl's bottom, a rep peak 2.25° off).
            if (revisedPackets === 0 || revisedSamples === lost) this.#overcount.counted(lost, revisedPackets + 1);
            this.#countLost(lost);
            last += lost;
            this.#lastPacketLate = false;
            this.#lateRun = 0;
          } else {
            this.#lateRunUniform = !this.#lastPacketLate || (this.#lateRunUniform && this.#lateEstimate === estimate);
            this.#lastPacketLate = true;
            this.#lateRun++;
            this.#lateEstimate = estimate;
            this.#lateVerdict = verdict;
          }
        } else {
          this.#lastPacketLate = false;
          this.#lateRun = 0;
          this.#excess.add(excess);
        }
      }
      this.#envelope.observe(last * T, s.hostTimeMs);
      this.#packetBase = this.#count + 1;
    }
    const prevCount = this.#countPlaced;
    this.#count = this.#packetBase + s.indexInPacket;
    if (prevCount >= 0) this.#stepMs = (this.#count - prevCount - revisedSamples) * T;
    this.#revisionMs = (overCounted > 0 ? -overCounted : revisedSamples) * T;
    this.#revisionPackets = overCounted > 0 ? this.#overcount.packetsBack : revisedPackets;
    this.#countPlaced = this.#count;
    this.#gyrPrev = this.#gyrLast;
    this.#gyrLast = s.gyrDps ?? null;
    this.#accPrev = this.#accLast;
    this.#accLast = s.accMps2 ?? null;
    void report;
    return this.#envelope.map(this.#count * T);
  }

  /** What the motion says of a late packet (its channels from packetChannel; motion-verdict.ts). */
  #motionVerdict(batch: { gyr: Vec3[]; acc: Vec3[] }, lostSamples: number, fewerLost = 0): MotionVerdict {
    return motionVerdict(this.#gyrPrev, this.#gyrLast, batch.gyr, this.#accPrev, this.#accLast, batch.acc, lostSamples, fewerLost);
  }

  /** Samples lost before the packet being placed: counted, reported with the next gap, skipped on the counter. */
  #countLost(samples: number): void {
    this.#pendingLost += samples;
    this.counters.lostPackets += samples;
    this.#count += samples;
  }

  #resync(hostTimeMs: number, detail: string, report: (r: ClockReport) => void): void {
    this.counters.clockResets++;
    this.#envelope.reset();
    this.#excess.reset();
    this.#unfitted = true;
    report({ kind: "clock-reset", sensorId: this.sensorId, tMs: hostTimeMs, detail });
  }
}

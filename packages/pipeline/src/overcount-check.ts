/**
 * Clockless sensors: was the loss just counted too big? BLE keeps a link's notifications in order
 * and queues them behind one being retransmitted (Bluetooth Core Spec v5.3 Vol 6 Part B §4.5.9),
 * so a notification delayed by retransmissions arrives with its successors bunched right behind
 * it. When SensorClock counted lost samples before a late packet and the very next packet then
 * arrives a batch or more *below* the counter's line — earlier than any latency allows — the
 * count was too big by those batches: the late packet was (partly) delayed, not after a loss.
 * Only what shows below the line is taken back: when the late packet was placed it already
 * pulled the line down by what its count overshot its lateness, and the queueing behind it
 * hides more (a 70 ms delay counted as 8 lost samples: 4 taken back; clockless-integration.test).
 * Counted as lost, that delay had become 40-80 ms of rotation integrated that never happened
 * (simulator, kettlebell-swing-rounding WitMotion, 1 % loss: 1-3 times per sensor and 170 s;
 * at the bottom of a swing a 4-10° rep peak error; bench/diagnose-swing-peaks.ts).
 */
export class OvercountCheck {
  #counted = 0;
  #packetsBack = 1;

  /**
   * The packet being placed was counted after `samples` lost samples, which went into the first
   * step of the packet `packetsBack` before the next one (1: this packet; more when the loss was
   * moved onto an earlier packet, TimedSample.stepRevisionPackets, counted from the next packet).
   */
  counted(samples: number, packetsBack = 1): void {
    this.#counted = samples;
    this.#packetsBack = packetsBack;
  }

  /** Which packet, counted back from the one being checked, the last take-back applies to. */
  get packetsBack(): number {
    return this.#packetsBack;
  }

  /**
   * The next packet's first sample arrived `excessMs` above the counter's line (negative: below
   * it). Returns how many of the samples counted before the previous packet were not lost (0:
   * none), in whole packets of `perPacket` samples, and forgets the count.
   */
  check(excessMs: number, periodMs: number, perPacket: number): number {
    const counted = this.#counted;
    this.#counted = 0;
    const packetMs = perPacket * periodMs;
    if (counted === 0 || !(excessMs < -0.5 * packetMs)) return 0;
    return Math.min(counted, perPacket * Math.round(-excessMs / packetMs));
  }

  reset(): void {
    this.#counted = 0;
    this.#packetsBack = 1;
  }
}

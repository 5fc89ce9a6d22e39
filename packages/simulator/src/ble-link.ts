import type { ErrorModelSettings } from "./error-model.js";
import type { SeededRandom } from "./seeded-random.js";

/**
 * The BLE link of one sensor, from "notification ready in the sensor" to "callback on the host":
 * a constant latency, delivery at the next connection event (a peripheral may only send during
 * connection events, BLE Core Spec Vol 6 Part B §4.5.1), an occasional slip of one or two events
 * (link-layer retransmission), host jitter, and losses (independent plus Gilbert-Elliott bursts;
 * Gilbert 1960, Elliott 1963). Notifications arrive in order, as BLE guarantees within a link.
 */
export class BleLink {
  readonly #s: ErrorModelSettings;
  readonly #rng: SeededRandom;
  readonly #phaseMs: number;
  #lastRxMs = -Infinity;
  #inBurst = false;
  /** Notifications lost so far (random and burst losses; dropouts are counted by the caller). */
  lost = 0;

  constructor(settings: ErrorModelSettings, rng: SeededRandom) {
    this.#s = settings;
    this.#rng = rng;
    this.#phaseMs = rng.uniform() * settings.connectionIntervalMs;
  }

  /** Host receive time of a notification ready at `readyMs`, or null if it is lost. */
  deliver(readyMs: number): number | null {
    const s = this.#s;
    const r = this.#rng;
    // Draw every random number every time, so that a loss never shifts later draws.
    const u1 = r.uniform(), u2 = r.uniform(), u3 = r.uniform(), u4 = r.uniform(), g = r.gaussian();
    let lost: boolean;
    if (this.#inBurst) {
      lost = true;
      if (u1 < 1 / s.burstMeanLength) this.#inBurst = false;
    } else if (u2 < s.burstProbability) {
      this.#inBurst = true;
      lost = true;
    } else lost = u1 < s.lossProbability;
    if (lost) {
      this.lost++;
      return null;
    }
    let t = readyMs + s.latencyMs;
    const ci = s.connectionIntervalMs;
    if (ci > 0) {
      t = this.#phaseMs + Math.ceil((t - this.#phaseMs) / ci) * ci;
      if (u3 < s.retransmitProbability) t += ci * (u4 < 0.5 ? 1 : 2);
    }
    t += Math.abs(g) * s.jitterMs;
    t = Math.max(t, this.#lastRxMs);
    this.#lastRxMs = t;
    return t;
  }
}

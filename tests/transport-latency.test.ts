import { describe, expect, it } from "vitest";
import { SpineCore, sensorTransportLatencyMs } from "@spinewatch/pipeline";
import { lineToSourceEvent, simulateSession, type SimulatedDevice } from "@spinewatch/simulator";
import type { AngleFrame, SessionInfo, TruthLine } from "@spinewatch/protocol";

/**
 * The link's constant latency is invisible in arrival times (DESIGN.md, Calibration): without a
 * measured value the pipeline's frames sit that much late on the timeline; with the header's
 * deviceOptions.transportLatencyMs they sit on the truth. Measured as the least-squares time
 * offset of the pelvis tilt against the simulator's truth during swings (fast, so 1 ms = ~0.2°).
 */
function pelvisLagMs(device: SimulatedDevice, declareLinkLatency: boolean): { lagMs: number; assumedMs: number } {
  let core: SpineCore | null = null;
  let assumedMs = Number.NaN;
  const frames: AngleFrame[] = [];
  const truth: TruthLine[] = [];
  for (const line of simulateSession({ scenario: "kettlebell-swing", device, seed: 2, durationS: 40, declareLinkLatency })) {
    if (line.type === "header") {
      const info: SessionInfo = { sensors: line.sensors, exercise: line.exercise, limits: line.limits };
      if (declareLinkLatency) for (const s of line.sensors) expect(s.deviceOptions?.transportLatencyMs).toBe(8);
      assumedMs = sensorTransportLatencyMs(line.sensors[0]);
      core = new SpineCore(info);
    } else if (line.type === "truth") truth.push(line);
    else {
      const ev = lineToSourceEvent(line);
      if (ev) core!.next(ev, (out) => out.type === "frame" && frames.push({ ...out.frame }));
    }
  }
  // lag = −Σ e·ṙ / Σ ṙ² with e = estimate − truth and ṙ the truth's rate (central difference).
  let sumErrRate = 0;
  let sumRate2 = 0;
  let j = 1;
  for (const f of frames) {
    while (j < truth.length - 2 && truth[j].tMs < f.tMs) j++;
    const a = truth[j - 1], b = truth[j];
    if (!(a.tMs <= f.tMs && f.tMs <= b.tMs) || j + 1 >= truth.length) continue;
    const u = (f.tMs - a.tMs) / (b.tMs - a.tMs);
    const tv = a.pelvisTiltDeg + u * (b.pelvisTiltDeg - a.pelvisTiltDeg);
    const rate = (truth[j + 1].pelvisTiltDeg - truth[j - 1].pelvisTiltDeg) / (truth[j + 1].tMs - truth[j - 1].tMs);
    sumErrRate += (f.pelvisTiltDeg - tv) * rate;
    sumRate2 += rate * rate;
  }
  return { lagMs: -sumErrRate / sumRate2, assumedMs };
}

describe("per-device transport latency (deviceOptions.transportLatencyMs)", () => {
  // The simulator's constant part is 8 ms (error-model.ts); without a declared value the pipeline
  // subtracts only the notification's air time (assumedMs: DOT payload mode 21, 2 PDUs, 1.4 ms;
  // WitMotion, 4-frame batches of 80 bytes, 4 PDUs, 2.8 ms).
  it("Movella DOT (sensor clock): frames ~6.6 ms late without it, on the truth (within 1 ms) with it", () => {
    const undeclared = pelvisLagMs("movella-dot", false);
    const declared = pelvisLagMs("movella-dot", true);
    expect(undeclared.lagMs).toBeGreaterThan(5);
    expect(undeclared.lagMs).toBeLessThan(9);
    expect(Math.abs(declared.lagMs)).toBeLessThan(1);
    // The whole difference is the declared constant less the assumed air time, within 0.5 ms.
    expect(Math.abs(undeclared.lagMs - declared.lagMs - (8 - undeclared.assumedMs))).toBeLessThan(0.5);
  });

  it("WitMotion (no sensor clock): the declared latency moves the frames by its excess over the air time (within 0.5 ms)", () => {
    const undeclared = pelvisLagMs("witmotion-wt901ble", false);
    const declared = pelvisLagMs("witmotion-wt901ble", true);
    expect(undeclared.assumedMs).toBeCloseTo(4 * 0.708, 9);
    expect(Math.abs(undeclared.lagMs - declared.lagMs - (8 - undeclared.assumedMs))).toBeLessThan(0.5);
    // What remains is the clockless host-time smoothing's own bias (connection-event phase), < 4 ms.
    expect(Math.abs(declared.lagMs)).toBeLessThan(4);
  });
});

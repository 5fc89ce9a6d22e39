import { describe, expect, it } from "vitest";
import type { MovementEvent } from "@spinewatch/protocol";
import { runSimulated } from "../bench/lib/sim-run.js";
import { TRUTH_CHANNELS } from "../bench/lib/truth-series.js";

/**
 * A sensor back from a gap too long to integrate across (over 500 ms: its tilt is re-seeded from
 * the accelerometer) takes over the turn the other sensor made meanwhile (pipeline
 * reseed-heading.ts). In this session (hip-hinge-holds, WitMotion, seed 2, 10 min) the person
 * turns at ~5 °/s while standing at 180.7 s, when the thoracic sensor loses 770 ms: axial
 * rotation came back 4.37° off and took ~1 s of quiet standing to recover. Measured now, worst
 * |error| in the 2 s after each such gap: 0.21° there, 0.29° after the other (24.2 s).
 */
describe("axial rotation after a re-seeded gap", () => {
  it("hip-hinge-holds, witmotion, seed 2: within 1° of the truth in the 2 s after every gap over 500 ms", () => {
    const iRot = TRUTH_CHANNELS.indexOf("axialRotationDeg");
    const tMs: number[] = [], errDeg: number[] = [];
    const run = runSimulated({ scenario: "hip-hinge-holds", device: "witmotion-wt901ble", seed: 2, durationS: 600 }, {
      onCompared: (f, truth) => {
        tMs.push(f.tMs);
        errDeg.push(Math.abs(f.axialRotationDeg - truth[iRot]!));
      },
    });
    const long = run.events.filter((e): e is Extract<MovementEvent, { kind: "sensor-gap" }> => e.kind === "sensor-gap" && e.endMs - e.startMs > 500);
    expect(long.length).toBeGreaterThanOrEqual(2);
    for (const g of long) {
      let n = 0, worst = 0;
      for (let i = 0; i < tMs.length; i++) {
        if (tMs[i] < g.endMs || tMs[i] > g.endMs + 2000) continue;
        n++;
        worst = Math.max(worst, errDeg[i]);
      }
      expect(n, `frames in the 2 s after the gap ending at ${g.endMs} ms`).toBeGreaterThan(50);
      expect(worst, `gap ending at ${g.endMs} ms`).toBeLessThanOrEqual(1);
    }
  });
});

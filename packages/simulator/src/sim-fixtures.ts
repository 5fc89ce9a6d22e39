import { simulateSession } from "./simulate-session.js";
import type { SimulationOptions } from "./simulation-options.js";

export interface SimFixture {
  /** File name under fixtures/sim. */
  file: string;
  options: SimulationOptions;
}

/**
 * The simulated recordings kept in fixtures/sim (fixtures/README.md, "fixtures/sim"), written
 * by scripts/make-sim-fixtures.ts and checked against the generator by sim-fixtures.test.ts.
 */
export const SIM_FIXTURES: readonly SimFixture[] = [
  { file: "kettlebell-swing.witmotion.ndjson.gz", options: { scenario: "kettlebell-swing", device: "witmotion-wt901ble", seed: 1, durationS: 45 } },
  { file: "kettlebell-swing-rounding.movella-dot.ndjson.gz", options: { scenario: "kettlebell-swing-rounding", device: "movella-dot", seed: 2, durationS: 45 } },
  { file: "hip-hinge-holds.generic.ndjson.gz", options: { scenario: "hip-hinge-holds", device: "generic", seed: 3, durationS: 60 } },
  { file: "sensor-dropout.witmotion.ndjson.gz", options: { scenario: "sensor-dropout", device: "witmotion-wt901ble", seed: 4, durationS: 40 } },
];

/** A whole simulated session as NDJSON text (fixture-sized sessions only: it is held in memory). */
export function renderSessionNdjson(options: SimulationOptions): string {
  const parts: string[] = [];
  for (const line of simulateSession(options)) parts.push(JSON.stringify(line));
  return parts.join("\n") + "\n";
}

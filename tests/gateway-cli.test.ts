/**
 * The `spinewatch` CLI as a person runs it (CONTRACTS.md §2): simulate, analyze (table, --json,
 * --angles, --exercise), scan, exit codes 0/1/2 and one-line errors without stack traces.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { openRecording } from "@spinewatch/recording";
import { ANGLES_CSV_HEADER } from "@spinewatch/gateway";

const ROOT = resolve(import.meta.dirname, "..");
const BIN = join(ROOT, "apps/gateway/bin/spinewatch.js");

function cli(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A user mistake: exactly one line on stderr, `spinewatch: ...`, no stack frames. */
function expectOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split("\n");
  expect(lines.length, stderr).toBe(1);
  expect(lines[0]).toMatch(/^spinewatch: /);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/^\s+at /m);
}

let dir: string;
let rec: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sw-cli-"));
  rec = join(dir, "swing.ndjson");
  const r = cli("simulate", "--scenario", "kettlebell-swing", "--duration-s", "40", "--seed", "2", "--out", rec);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("spinewatch simulate", () => {
  it("writes a readable recording with truth lines", async () => {
    const reader = await openRecording(rec);
    expect(reader.header.sensors.map((s) => s.role).sort()).toEqual(["sacrum", "thoracolumbar"]);
    const types = new Set<string>();
    let lastTMs = 0;
    for await (const { line } of reader) {
      types.add(line.type);
      if (line.type !== "truth-event") lastTMs = line.tMs;
    }
    expect(reader.problemCount).toBe(0);
    for (const t of ["packet", "truth", "event"]) expect(types.has(t), t).toBe(true);
    // 40 s of session (tolerance: one second for the host latency and the last batch).
    expect(Math.abs(lastTMs - 40_000)).toBeLessThan(1000);
  });

  it("refuses an unknown scenario, a missing --out and a bad number with exit 2", () => {
    let r = cli("simulate", "--scenario", "moonwalk", "--out", join(dir, "x.ndjson"));
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /unknown scenario 'moonwalk'/);
    r = cli("simulate", "--scenario", "kettlebell-swing");
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /--out/);
    r = cli("simulate", "--scenario", "kettlebell-swing", "--duration-s", "ten", "--out", join(dir, "x.ndjson"));
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /--duration-s must be a number/);
  });
});

describe("spinewatch analyze", () => {
  it("prints the summary JSON of CONTRACTS.md §2 with --json", () => {
    const r = cli("analyze", rec, "--json");
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    for (const key of ["durationMs", "calibration", "reps", "tempo", "holds", "warnings", "sensors", "problems"]) expect(s, key).toHaveProperty(key);
    expect(["event", "auto"]).toContain(s.calibration.source);
    expect(s.sensors).toHaveLength(2);
    expect(s.tempo).toHaveProperty("repsPerMin");
    expect(s.tempo).toHaveProperty("repDurationCv");
    // Truth: the simulated swing set has reps; the detector must find some (exact counts are the analysis tests' job).
    expect(s.reps.length).toBeGreaterThan(0);
    for (const key of ["index", "startMs", "endMs", "downMs", "upMs", "peakPelvisTiltDeg", "peakFlexionDeg", "lockoutExtensionDeg", "peakLateralBendDeg", "lumbopelvicRatio"]) {
      expect(s.reps[0], key).toHaveProperty(key);
    }
  });

  it("prints a readable table by default and writes the angles CSV with --angles", async () => {
    const csv = join(dir, "angles.csv");
    const r = cli("analyze", rec, "--angles", csv);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^swing\.ndjson: /);
    expect(r.stdout).toMatch(/^reps: \d+/m);
    // A loss during this recording's calibration bend (seed 2: the sacrum's link, 0.9 s) no
    // longer keeps the gyroscopes' scales from being measured (each stretch between holes has
    // its own offset); the sacrum's reads just over the 1 % margin, so it is corrected.
    expect(r.stdout).toMatch(/^calibration: from the event at 0:04\.0; stillness \d\.\d\d °\/s, bend planarity \d\.\d\d; gyro scale sacrum [+−]\d+\.\d %, thoracic [+−]\d+\.\d % \(corrected\)$/m);
    // On this fixture the frames around the bend have no hole, and the bend its pause at the
    // bottom: the gyroscopes' scales were measured.
    const fixture = cli("analyze", join(ROOT, "fixtures/sim/kettlebell-swing.witmotion.ndjson.gz"));
    expect(fixture.stdout).toMatch(/^calibration: from the event at 0:04\.0; .*; gyro scale sacrum [+−]\d+\.\d %, thoracic [+−]\d+\.\d %$/m);
    const lines = (await readFile(csv, "utf8")).trimEnd().split("\n");
    expect(lines[0]).toBe(ANGLES_CSV_HEADER);
    expect(lines[0]).toBe("t_ms,flexion_deg,lateral_bend_deg,axial_rotation_deg,pelvis_tilt_deg,thorax_inclination_deg,rel_qw,rel_qx,rel_qy,rel_qz");
    // 100 Hz frames after calibration over most of 40 s.
    expect(lines.length).toBeGreaterThan(2000);
    let prevT = -Infinity;
    for (const row of lines.slice(1)) {
      const cells = row.split(",").map(Number);
      expect(cells).toHaveLength(10);
      expect(cells.every(Number.isFinite), row).toBe(true);
      expect(cells[0]).toBeGreaterThan(prevT);
      prevT = cells[0];
      // rel_q is a unit quaternion (tolerance 1e-5: six decimals per component).
      expect(Math.hypot(cells[6], cells[7], cells[8], cells[9])).toBeCloseTo(1, 4);
    }
  });

  it("takes --exercise and refuses an unknown one", () => {
    const ok = cli("analyze", rec, "--json", "--exercise", "deadlift");
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).exercise ?? "deadlift").toBe("deadlift");
    const bad = cli("analyze", rec, "--exercise", "juggling");
    expect(bad.code).toBe(2);
    expectOneLineError(bad.stderr, /juggling/);
  });

  it("exits 2 with file:line: field for a bad data line", async () => {
    const lines = (await readFile(rec, "utf8")).split("\n");
    const n = lines.findIndex((l, i) => i >= 16 && l.includes('"type":"packet"'));
    lines[n] = lines[n].replace(/"hex":"[0-9a-f]+"/, '"hex":"zz"');
    const bad = join(dir, "bad.ndjson");
    await writeFile(bad, lines.join("\n"));
    const r = cli("analyze", bad);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, new RegExp(`bad\\.ndjson:${n + 1}: packet\\.hex: `));
  });

  it("exits 2 for a missing file, a non-recording and bad flags", async () => {
    let r = cli("analyze", join(dir, "nope.ndjson"));
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /nope\.ndjson: no such file/);
    const notRec = join(dir, "notes.txt");
    await writeFile(notRec, "hello\n");
    r = cli("analyze", notRec);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /notes\.txt:1: /);
    r = cli("analyze", rec, "--colour");
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /--colour/);
    r = cli("analyze");
    expect(r.code).toBe(2);
  });
});

describe("spinewatch scan", () => {
  it("fails with one line and exit 1 where there is no Bluetooth", () => {
    const r = cli("scan", "--seconds", "1");
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr, /scan: /);
  });
});

describe("spinewatch serve --source ble", () => {
  it("fails with the one-line BleError and exit 1 where there is no Bluetooth, with or without roles (pairing)", () => {
    for (const roles of [[], ["--sacrum", "c8:a1:00:00:00:01", "--thoracic", "c8:a1:00:00:00:02"]]) {
      const r = cli("serve", "--source", "ble", ...roles, "--port", "0", "--no-dashboard-build", "--sessions-dir", join(dir, "ble-sessions"));
      expect(r.code, r.stderr).toBe(1);
      expectOneLineError(r.stderr, /^spinewatch: serve: (no Bluetooth adapter|BLE support is not available|the Bluetooth adapter)/);
    }
  });
});

describe("spinewatch serve --latency-ms", () => {
  it("is for real sensors only, and must be a number of ms in 0-1000 (exit 2, one line)", () => {
    let r = cli("serve", "--latency-ms", "8", "--port", "0", "--no-dashboard-build", "--no-record");
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /--latency-ms needs --source ble/);
    r = cli("serve", "--source", "ble", "--latency-ms", "soon", "--port", "0", "--no-dashboard-build", "--no-record");
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /latency-ms/);
    r = cli("serve", "--source", "ble", "--latency-ms", "5000", "--port", "0", "--no-dashboard-build", "--no-record");
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /latency-ms/);
  });
});

describe("spinewatch (no command)", () => {
  it("prints usage with exit 2 and rejects unknown commands", () => {
    expect(cli().code).toBe(2);
    const r = cli("dance");
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /unknown command 'dance'/);
  });
});

import { MovementAnalyzer } from "@spinewatch/analysis";
import { LumbarAngles } from "@spinewatch/kinematics";
import type { EventLine, MovementEvent, ProblemReport, QuatWxyz, RangeLimits, SensorInfo, SessionInfo, SourceEvent } from "@spinewatch/protocol";
import { BodyMotion } from "./body-motion.js";
import { PartnerMotion } from "./partner-motion.js";
import { CalibrationStage } from "./calibration-stage.js";
import { PairResampler, type StaleChange } from "./pair-resample.js";
import type { EmitProc } from "./proc-operator.js";
import { ReseedHeading, UPRIGHT_MAX_DEG } from "./reseed-heading.js";
import { SensorLane } from "./sensor-lane.js";
import type { Emit, OrientedSample, PairFrame, PipelineOptions, PipelineOutput } from "./types.js";

/** Exercise when neither the options nor the session name one (the product's first use case). */
export const DEFAULT_EXERCISE = "kettlebell-swing";

/** The sacrum and T12/L1 sensors of a session; a clear error when the header does not have exactly one of each. */
export function sessionRoles(info: SessionInfo): { sacrum: SensorInfo; thoracic: SensorInfo } {
  const sacrum = info.sensors.filter((s) => s.role === "sacrum");
  const thoracic = info.sensors.filter((s) => s.role === "thoracolumbar");
  if (sacrum.length !== 1 || thoracic.length !== 1) {
    throw new Error(`session needs exactly one "sacrum" and one "thoracolumbar" sensor, got ${sacrum.length} and ${thoracic.length} (CONTRACTS.md §1)`);
  }
  return { sacrum: sacrum[0], thoracic: thoracic[0] };
}

/**
 * The whole pipeline as one plain processor (DESIGN.md data flow): source events -> per-sensor
 * lanes (decode, clock, orientation) -> pairing/resampling -> calibration -> angles ->
 * detectors, plus periodic sensor status. One call per source event, outputs through `emit`:
 * rxjs sees only the edges ({@link spinePipeline}). Everything runs on sample time, so a
 * replay at any rate gives the same outputs.
 */
export class SpineCore implements EmitProc<SourceEvent, PipelineOutput> {
  readonly #lanes = new Map<string, SensorLane>();
  readonly #laneList: SensorLane[];
  readonly #roles: { sacrum: SensorInfo; thoracic: SensorInfo };
  readonly #pair: PairResampler;
  readonly #reseedHeading: ReseedHeading;
  readonly #calibration: CalibrationStage;
  /** Which sensors are moving, for each other's gyro-bias learning (body-motion.ts). */
  readonly #bodyMotion = new BodyMotion();
  readonly #partnerMotion = new PartnerMotion();
  readonly #thoracicAlign: QuatWxyz = [1, 0, 0, 0];
  readonly #analyzer: MovementAnalyzer;
  readonly #statusIntervalMs: number;
  #angles: LumbarAngles | null = null;
  #emit: Emit<PipelineOutput> = () => {};
  #nextStatusMs = -Infinity;
  #lastStatusMs = 0;
  #lastTimeMs = 0;
  #frames = 0;
  /** Whether the trunk was upright at the last angle frame (ReseedHeading). */
  #upright = false;
  readonly #onOriented: Emit<OrientedSample>;
  readonly #onFrame: Emit<PairFrame>;
  readonly #onStale: Emit<StaleChange>;
  readonly #onProblem: Emit<ProblemReport>;
  readonly #onEvent: Emit<MovementEvent>;

  constructor(info: SessionInfo, options: PipelineOptions = {}) {
    const roles = sessionRoles(info);
    this.#roles = roles;
    const frameRateHz = options.frameRateHz ?? 100;
    const maxGapMs = options.maxGapMs ?? 100;
    this.#statusIntervalMs = options.sensorStatusIntervalMs ?? 1000;
    this.#laneList = info.sensors.map((s) => new SensorLane(s, { reseedGapMs: options.reseedGapMs, reconvergeMs: options.reconvergeMs, bodyMotion: this.#bodyMotion, partnerMotion: this.#partnerMotion }));
    for (const lane of this.#laneList) this.#lanes.set(lane.info.id, lane);
    this.#pair = new PairResampler({ sacrumId: roles.sacrum.id, thoracicId: roles.thoracic.id, frameRateHz, maxGapMs });
    this.#reseedHeading = new ReseedHeading(roles.sacrum.id, roles.thoracic.id);
    this.#calibration = new CalibrationStage({
      mounts: { sacrum: roles.sacrum.mount, thoracic: roles.thoracic.mount },
      frameRateHz,
      autoCalibrate: options.autoCalibrate ?? true,
      autoCalibrationMs: options.autoCalibrationMs ?? 2000,
      ...(options.correctGyroScaleFrom !== undefined ? { correctGyroScaleFrom: options.correctGyroScaleFrom } : {}),
    });
    this.#analyzer = new MovementAnalyzer({ exercise: options.exercise ?? info.exercise ?? DEFAULT_EXERCISE, limits: info.limits });

    this.#onProblem = (problem) => this.#emit({ type: "problem", problem });
    this.#onEvent = (event) => this.#emit({ type: "event", event });
    this.#onStale = (c) => {
      const lane = this.#lanes.get(c.sensorId);
      if (lane) lane.stale = c.state === "stale";
      this.#emit({ type: "event", event: { kind: "sensor-state", tMs: c.tMs, sensor: c.sensorId, state: c.state, detail: c.detail } });
    };
    this.#onFrame = (f) => this.#frame(f);
    this.#onOriented = (o) => {
      // A sensor back from a gap it could not integrate across turns as the other one did
      // meanwhile (reseed-heading.ts): this sample, and its filter for the samples after it.
      const turnRad = this.#reseedHeading.next(o, o.reseeded === true, this.#upright);
      if (turnRad !== 0) this.#lanes.get(o.sensorId)?.orientation.turnHeading(turnRad, o);
      this.#pair.next(o, this.#onFrame, this.#onStale);
    };
    for (const lane of this.#laneList) lane.connect(this.#onOriented, this.#onProblem, this.#onEvent);
  }

  /** Angle frames emitted so far. */
  get frames(): number {
    return this.#frames;
  }

  next(ev: SourceEvent, emit: Emit<PipelineOutput>): void {
    this.#emit = emit;
    const t = ev.hostTimeMs;
    if (t > this.#lastTimeMs) this.#lastTimeMs = t;
    switch (ev.type) {
      case "packet":
      case "sample": {
        const lane = this.#lanes.get(ev.sensorId);
        if (lane) lane.next(ev);
        else this.#onProblem({ tMs: t, sensor: ev.sensorId, code: "unknown-sensor", message: `data for sensor "${ev.sensorId}", which the session does not list` });
        break;
      }
      case "status": {
        const lane = this.#lanes.get(ev.sensorId);
        if (!lane) break;
        lane.setLink(ev.state);
        this.#onEvent({ kind: "sensor-state", tMs: t, sensor: ev.sensorId, state: ev.state, ...(ev.detail !== undefined ? { detail: ev.detail } : {}) });
        if (ev.state === "lost") this.#pair.linkLost(ev.sensorId, t, this.#onStale);
        break;
      }
      case "problem":
        this.#onProblem({ tMs: t, ...(ev.sensorId !== undefined ? { sensor: ev.sensorId } : {}), code: ev.code, message: ev.message });
        break;
      case "mark":
        this.#mark(ev.event, t);
        break;
      case "stamp":
        this.#pair.advance(t, this.#onStale);
        break;
    }
    if (t >= this.#nextStatusMs) this.#status(t);
  }

  /** End of the source: close what is open (holds, reps, warnings) and report the sensors once more. */
  flush(emit: Emit<PipelineOutput>): void {
    this.#emit = emit;
    for (const e of this.#analyzer.finish()) this.#onEvent(e);
    if (this.#calibration.calibration === null) {
      this.#onProblem({ tMs: this.#lastTimeMs, code: "not-calibrated", message: "no angles: no calibration event succeeded and no quiet upright stretch was found to calibrate on" });
    }
    this.#status(this.#lastTimeMs);
  }

  reset(): void {
    for (const lane of this.#laneList) lane.reset();
    this.#bodyMotion.reset();
    this.#partnerMotion.reset();
    this.#pair.reset();
    this.#reseedHeading.reset();
    this.#calibration.reset();
    this.#analyzer.reset();
    this.#angles = null;
    this.#nextStatusMs = -Infinity;
    this.#lastStatusMs = 0;
    this.#lastTimeMs = 0;
    this.#frames = 0;
    this.#upright = false;
  }

  #frame(f: PairFrame): void {
    const result = this.#calibration.next(f);
    if (result !== null) {
      this.#onEvent({ kind: "calibration", tMs: f.tMs, calibration: result.summary });
      if (result.calibration) {
        if (this.#angles === null) this.#angles = new LumbarAngles(result.calibration);
        else this.#angles.setCalibration(result.calibration);
        this.#partnerMotion.setWorldAlign(this.#roles.sacrum.id, [1, 0, 0, 0]);
        // The gyro scale the bend measured applies to the samples from now on (the frames of
        // the bend itself were integrated with the old one; the still stance after it has
        // brought the tilt back).
        for (const [name, fix] of Object.entries(result.gyroScale ?? {})) {
          this.#lanes.get(name === "sacrum" ? this.#roles.sacrum.id : this.#roles.thoracic.id)?.orientation.applyGyroScale(fix.axisSensor, fix.scale);
        }
      } else {
        this.#onProblem({ tMs: f.tMs, code: "calibration-refused", message: `calibration (${result.summary.source}) refused: ${(result.summary.refused ?? []).join("; ")}` });
      }
    }
    if (this.#angles === null) return;
    // LumbarAngles runs kinematics' RelativeHeadingTracker between frames (DESIGN.md,
    // Magnetometers: bounded relative heading drift); setCalibration restarts it.
    const frame = this.#angles.next(f.tMs, f.sacrum.quatWxyz, f.thoracic.quatWxyz);
    // The filters' world frames aligned in heading (calibration, then the tracker's drift), for
    // the lanes' joint tilt fit (partner-motion.ts): a few degrees off in heading turn a swing's
    // 1-2 m/s of velocity change into degrees of tilt.
    this.#partnerMotion.setWorldAlign(this.#roles.thoracic.id, this.#angles.thoracicWorldToSacrumWorld(this.#thoracicAlign));
    this.#upright = Math.abs(frame.pelvisTiltDeg) <= UPRIGHT_MAX_DEG && Math.abs(frame.thoraxInclinationDeg) <= UPRIGHT_MAX_DEG;
    // The rest the detectors count from (the bird dog's all-fours rest) as of the previous frame,
    // for a display that agrees with them.
    const restNeutral = this.#analyzer.restNeutral();
    if (restNeutral !== null) frame.restNeutral = restNeutral;
    this.#frames++;
    this.#emit({ type: "frame", frame });
    // The person is calibrating (standing still, a functional bend), not exercising: the
    // detectors do not see those frames, so a calibration bend is not counted as a rep.
    if (this.#calibration.inWindow(f.tMs)) return;
    const events = this.#analyzer.next(frame);
    for (let i = 0; i < events.length; i++) this.#onEvent(events[i]);
  }

  #mark(e: EventLine, t: number): void {
    if (this.#calibration.mark(e)) return;
    try {
      if (e.kind === "exercise" && typeof e.name === "string") this.#analyzer.setExercise(e.name);
      else if (e.kind === "limits" && e.limits !== undefined) this.#analyzer.setLimits(e.limits as Partial<RangeLimits>);
    } catch (err) {
      this.#onProblem({ tMs: t, code: `bad-${e.kind}-event`, message: err instanceof Error ? err.message : String(err) });
    }
  }

  #status(t: number): void {
    const interval = t - this.#lastStatusMs;
    this.#lastStatusMs = t;
    this.#nextStatusMs = (Math.floor(t / this.#statusIntervalMs) + 1) * this.#statusIntervalMs;
    this.#emit({ type: "sensors", sensors: this.#laneList.map((lane) => lane.status(interval)) });
  }
}

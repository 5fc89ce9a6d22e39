import { css, html } from "lit";
import type { CalibrationQuality, CalibrationSummary } from "@spinewatch/protocol";
import { ConnectedElement } from "./connected-element.js";
import { panelStyles } from "./panel-styles.js";
import { fmtScaleError } from "../util/format.js";

type Step =
  | { kind: "idle" }
  | { kind: "running"; which: "neutral" | "bend"; startMs: number; durationMs: number }
  | { kind: "result"; which: "neutral" | "bend"; summary: CalibrationSummary }
  | { kind: "failed"; which: "neutral" | "bend"; message: string };

/** Window lengths of the two steps (DESIGN.md, Calibration: ~3 s still; a slow bend and return). */
const NEUTRAL_MS = 3000;
const BEND_MS = 6000;

const INSTRUCTIONS = {
  neutral: "Stand tall and still, arms relaxed, looking ahead.",
  bend: "Bend slowly forward as far as comfortable, pause there for a moment, then come back up. Keep it straight ahead.",
} as const;

/**
 * Guided calibration: neutral stance, then an optional functional forward bend, each a command
 * to the gateway (calibrate-neutral, calibrate-bend) whose outcome arrives as a `calibration`
 * event with the same start time; shows the quality (or the reasons it was refused) and a retry.
 */
export class SwCalibration extends ConnectedElement {
  static override properties = { ...ConnectedElement.properties, step: { state: true } };
  declare step: Step;

  static override styles = [
    panelStyles,
    css`
      .instr {
        font-size: 1.25rem;
        font-weight: 600;
        margin: 6px 0 10px;
      }
      progress {
        width: 100%;
        height: 16px;
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 4px 12px;
        margin: 8px 0;
      }
      dt {
        color: #9fb0c0;
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  constructor() {
    super({ frames: true });
    this.step = { kind: "idle" };
  }

  async #start(which: "neutral" | "bend"): Promise<void> {
    const conn = this.connection;
    if (!conn) return;
    const durationMs = which === "neutral" ? NEUTRAL_MS : BEND_MS;
    const r = await conn.request({ type: which === "neutral" ? "calibrate-neutral" : "calibrate-bend", durationMs });
    if (!r.ok) {
      this.step = { kind: "failed", which, message: r.message };
      return;
    }
    const startMs = (r.result as { tMs: number }).tMs;
    this.step = { kind: "running", which, startMs, durationMs };
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    super.willUpdate(changed);
    const st = this.step;
    if (st.kind !== "running") return;
    const ev = this.session?.calibrationEvents.find((e) => Math.abs((e.calibration.tMs ?? e.tMs) - st.startMs) < 1);
    if (ev) this.step = { kind: "result", which: st.which, summary: ev.calibration };
  }

  override render() {
    const s = this.session;
    const st = this.step;
    const current = s?.calibration;
    return html`<h2>Calibration</h2>
      <p class="muted" data-current=${current?.source ?? "none"}>
        In use: ${current && current.source !== "none" ? `${current.source === "auto" ? "automatic (quiet standing)" : "from the calibration steps"}${current.refused ? " — last attempt refused" : ""}` : "none yet"}
      </p>
      ${this.#body(st)}`;
  }

  #body(st: Step) {
    switch (st.kind) {
      case "idle":
        return html`<p class="instr">Step 1 of 2: ${INSTRUCTIONS.neutral}</p>
          <button class="primary" data-action="calibrate-neutral" @click=${() => this.#start("neutral")}>Start neutral (3 s)</button>`;
      case "running": {
        const last = this.session?.ring.lastTMs ?? Number.NaN;
        const elapsed = Number.isFinite(last) ? Math.max(0, last - st.startMs) : 0;
        const left = Math.max(0, st.durationMs - elapsed);
        return html`<p class="instr">${st.which === "neutral" ? "Step 1 of 2" : "Step 2 of 2"}: ${INSTRUCTIONS[st.which]}</p>
          <progress max=${st.durationMs} .value=${Math.min(elapsed, st.durationMs)} aria-label="Calibration progress"></progress>
          <p data-state="running">${left > 0 ? `${(left / 1000).toFixed(1)} s left` : "Checking…"}</p>`;
      }
      case "failed":
        return html`<p class="warning" data-outcome="error">Could not start: ${st.message}</p>
          <button data-action="retry" @click=${() => this.#start(st.which)}>Retry</button>`;
      case "result": {
        const refused = st.summary.refused;
        if (refused && refused.length > 0) {
          return html`<div data-outcome="refused" data-step=${st.which}>
            <p class="warning"><strong>${st.which === "neutral" ? "Neutral" : "Bend"} refused:</strong> ${refused.join("; ")}</p>
            ${this.#quality(st.summary.quality)}
            <div class="row">
              <button class="primary" data-action="retry" @click=${() => this.#start(st.which)}>Retry ${st.which}</button>
              <button @click=${() => (this.step = { kind: "idle" })}>Start over</button>
            </div>
          </div>`;
        }
        if (st.which === "neutral") {
          return html`<div data-outcome="ok" data-step="neutral">
            <p class="ok"><strong>Neutral accepted.</strong></p>
            ${this.#quality(st.summary.quality)}
            <p class="instr">Step 2 of 2: ${INSTRUCTIONS.bend}</p>
            <div class="row">
              <button class="primary" data-action="calibrate-bend" @click=${() => this.#start("bend")}>Start bend (6 s)</button>
              <button data-action="retry" @click=${() => this.#start("neutral")}>Redo neutral</button>
            </div>
          </div>`;
        }
        return html`<div data-outcome="ok" data-step="bend">
          <p class="ok"><strong>Calibrated.</strong></p>
          ${this.#quality(st.summary.quality)}
          <button data-action="retry" @click=${() => this.#start("neutral")}>Recalibrate</button>
        </div>`;
      }
    }
  }

  #quality(q: CalibrationQuality | undefined) {
    if (!q) return null;
    const mounts = q.mountCorrectionDeg ? Object.entries(q.mountCorrectionDeg) : [];
    return html`<dl class="quality" aria-label="Calibration quality">
      <dt>Stillness</dt><dd>${q.stillnessDps.toFixed(2)} °/s</dd>
      ${q.residualDeg !== undefined ? html`<dt>Sensor alignment residual</dt><dd>${q.residualDeg.toFixed(1)}°</dd>` : null}
      ${q.bendPlanarity !== undefined ? html`<dt>Bend planarity</dt><dd>${(q.bendPlanarity * 100).toFixed(1)} %</dd>` : null}
      ${mounts.map(([id, deg]) => html`<dt>Mount correction (${id})</dt><dd>${deg.toFixed(1)}°</dd>`)}
      ${Object.entries(q.gyroScale ?? {}).map(
        ([id, scale]) =>
          html`<dt>Gyro scale (${id})</dt><dd data-gyro-scale=${id}>${fmtScaleError(scale)}${q.gyroScaleCorrected ? ", corrected" : ""}</dd>`,
      )}
      ${Object.entries(q.gyroScaleNotMeasured ?? {}).map(
        ([id, reason]) =>
          html`<dt>Gyro scale (${id})</dt><dd data-gyro-scale=${id} title=${reason}>not measured: stand still before the bend and pause at its bottom</dd>`,
      )}
    </dl>`;
  }
}

customElements.define("sw-calibration", SwCalibration);
declare global {
  interface HTMLElementTagNameMap {
    "sw-calibration": SwCalibration;
  }
}

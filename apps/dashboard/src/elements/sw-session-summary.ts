import { html, LitElement } from "lit";
import type { SessionSummary } from "@spinewatch/protocol";
import { fmtDeg, fmtS, fmtClock, AXIS_LABELS } from "../util/format.js";
import { panelStyles } from "./panel-styles.js";

/** A session summary (CONTRACTS.md §2): duration, reps and tempo, holds, warnings, sensors. */
export class SwSessionSummary extends LitElement {
  static override properties = { summary: { attribute: false }, heading: {} };
  declare summary: SessionSummary | null;
  declare heading: string;
  static override styles = [panelStyles];

  constructor() {
    super();
    this.summary = null;
    this.heading = "Summary";
  }

  override render() {
    const s = this.summary;
    if (!s) return html`<h2>${this.heading}</h2><p class="muted">No summary yet.</p>`;
    const peak = s.reps.reduce((m, r) => Math.max(m, r.peakFlexionDeg), Number.NEGATIVE_INFINITY);
    return html`<h2>${this.heading}</h2>
      <table data-summary>
        <tbody>
          <tr><th scope="row">Duration</th><td>${fmtClock(s.durationMs)}</td></tr>
          ${s.exercise ? html`<tr><th scope="row">Exercise</th><td>${s.exercise}</td></tr>` : null}
          <tr><th scope="row">Reps</th><td data-reps=${s.reps.length}>${s.reps.length}</td></tr>
          <tr><th scope="row">Reps / min</th><td>${Number.isFinite(s.tempo.repsPerMin) && s.tempo.repsPerMin > 0 ? s.tempo.repsPerMin.toFixed(1) : "—"}</td></tr>
          <tr><th scope="row">Peak flexion</th><td>${fmtDeg(peak)}</td></tr>
          <tr><th scope="row">Holds</th><td>${s.holds.length}${s.holds.length ? ` (mean ${fmtS(s.holds.reduce((a, h) => a + h.durationMs, 0) / s.holds.length)})` : ""}</td></tr>
          <tr><th scope="row">Warnings</th><td data-warnings=${s.warnings.length}>${s.warnings.length}</td></tr>
          <tr><th scope="row">Calibration</th><td>${s.calibration.source}${s.calibration.refused ? " (refused)" : ""}</td></tr>
          ${s.sensors.map((x) => html`<tr><th scope="row">Sensor ${x.id}</th><td>${x.meanRateHz.toFixed(0)} Hz, ${x.lostPackets} lost, ${x.gaps} gaps</td></tr>`)}
        </tbody>
      </table>
      ${s.warnings.length
        ? html`<ul>
            ${s.warnings.slice(0, 10).map((w) => html`<li>${AXIS_LABELS[w.axis]} ${fmtDeg(w.peakDeg)} (limit ${fmtDeg(w.limitDeg, 0)}) at ${fmtClock(w.startMs)}${w.rep ? `, rep ${w.rep}` : ""}</li>`)}
          </ul>`
        : null}`;
  }
}

customElements.define("sw-session-summary", SwSessionSummary);
declare global {
  interface HTMLElementTagNameMap {
    "sw-session-summary": SwSessionSummary;
  }
}

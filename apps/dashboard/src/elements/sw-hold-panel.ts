import { css, html } from "lit";
import { fmtDeg, fmtS } from "../util/format.js";
import { ConnectedElement } from "./connected-element.js";
import { panelStyles } from "./panel-styles.js";

/** Sag worth pointing out: well above the ~1° angle noise of a still hold (LUMBAR-FACTS.md accuracy), below the 6° sags of the hip-hinge fixture. */
const SAG_HIGHLIGHT_DEG = 3;

/** Holds: a live timer against the target while a hold lasts, then the list with sag and sway. */
export class SwHoldPanel extends ConnectedElement {
  static override styles = [
    panelStyles,
    css`
      .timer {
        display: flex;
        align-items: baseline;
        gap: 12px;
        flex-wrap: wrap;
      }
      .elapsed {
        font-size: 3.4rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
        line-height: 1;
      }
      .elapsed.met {
        color: #5dd39e;
      }
      progress {
        width: 100%;
        height: 16px;
        accent-color: #5dd39e;
        margin: 8px 0 12px;
      }
    `,
  ];

  override render() {
    const s = this.session;
    const hold = s?.hold ?? null;
    const holds = s?.holds ?? [];
    const elapsed = hold?.elapsedMs ?? 0;
    const target = hold?.targetMs ?? holds.at(-1)?.targetMs ?? Number.NaN;
    return html`<h2>Holds</h2>
      <div class="timer" data-active=${hold ? "true" : "false"} data-elapsed-ms=${hold ? Math.round(elapsed) : ""}>
        <span class="elapsed ${hold && elapsed >= hold.targetMs ? "met" : ""}" role="timer" aria-live="off">${hold ? (elapsed / 1000).toFixed(1) : "0.0"} s</span>
        <span class="muted">${Number.isFinite(target) ? `target ${fmtS(target)}` : "no hold target"}</span>
        ${hold ? html`<span>flexion ${fmtDeg(hold.flexionDeg)}, sag ${fmtDeg(hold.driftDeg)}</span>` : html`<span class="muted">not holding</span>`}
      </div>
      <progress max=${Number.isFinite(target) ? target : 1} .value=${hold ? Math.min(elapsed, hold.targetMs) : 0} aria-label="Hold progress"></progress>
      <div class="scroll">
        <table>
          <thead>
            <tr><th scope="col">Hold</th><th scope="col">Time</th><th scope="col">Flexion</th><th scope="col">Sag</th><th scope="col">Sway</th><th scope="col">Target</th></tr>
          </thead>
          <tbody>
            ${holds
              .map((h, i) => ({ h, n: i + 1 }))
              .slice(-10)
              .reverse()
              .map(
                ({ h, n }) => html`<tr data-hold=${n}>
                  <td>${n}</td>
                  <td>${fmtS(h.durationMs)}</td>
                  <td>${fmtDeg(h.meanFlexionDeg)}</td>
                  <td class=${Math.abs(h.driftDeg) >= SAG_HIGHLIGHT_DEG ? "caution" : ""}>${fmtDeg(h.driftDeg)}</td>
                  <td>${fmtDeg(h.swayDeg)}</td>
                  <td>${h.targetMet === undefined ? "—" : h.targetMet ? html`<span class="ok">✓ met</span>` : html`<span class="caution">short</span>`}</td>
                </tr>`,
              )}
          </tbody>
        </table>
      </div>`;
  }
}

customElements.define("sw-hold-panel", SwHoldPanel);
declare global {
  interface HTMLElementTagNameMap {
    "sw-hold-panel": SwHoldPanel;
  }
}

import { css, html } from "lit";
import type { RepPhase, RepSummary } from "@spinewatch/protocol";
import { fmtDeg, fmtS } from "../util/format.js";
import { ConnectedElement } from "./connected-element.js";
import { panelStyles } from "./panel-styles.js";

const PHASE_LABEL: Record<RepPhase, string> = { standing: "Standing", down: "Going down", bottom: "Bottom", up: "Coming up" };
const SHOWN_REPS = 12;

/**
 * Reps per minute over the reps shown: 60 s over the mean start-to-start interval (the same idea
 * as the analysis' tempo; DESIGN.md "Reps and tempo"), from the last up to 10 reps.
 */
export function repsPerMinute(reps: readonly RepSummary[]): number {
  const recent = reps.slice(-10);
  if (recent.length < 2) return Number.NaN;
  const spanMs = recent[recent.length - 1].startMs - recent[0].startMs;
  return spanMs > 0 ? (60_000 * (recent.length - 1)) / spanMs : Number.NaN;
}

/** Reps: the current phase, the count, reps per minute and a table of the latest reps. */
export class SwRepPanel extends ConnectedElement {
  static override styles = [
    panelStyles,
    css`
      .top {
        display: flex;
        gap: 18px;
        align-items: baseline;
        flex-wrap: wrap;
        margin-bottom: 8px;
      }
      .count {
        font-size: 3.4rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
        line-height: 1;
      }
      .phase {
        font-size: 1.4rem;
        font-weight: 600;
      }
      .warn {
        color: #ff5c5c;
        font-weight: 700;
      }
      .gap {
        color: #f0b429;
        cursor: help;
      }
    `,
  ];

  override render() {
    const s = this.session;
    const reps = s?.reps ?? [];
    const rpm = repsPerMinute(reps);
    const phase = s?.phase;
    return html`<h2>Reps</h2>
      <div class="top">
        <div><div class="count" data-count=${reps.length} aria-label="Rep count">${reps.length}</div><span class="muted">reps</span></div>
        <div>
          <div class="phase" data-phase=${phase?.phase ?? ""}>${phase ? PHASE_LABEL[phase.phase] : "—"}</div>
          <span class="muted">phase</span>
        </div>
        <div>
          <div class="phase" data-rpm=${Number.isFinite(rpm) ? rpm.toFixed(1) : ""}>${Number.isFinite(rpm) ? rpm.toFixed(1) : "—"}</div>
          <span class="muted">reps / min</span>
        </div>
      </div>
      <div class="scroll">
        <table>
          <caption class="muted" style="text-align:left">Latest reps (newest first). Lumbopelvic ratio: lumbar flexion ÷ pelvis tilt; lower means more hip. * a sensor loss inside the rep: its peaks are those of the frames seen.</caption>
          <thead>
            <tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Peak flexion</th><th scope="col">Pelvis tilt</th><th scope="col">L/P ratio</th><th scope="col">Warn</th></tr>
          </thead>
          <tbody>
            ${reps
              .slice(-SHOWN_REPS)
              .reverse()
              .map(
                (r) => html`<tr data-rep=${r.index} data-bridged-ms=${r.bridgedGapMs ?? ""}>
                  <td>
                    ${r.index}${r.side ? ` ${r.side === "left" ? "L" : "R"}` : ""}${r.bridgedGapMs
                      ? html`<span class="gap" title=${`No frames for ${fmtS(r.bridgedGapMs, 2)} in this rep (a sensor loss): its peaks are those of the frames seen`}>*</span>`
                      : ""}
                  </td>
                  <td>${fmtS(r.endMs - r.startMs)}</td>
                  <td>${fmtDeg(r.peakFlexionDeg)}</td>
                  <td>${fmtDeg(r.peakPelvisTiltDeg)}</td>
                  <td>${Number.isFinite(r.lumbopelvicRatio) ? r.lumbopelvicRatio.toFixed(2) : "—"}</td>
                  <td>${r.warnings ? html`<span class="warn" aria-label=${`${r.warnings} warnings`}>! ${r.warnings}</span>` : ""}</td>
                </tr>`,
              )}
          </tbody>
        </table>
      </div>`;
  }
}

customElements.define("sw-rep-panel", SwRepPanel);
declare global {
  interface HTMLElementTagNameMap {
    "sw-rep-panel": SwRepPanel;
  }
}

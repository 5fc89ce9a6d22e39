import { css, html, LitElement, nothing, svg } from "lit";
import { GatewayConnection } from "../connection/gateway-connection.js";
import { ConnectionController } from "../connection/connection-controller.js";
import "./sw-warning-banner.js";
import "./sw-angle-readout.js";
import "./sw-spine-figure.js";
import "./sw-angle-chart.js";
import "./sw-rep-panel.js";
import "./sw-hold-panel.js";
import "./sw-calibration.js";
import "./sw-settings.js";
import "./sw-sensor-panel.js";
import "./sw-replay-controls.js";
import "./sw-session-panel.js";
import type { SwWarningBanner } from "./sw-warning-banner.js";
import { showsPelvisObliquity } from "../util/exercises.js";

/** Icons are inline SVG: no icon font or emoji font is needed offline. */
const speakerIcon = (muted: boolean) =>
  html`<svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" style="vertical-align:-4px">
    <path d="M3 9h4l5-4v14l-5-4H3z" fill="currentColor" />
    ${muted
      ? svg`<path d="M16 9l5 6M21 9l-5 6" stroke="currentColor" stroke-width="2" />`
      : svg`<path d="M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12" stroke="currentColor" stroke-width="2" fill="none" />`}
  </svg>`;

/**
 * The dashboard page: owns the one GatewayConnection and hands it to every panel. Panels sit in
 * a responsive grid (one column at phone width); the warning banner and the sound toggle are
 * fixed to the viewport so that scrolling never hides them.
 */
export class SwApp extends LitElement {
  static override properties = { muted: { state: true } };
  declare muted: boolean;
  readonly connection = new GatewayConnection();
  readonly #link = new ConnectionController(this);

  static override styles = css`
    :host {
      display: block;
      min-height: 100vh;
      background: #0f1419;
      color: #e6e8eb;
    }
    header {
      display: flex;
      align-items: center;
      gap: 12px;
      flex-wrap: wrap;
      padding: 12px 16px;
      border-bottom: 1px solid #2b3540;
    }
    h1 {
      margin: 0;
      font-size: 1.6rem;
      letter-spacing: 0.02em;
    }
    .status {
      font-size: 1.05rem;
    }
    .status.open {
      color: #5dd39e;
    }
    .status.reconnecting,
    .status.connecting {
      color: #ffb347;
    }
    .exercise {
      color: #9fb0c0;
      font-size: 1.05rem;
    }
    main {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr));
      gap: 12px;
      padding: 12px;
      padding-bottom: 80px;
      max-width: 1800px;
      margin: 0 auto;
    }
    .sound {
      position: fixed;
      right: 14px;
      bottom: 14px;
      z-index: 101;
      font: inherit;
      font-size: 1.1rem;
      min-height: 48px;
      padding: 8px 16px;
      border-radius: 24px;
      border: 1px solid #3d4a57;
      background: #24303c;
      color: #e6e8eb;
      box-shadow: 0 2px 10px rgba(0, 0, 0, 0.5);
      cursor: pointer;
    }
    .sound:focus-visible {
      outline: 3px solid #ffd166;
      outline-offset: 2px;
    }
  `;

  constructor() {
    super();
    this.muted = false;
    this.#link.connection = this.connection;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.connection.start();
    // Browsers allow audio only after a gesture: unlock on the first one.
    const unlock = () => this.renderRoot.querySelector<SwWarningBanner>("sw-warning-banner")?.tone.unlock();
    this.addEventListener("pointerdown", unlock, { once: true });
    this.addEventListener("keydown", unlock, { once: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.connection.stop();
  }

  override render() {
    const c = this.connection;
    const statusText = c.phase === "open" ? "● live" : c.phase === "connecting" ? "○ connecting…" : `○ reconnecting (attempt ${c.attempts})…`;
    return html`<sw-warning-banner .connection=${c} .muted=${this.muted}></sw-warning-banner>
      <header>
        <h1>spinewatch</h1>
        <span class="status ${c.phase}" role="status" data-link=${c.phase}>${statusText}</span>
        <span class="exercise">${c.state.exercise}</span>
      </header>
      <main>
        <sw-angle-readout .connection=${c}></sw-angle-readout>
        <sw-spine-figure .connection=${c}></sw-spine-figure>
        ${showsPelvisObliquity(c.state.exercise) ? html`<sw-angle-chart .connection=${c} kind="obliquity"></sw-angle-chart>` : nothing}
        <sw-angle-chart .connection=${c} kind="flexion"></sw-angle-chart>
        <sw-angle-chart .connection=${c} kind="frontal"></sw-angle-chart>
        <sw-angle-chart .connection=${c} kind="hinge"></sw-angle-chart>
        <sw-rep-panel .connection=${c}></sw-rep-panel>
        <sw-hold-panel .connection=${c}></sw-hold-panel>
        <sw-calibration .connection=${c}></sw-calibration>
        <sw-settings .connection=${c}></sw-settings>
        <sw-sensor-panel .connection=${c}></sw-sensor-panel>
        <sw-replay-controls .connection=${c}></sw-replay-controls>
        <sw-session-panel .connection=${c}></sw-session-panel>
      </main>
      <button class="sound" aria-pressed=${this.muted ? "true" : "false"} data-action="mute" @click=${() => (this.muted = !this.muted)}>
        ${speakerIcon(this.muted)} ${this.muted ? "Sound off" : "Sound on"}
      </button>`;
  }
}

customElements.define("sw-app", SwApp);
declare global {
  interface HTMLElementTagNameMap {
    "sw-app": SwApp;
  }
}

import { css, html } from "lit";
import type { SensorStatus } from "@spinewatch/protocol";
import { ConnectedElement } from "./connected-element.js";
import { panelStyles } from "./panel-styles.js";

const ROLE_LABEL = { sacrum: "Sacrum", thoracolumbar: "T12/L1" } as const;
const STATE_CLASS: Record<SensorStatus["state"], string> = {
  streaming: "ok",
  reconnected: "ok",
  connecting: "caution",
  idle: "muted",
  stale: "caution",
  lost: "warning",
};

/**
 * Connection and sensors: the link to the gateway (with its reconnect state), the source, each
 * sensor's role, model, link state, rate, loss and battery, and the pairing step when the
 * gateway says real sensors need roles.
 */
export class SwSensorPanel extends ConnectedElement {
  static override properties = { ...ConnectedElement.properties, pairMessage: { state: true } };
  declare pairMessage: string;

  static override styles = [
    panelStyles,
    css`
      .link {
        font-size: 1.15rem;
        font-weight: 600;
        margin-bottom: 8px;
      }
      .pairing {
        margin-top: 12px;
        border-top: 1px solid #2b3540;
        padding-top: 10px;
      }
      .pairing label {
        display: flex;
        flex-direction: column;
        gap: 4px;
        margin-bottom: 8px;
      }
    `,
  ];

  constructor() {
    super();
    this.pairMessage = "";
  }

  override render() {
    const conn = this.connection;
    const s = this.session;
    const src = s?.source;
    return html`<h2>Sensors</h2>
      <div class="link" data-link=${conn?.phase ?? "connecting"}>${this.#linkText()}</div>
      ${src
        ? html`<p class="muted">Source: ${src.kind}${src.scenario ? ` (${src.scenario})` : ""}${src.file ? ` ${src.file.split(/[\\/]/).pop()}` : ""}${s && s.droppedFrames > 0 ? ` · ${s.droppedFrames} frames dropped (slow link)` : ""}</p>`
        : null}
      <div class="scroll">
        <table>
          <thead>
            <tr><th scope="col">Role</th><th scope="col">Model</th><th scope="col">Link</th><th scope="col">Rate</th><th scope="col">Loss</th><th scope="col">Battery</th></tr>
          </thead>
          <tbody>
            ${(s?.sensors ?? []).map(
              (x) => html`<tr data-sensor=${x.id}>
                <td>${ROLE_LABEL[x.role] ?? x.role}</td>
                <td>${x.name ?? x.device}</td>
                <td class=${STATE_CLASS[x.state] ?? ""} data-state=${x.state}>${x.state}</td>
                <td>${x.rateHz > 0 ? `${x.rateHz.toFixed(0)} Hz` : "—"}</td>
                <td>${(x.lossFraction * 100).toFixed(1)} %</td>
                <td>${x.batteryPercent !== undefined ? `${x.batteryPercent.toFixed(0)} %` : "—"}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${s?.problems.length ? html`<p class="caution" role="status">Last problem: ${s.problems[s.problems.length - 1].message}</p>` : null}
      ${s?.pairing?.required ? this.#pairing() : null}`;
  }

  #linkText(): string {
    const conn = this.connection;
    if (!conn) return "Not connected";
    switch (conn.phase) {
      case "open":
        return "● Connected to the gateway";
      case "connecting":
        return "○ Connecting to the gateway…";
      case "reconnecting":
        return `○ Gateway lost (${conn.lastCloseReason}); reconnecting, attempt ${conn.attempts}…`;
    }
  }

  #pairing() {
    const found = this.session?.pairing?.found ?? [];
    const options = found.map((f) => html`<option value=${f.address}>${f.name || f.address} (${f.model}, ${f.rssiDbm} dBm)</option>`);
    return html`<form class="pairing" aria-label="Pair sensors" @submit=${(e: SubmitEvent) => this.#assign(e)}>
      <p><strong>Pair your sensors:</strong> choose which sensor sits on the sacrum and which at T12/L1.</p>
      ${found.length === 0 ? html`<p class="muted">Scanning… no sensors found yet.</p>` : null}
      <label>Sacrum sensor <select name="sacrum" required>${options}</select></label>
      <label>T12/L1 sensor <select name="thoracolumbar" required>${options}</select></label>
      <button class="primary" type="submit" ?disabled=${found.length < 2}>Assign roles</button>
      <p role="status">${this.pairMessage}</p>
    </form>`;
  }

  async #assign(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const sacrum = String(form.get("sacrum") ?? "");
    const thoracolumbar = String(form.get("thoracolumbar") ?? "");
    if (sacrum === thoracolumbar) {
      this.pairMessage = "Choose two different sensors.";
      return;
    }
    const r = await this.connection?.request({ type: "assign-roles", sacrum, thoracolumbar });
    this.pairMessage = !r ? "" : r.ok ? "Roles assigned." : r.message;
  }
}

customElements.define("sw-sensor-panel", SwSensorPanel);
declare global {
  interface HTMLElementTagNameMap {
    "sw-sensor-panel": SwSensorPanel;
  }
}

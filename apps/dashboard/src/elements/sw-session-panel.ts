import { css, html } from "lit";
import type { SessionListEntry, SessionSummary } from "@spinewatch/protocol";
import { fmtBytes, fmtClock } from "../util/format.js";
import { ConnectedElement } from "./connected-element.js";
import { panelStyles } from "./panel-styles.js";
import "./sw-session-summary.js";

/**
 * Recording controls and the recorded sessions (GET /api/sessions): replay one (replay-session)
 * or look at its summary (GET /api/sessions/NAME/summary).
 */
export class SwSessionPanel extends ConnectedElement {
  static override properties = {
    ...ConnectedElement.properties,
    sessions: { state: true },
    message: { state: true },
    shown: { state: true },
  };
  declare sessions: SessionListEntry[] | null;
  declare message: string;
  declare shown: { name: string; summary: SessionSummary } | null;

  static override styles = [
    panelStyles,
    css`
      .rec {
        font-weight: 600;
      }
      .rec.on {
        color: #ff5c5c;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 10px;
        align-items: center;
        padding: 6px 0;
        border-bottom: 1px solid #2b3540;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 8px 0;
        max-height: 360px;
        overflow-y: auto;
      }
      .name {
        flex: 1 1 200px;
        word-break: break-all;
      }
      sw-session-summary {
        margin-top: 10px;
      }
    `,
  ];

  constructor() {
    super();
    this.sessions = null;
    this.message = "";
    this.shown = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  async refresh(): Promise<void> {
    if (!this.connection) return;
    try {
      this.sessions = await this.connection.api<SessionListEntry[]>("/api/sessions");
    } catch (err) {
      this.message = `Sessions: ${(err as Error).message}`;
    }
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has("connection") && this.connection && this.sessions === null) void this.refresh();
  }

  async #toggleRecording(): Promise<void> {
    const active = this.session?.recording.active;
    const r = await this.connection?.request({ type: active ? "stop-recording" : "start-recording" });
    this.message = !r ? "" : r.ok ? "" : r.message;
    void this.refresh();
  }

  async #replay(name: string): Promise<void> {
    const r = await this.connection?.request({ type: "replay-session", session: name });
    this.message = !r ? "" : r.ok ? `Replaying ${name}` : r.message;
  }

  async #summary(name: string): Promise<void> {
    try {
      const summary = await this.connection!.api<SessionSummary>(`/api/sessions/${encodeURIComponent(name)}/summary`);
      this.shown = { name, summary };
    } catch (err) {
      this.message = `${name}: ${(err as Error).message}`;
    }
  }

  override render() {
    const rec = this.session?.recording ?? { active: false };
    const live = this.session?.summary ?? null;
    return html`<h2>Recording and sessions</h2>
      <div class="row">
        <button class=${rec.active ? "" : "primary"} data-action="record" aria-pressed=${rec.active ? "true" : "false"} @click=${() => this.#toggleRecording()}>
          ${rec.active ? "■ Stop recording" : "● Start recording"}
        </button>
        <span class="rec ${rec.active ? "on" : ""}" role="status">${rec.active ? `Recording ${rec.session ?? ""}${rec.bytes ? ` (${fmtBytes(rec.bytes)})` : ""}` : "Not recording"}</span>
      </div>
      <div class="row" style="margin-top:10px">
        <button @click=${() => this.refresh()}>Refresh list</button>
        <span class="muted">${this.sessions ? `${this.sessions.length} sessions` : ""}</span>
      </div>
      <ul aria-label="Recorded sessions">
        ${(this.sessions ?? []).slice(0, 50).map(
          (x) => html`<li data-session=${x.name}>
            <span class="name">${x.name}<br /><span class="muted">${x.durationMs !== undefined ? fmtClock(x.durationMs) + " · " : ""}${fmtBytes(x.bytes)}</span></span>
            <button @click=${() => this.#replay(x.name)} aria-label=${`Replay ${x.name}`}>Replay</button>
            <button ?disabled=${!x.hasSummary} @click=${() => this.#summary(x.name)} aria-label=${`Summary of ${x.name}`}>Summary</button>
          </li>`,
        )}
      </ul>
      ${this.message ? html`<p class="caution" role="status">${this.message}</p>` : null}
      ${live ? html`<sw-session-summary heading="This session's summary" .summary=${live}></sw-session-summary>` : null}
      ${this.shown ? html`<sw-session-summary heading=${`Summary: ${this.shown.name}`} .summary=${this.shown.summary}></sw-session-summary>` : null}`;
  }
}

customElements.define("sw-session-panel", SwSessionPanel);
declare global {
  interface HTMLElementTagNameMap {
    "sw-session-panel": SwSessionPanel;
  }
}

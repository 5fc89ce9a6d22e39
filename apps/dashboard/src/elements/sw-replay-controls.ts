import { css, html } from "lit";
import { fmtClock } from "../util/format.js";
import { frameLoop } from "../util/frame-loop.js";
import { ConnectedElement } from "./connected-element.js";
import { panelStyles } from "./panel-styles.js";

const RATES = [0.25, 0.5, 1, 2, 4, 8];

/** Replay of a recorded session: play/pause, seek and rate (replay sources only). */
export class SwReplayControls extends ConnectedElement {
  static override properties = { ...ConnectedElement.properties, message: { state: true } };
  declare message: string;
  #dragging = false;
  #dragValue = 0;

  static override styles = [
    panelStyles,
    css`
      input[type="range"] {
        width: 100%;
        padding: 0;
        accent-color: #2f6fd0;
      }
      .time {
        font-variant-numeric: tabular-nums;
        font-size: 1.2rem;
      }
    `,
  ];

  #stopTicks: (() => void) | null = null;
  #lastTickMs = 0;

  constructor() {
    super({ frames: true });
    this.message = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The position moves even while no frames flow (before calibration): 5 updates a second.
    this.#stopTicks = frameLoop.add((nowMs) => {
      if (nowMs - this.#lastTickMs < 200 || !this.session?.replay || this.session.replay.paused) return;
      this.#lastTickMs = nowMs;
      this.requestUpdate();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopTicks?.();
  }

  async #send(body: Parameters<NonNullable<typeof this.connection>["request"]>[0]): Promise<void> {
    const r = await this.connection?.request(body);
    this.message = !r || r.ok ? "" : r.message;
  }

  override render() {
    const s = this.session;
    const replay = s?.replay;
    if (!s || s.source?.kind !== "replay" || !replay) {
      return html`<h2>Replay</h2><p class="muted">Live source: choose a recorded session below to replay it.</p>`;
    }
    const positionMs = s.replayPositionMs(performance.now());
    // A replay that does not know its length yet (durationMs null) can still be sought a minute ahead.
    const known = replay.durationMs !== null;
    const durationMs = replay.durationMs ?? Math.max(positionMs + 60_000, 60_000);
    return html`<h2>Replay</h2>
      <div class="row">
        <button class="primary" data-action=${replay.paused ? "play" : "pause"} @click=${() => this.#send({ type: replay.paused ? "replay-resume" : "replay-pause" })}>
          ${replay.paused ? "▶ Play" : "⏸ Pause"}
        </button>
        <label
          >Rate
          <select @change=${(e: Event) => this.#send({ type: "replay-rate", rate: Number((e.target as HTMLSelectElement).value) })}>
            ${RATES.map((r) => html`<option value=${r} ?selected=${r === replay.rate}>${r}×</option>`)}
          </select></label
        >
        <span class="time" data-position-ms=${Math.round(positionMs)}>${fmtClock(positionMs)} / ${known ? fmtClock(durationMs) : "?"}</span>
      </div>
      <label
        >Position
        <input
          type="range"
          name="seek"
          min="0"
          max=${Math.round(durationMs)}
          step="100"
          .value=${String(this.#dragging ? this.#dragValue : Math.round(positionMs))}
          @input=${(e: Event) => {
            this.#dragging = true;
            this.#dragValue = (e.target as HTMLInputElement).valueAsNumber;
          }}
          @change=${(e: Event) => {
            this.#dragging = false;
            void this.#send({ type: "replay-seek", tMs: (e.target as HTMLInputElement).valueAsNumber });
          }}
      /></label>
      ${this.message ? html`<p class="warning" role="status">${this.message}</p>` : null}`;
  }
}

customElements.define("sw-replay-controls", SwReplayControls);
declare global {
  interface HTMLElementTagNameMap {
    "sw-replay-controls": SwReplayControls;
  }
}

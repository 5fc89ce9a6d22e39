import { css, html, LitElement, type PropertyValues } from "lit";
import type { RangeAxis } from "@spinewatch/protocol";
import type { GatewayConnection } from "../connection/gateway-connection.js";
import { ConnectionController } from "../connection/connection-controller.js";
import type { ActiveRange } from "../state/session-state.js";
import { AXIS_LABELS } from "../util/format.js";
import { WarningTone } from "../util/warning-tone.js";

/**
 * The range warning banner: fixed to the top of the viewport (never scrolled away), red for a
 * warning, amber for a caution, with a tone for each new one (WarningTone) and a mute toggle.
 * `data-level`, `data-axis` and `data-t-ms` (the event's sample time) are for tests and tools.
 */
export class SwWarningBanner extends LitElement {
  static override properties = { connection: { attribute: false }, muted: { type: Boolean, reflect: true } };
  declare connection: GatewayConnection | null;
  declare muted: boolean;
  readonly tone = new WarningTone();
  readonly #link = new ConnectionController(this);
  /** Axes and levels already sounded, so a tone plays once per new caution or warning. */
  #sounded = new Map<RangeAxis, string>();

  static override styles = css`
    :host {
      position: fixed;
      top: 0;
      left: 0;
      right: 0;
      z-index: 100;
      pointer-events: none;
    }
    .banner {
      pointer-events: auto;
      display: flex;
      align-items: center;
      gap: 14px;
      padding: 10px 16px;
      font-size: clamp(1.3rem, 4.5vw, 2rem);
      font-weight: 700;
      color: #111;
      box-shadow: 0 4px 16px rgba(0, 0, 0, 0.5);
    }
    .banner.warning {
      background: #ff4d4d;
      color: #fff;
    }
    .banner.caution {
      background: #ffb347;
    }
    .icon {
      flex: none;
    }
    .detail {
      font-weight: 500;
      font-size: 0.7em;
    }
  `;

  constructor() {
    super();
    this.connection = null;
    this.muted = false;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has("connection")) this.#link.connection = this.connection;
    this.tone.muted = this.muted;
  }

  /** The most severe active range event (warning over caution, then the largest excess). */
  #top(): ActiveRange | null {
    let best: ActiveRange | null = null;
    for (const a of this.connection?.state.active.values() ?? []) {
      if (!best || (a.level === "warning" && best.level !== "warning") || (a.level === best.level && a.valueDeg / a.limitDeg > best.valueDeg / best.limitDeg)) best = a;
    }
    return best;
  }

  protected override updated(): void {
    const active = this.connection?.state.active;
    if (!active) return;
    for (const [axis, a] of active) {
      if (this.#sounded.get(axis) === a.level) continue;
      this.#sounded.set(axis, a.level);
      if (a.level === "warning") this.tone.warning();
      else this.tone.caution();
    }
    for (const axis of [...this.#sounded.keys()]) if (!active.has(axis)) this.#sounded.delete(axis);
  }

  override render() {
    const top = this.#top();
    if (!top) return html`<div role="status" aria-live="assertive" data-level="none"></div>`;
    const more = (this.connection?.state.active.size ?? 1) - 1;
    const verb = top.level === "warning" ? "beyond" : "near";
    return html`<div
      class="banner ${top.level}"
      role="alert"
      data-level=${top.level}
      data-axis=${top.axis}
      data-t-ms=${top.tMs}
      data-limit-deg=${top.limitDeg}
      data-beyond-since-ms=${top.beyondSinceMs ?? ""}
    >
      <svg class="icon" width="36" height="36" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M12 2 1 21h22z" fill="currentColor" /><path d="M12 9v6M12 17.5v1.5" stroke=${top.level === "warning" ? "#ff4d4d" : "#ffb347"} stroke-width="2.4" />
      </svg>
      <span>${top.level === "warning" ? "WARNING" : "Caution"}: ${AXIS_LABELS[top.axis]} ${Math.abs(top.valueDeg).toFixed(0)}°
        <span class="detail">${verb} the ${top.limitDeg.toFixed(0)}° limit${top.rep ? `, rep ${top.rep}` : ""}${more > 0 ? ` (+${more} more)` : ""}</span></span>
    </div>`;
  }
}

customElements.define("sw-warning-banner", SwWarningBanner);
declare global {
  interface HTMLElementTagNameMap {
    "sw-warning-banner": SwWarningBanner;
  }
}

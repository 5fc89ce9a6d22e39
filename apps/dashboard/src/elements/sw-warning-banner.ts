import { css, html, LitElement, type PropertyValues } from "lit";
import type { RangeAxis } from "@spinewatch/protocol";
import type { GatewayConnection } from "../connection/gateway-connection.js";
import { ConnectionController } from "../connection/connection-controller.js";
import { ENDED_WARNING_HOLD_MS, pickBannerRange, type EndedWarning } from "../state/banner-pick.js";
import { AXIS_LABELS } from "../util/format.js";
import { WarningTone } from "../util/warning-tone.js";

/**
 * The range warning banner: fixed to the top of the viewport (never scrolled away), red for a
 * warning, amber for a caution, with a tone for each new one (WarningTone) and a mute toggle.
 * A warning that ended stays up a moment, marked as over (banner-pick.ts says why and how long).
 * `data-level`, `data-axis`, `data-t-ms` (the event's sample time) and `data-ended` are for tests
 * and tools.
 */
export class SwWarningBanner extends LitElement {
  static override properties = { connection: { attribute: false }, muted: { type: Boolean, reflect: true } };
  declare connection: GatewayConnection | null;
  declare muted: boolean;
  readonly tone = new WarningTone();
  readonly #link = new ConnectionController(this);
  /** Axes and levels already sounded, so a tone plays once per new caution or warning. */
  #sounded = new Map<RangeAxis, string>();
  /** The ended warning last looked at, so one that began and ended unseen still sounds once. */
  #endedSeen: EndedWarning | null = null;
  /** Re-renders when an ended warning's hold is over. */
  #holdTimer: ReturnType<typeof setTimeout> | undefined;

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
    .banner.warning.ended {
      background: #b23b3b;
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

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#holdTimer);
  }

  protected override updated(): void {
    const state = this.connection?.state;
    if (!state) return;
    const active = state.active;
    const ended = state.endedWarning;
    if (ended && ended !== this.#endedSeen) {
      this.#endedSeen = ended;
      if (this.#sounded.get(ended.warning.axis) !== "warning") this.tone.warning();
    }
    for (const [axis, a] of active) {
      if (this.#sounded.get(axis) === a.level) continue;
      this.#sounded.set(axis, a.level);
      if (a.level === "warning") this.tone.warning();
      else this.tone.caution();
    }
    for (const axis of [...this.#sounded.keys()]) if (!active.has(axis)) this.#sounded.delete(axis);
    clearTimeout(this.#holdTimer);
    const leftMs = ended ? ended.endedAtMs + ENDED_WARNING_HOLD_MS - performance.now() : 0;
    if (leftMs > 0) this.#holdTimer = setTimeout(() => this.requestUpdate(), leftMs + 1);
  }

  override render() {
    const state = this.connection?.state;
    const pick = state ? pickBannerRange(state.active, state.endedWarning, performance.now()) : null;
    if (!pick) return html`<div role="status" aria-live="assertive" data-level="none"></div>`;
    const top = pick.range;
    const more = (state?.active.size ?? 0) - (pick.ended ? 0 : 1);
    const verb = pick.ended ? "was beyond" : top.level === "warning" ? "beyond" : "near";
    return html`<div
      class="banner ${top.level} ${pick.ended ? "ended" : ""}"
      role="alert"
      data-level=${top.level}
      data-axis=${top.axis}
      data-t-ms=${top.tMs}
      data-ended=${pick.ended}
      data-limit-deg=${top.limitDeg}
      data-beyond-since-ms=${top.beyondSinceMs ?? ""}
    >
      <svg class="icon" width="36" height="36" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M12 2 1 21h22z" fill="currentColor" /><path d="M12 9v6M12 17.5v1.5" stroke=${top.level === "warning" ? "#ff4d4d" : "#ffb347"} stroke-width="2.4" />
      </svg>
      <span>${top.level === "warning" ? "WARNING" : "Caution"}: ${AXIS_LABELS[top.axis]} ${Math.abs(top.valueDeg).toFixed(0)}°
        <span class="detail">${verb} the ${top.limitDeg.toFixed(0)}° limit${top.rep ? `, rep ${top.rep}` : ""}${pick.ended ? ", now back within it" : ""}${more > 0 ? ` (+${more} more)` : ""}</span></span>
    </div>`;
  }
}

customElements.define("sw-warning-banner", SwWarningBanner);
declare global {
  interface HTMLElementTagNameMap {
    "sw-warning-banner": SwWarningBanner;
  }
}

import { css, html } from "lit";
import type { RingChannel } from "../state/angle-ring.js";
import { CHANNEL_COLORS, panelStyles } from "./panel-styles.js";
import { ConnectedElement } from "./connected-element.js";

const TILES: { channel: RingChannel; label: string; hint: string }[] = [
  { channel: "flexionDeg", label: "Flexion", hint: "forward +, extension −" },
  { channel: "lateralBendDeg", label: "Side bend", hint: "right +, left −" },
  { channel: "axialRotationDeg", label: "Rotation", hint: "right +, left −" },
  { channel: "pelvisTiltDeg", label: "Pelvis tilt", hint: "hip hinge +" },
];

/** Large current numbers for the four angles, refreshed once per animation frame. */
export class SwAngleReadout extends ConnectedElement {
  static override styles = [
    panelStyles,
    css`
      .tiles {
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: 10px;
      }
      .tile {
        background: #121920;
        border-radius: 10px;
        padding: 8px 12px;
        border-left: 6px solid var(--c);
      }
      .label {
        font-size: 1rem;
        color: #b8c4cf;
      }
      .value {
        font-size: clamp(2.4rem, 9vw, 3.6rem);
        font-weight: 700;
        font-variant-numeric: tabular-nums;
        line-height: 1.05;
      }
      .hint {
        font-size: 0.8rem;
        color: #7f8e9c;
      }
    `,
  ];

  constructor() {
    super({ frames: true });
  }

  override render() {
    const ring = this.session?.ring;
    return html`<h2>Now</h2>
      <div class="tiles" role="group" aria-label="Current angles">
        ${TILES.map((t) => {
          const v = ring ? ring.last(t.channel) : Number.NaN;
          // Round first so that -0.3 shows as 0°, not -0°.
          const text = Number.isFinite(v) ? `${Math.round(v) || 0}°` : "—";
          return html`<div class="tile" style="--c:${CHANNEL_COLORS[t.channel]}" data-channel=${t.channel} data-value=${Number.isFinite(v) ? v.toFixed(2) : ""}>
            <div class="label">${t.label}</div>
            <div class="value">${text}</div>
            <div class="hint">${t.hint}</div>
          </div>`;
        })}
      </div>`;
  }
}

customElements.define("sw-angle-readout", SwAngleReadout);
declare global {
  interface HTMLElementTagNameMap {
    "sw-angle-readout": SwAngleReadout;
  }
}

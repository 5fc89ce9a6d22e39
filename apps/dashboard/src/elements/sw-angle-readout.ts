import { css, html, nothing } from "lit";
import type { RingChannel } from "../state/angle-ring.js";
import { CHANNEL_COLORS, panelStyles } from "./panel-styles.js";
import { ConnectedElement } from "./connected-element.js";
import { showsPelvisObliquity } from "../util/exercises.js";
import { fmtObliquityDeg, obliquitySide } from "../util/format.js";

const TILES: { channel: RingChannel; label: string; hint: string }[] = [
  { channel: "flexionDeg", label: "Flexion", hint: "forward +, extension −" },
  { channel: "lateralBendDeg", label: "Side bend", hint: "right +, left −" },
  { channel: "axialRotationDeg", label: "Rotation", hint: "right +, left −" },
  { channel: "pelvisTiltDeg", label: "Pelvis tilt", hint: "hip hinge +" },
];

/**
 * Large current numbers for the four angles, refreshed once per animation frame. For bird dog
 * (util/exercises.ts) a fifth, full-width tile: the pelvis obliquity its reps are counted on, to
 * 0.1° (a reach rolls the pelvis only 1-3°, so whole degrees would hide it), with the side up.
 * While the frames carry a rest the exercise counts from (the bird dog's all-fours rest:
 * state/angle-ring.ts) the numbers are from it, as the reps and warnings count them, and a line
 * under the tiles says so: otherwise a coach comparing with a standing calibration would wonder.
 */
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
      .tile.wide {
        grid-column: 1 / -1;
      }
      .from-rest {
        margin: 8px 0 0;
        font-size: 0.85rem;
        color: #b8c4cf;
      }
      .from-rest.settling {
        color: #ffd166;
        font-weight: 600;
      }
      .side {
        font-size: 1.3rem;
        font-weight: 600;
        margin-left: 12px;
      }
    `,
  ];

  constructor() {
    super({ frames: true });
  }

  override render() {
    const s = this.session;
    const ring = s?.ring;
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
        ${s && showsPelvisObliquity(s.exercise) ? this.#obliquityTile(ring!.last("pelvisObliquityDeg")) : nothing}
      </div>
      ${this.#restNote(ring?.lastRest ?? "none")}`;
  }

  /**
   * Until the person has been still in position, the reps and warnings have no rest to count
   * from (analysis rest-neutral.ts: the first still moment after getting down is taken as it), so
   * they are asked to settle, which also keeps a first reach from being taken for the rest.
   */
  #restNote(rest: "none" | "settling" | "settled") {
    if (rest === "settled") return html`<p class="from-rest" data-from-rest="settled">Angles from the rest you settled into, as the reps and warnings count them.</p>`;
    if (rest === "settling") return html`<p class="from-rest settling" data-from-rest="settling">Be still in position for a moment: the reps and warnings count from that rest.</p>`;
    return nothing;
  }

  #obliquityTile(v: number) {
    const known = Number.isFinite(v);
    const text = fmtObliquityDeg(v);
    return html`<div class="tile wide" style="--c:${CHANNEL_COLORS.pelvisObliquityDeg}" data-channel="pelvisObliquityDeg" data-value=${known ? v.toFixed(2) : ""}>
      <div class="label">Pelvis obliquity</div>
      <div class="value"><span data-text>${text}</span><span class="side" data-side>${obliquitySide(v)}</span></div>
      <div class="hint">right side up +, left side up − · 0 = level on all fours (the rest between reaches)</div>
    </div>`;
  }
}

customElements.define("sw-angle-readout", SwAngleReadout);
declare global {
  interface HTMLElementTagNameMap {
    "sw-angle-readout": SwAngleReadout;
  }
}

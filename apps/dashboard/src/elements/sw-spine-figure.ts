import { css, html, svg } from "lit";
import type { RangeLimits } from "@spinewatch/protocol";
import { direction, polyline, sectorPath, spineJoints, type Point } from "../spine/spine-geometry.js";
import { ConnectedElement } from "./connected-element.js";
import { panelStyles } from "./panel-styles.js";

const SEGMENT = 22;
const BAND_RADIUS = 150;
const THORAX = 60;
const CAUTION_FRACTION = 0.8; // the analysis' caution level (packages/analysis RANGE_DEFAULTS)

type Level = "ok" | "caution" | "warning";
const LEVEL_COLOR: Record<Level, string> = { ok: "#5dd39e", caution: "#ffb347", warning: "#ff5c5c" };

/**
 * Live spine: pelvis and lumbar spine in the sagittal plane (seen from the right, facing right)
 * and the frontal plane (seen from behind), moving with the angles, with the tolerated band as a
 * sector around the lumbosacral joint: where the thorax may point relative to the pelvis.
 */
export class SwSpineFigure extends ConnectedElement {
  static override styles = [
    panelStyles,
    css`
      .views {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 8px;
      }
      figure {
        margin: 0;
        text-align: center;
      }
      figcaption {
        color: #9fb0c0;
        font-size: 0.95rem;
      }
      svg {
        width: 100%;
        height: auto;
        max-height: 320px;
      }
    `,
  ];

  constructor() {
    super({ frames: true });
  }

  override render() {
    const s = this.session;
    const ring = s?.ring;
    const flex = ring?.last("flexionDeg") ?? Number.NaN;
    const lat = ring?.last("lateralBendDeg") ?? Number.NaN;
    const rot = ring?.last("axialRotationDeg") ?? Number.NaN;
    const tilt = ring?.last("pelvisTiltDeg") ?? Number.NaN;
    const limits = s?.limits ?? null;
    let level: Level = "ok";
    for (const a of s?.active.values() ?? []) level = a.level === "warning" ? "warning" : level === "ok" ? "caution" : level;
    const have = Number.isFinite(flex);
    return html`<h2>Spine</h2>
      <div class="views" data-level=${level}>
        <figure>
          ${this.#sagittal(have ? flex : 0, have ? tilt : 0, limits, level)}
          <figcaption>Side view (facing right)</figcaption>
        </figure>
        <figure>
          ${this.#frontal(have ? lat : 0, have ? rot : 0, limits, level)}
          <figcaption>From behind</figcaption>
        </figure>
      </div>`;
  }

  #sagittal(flexDeg: number, tiltDeg: number, limits: RangeLimits | null, level: Level) {
    const base: Point = { x: 90, y: 205 };
    const joints = spineJoints(base, tiltDeg, flexDeg, SEGMENT);
    const top = joints[joints.length - 1];
    const dTop = direction(tiltDeg + flexDeg);
    const head = { x: top.x + dTop.x * THORAX, y: top.y + dTop.y * THORAX };
    // Pelvis: a wedge hanging below and behind the lumbosacral joint, turning with the tilt.
    const pelvis = [direction(tiltDeg + 160), direction(tiltDeg + 215), direction(tiltDeg + 250)].map((d, i) => ({
      x: base.x + d.x * [46, 40, 26][i],
      y: base.y + d.y * [46, 40, 26][i],
    }));
    const band = limits
      ? svg`<path d=${sectorPath(base, BAND_RADIUS, tiltDeg - limits.extensionDeg, tiltDeg + limits.flexionDeg)} fill="#5dd39e" fill-opacity="0.13" stroke="#5dd39e" stroke-opacity="0.5"/>
            <path d=${sectorPath(base, BAND_RADIUS, tiltDeg - CAUTION_FRACTION * limits.extensionDeg, tiltDeg + CAUTION_FRACTION * limits.flexionDeg)} fill="#5dd39e" fill-opacity="0.12"/>`
      : null;
    return svg`<svg viewBox="0 0 240 240" role="img" aria-label=${`Side view: lumbar flexion ${flexDeg.toFixed(0)} degrees, pelvis tilt ${tiltDeg.toFixed(0)} degrees`}>
      <line x1="0" y1="232" x2="240" y2="232" stroke="#2b3540" stroke-width="2"/>
      ${band}
      <line x1=${base.x} y1=${base.y} x2=${base.x + direction(tiltDeg).x * BAND_RADIUS} y2=${base.y + direction(tiltDeg).y * BAND_RADIUS} stroke="#8a99a8" stroke-dasharray="4 4" stroke-width="1"/>
      <polygon points=${polyline([base, ...pelvis])} fill="#6c7a89" stroke="#aab6c2" stroke-width="2"/>
      <polyline points=${polyline([top, head])} stroke="#aab6c2" stroke-width="8" stroke-linecap="round" fill="none"/>
      <polyline class="spine" points=${polyline(joints)} stroke=${LEVEL_COLOR[level]} stroke-width="9" stroke-linecap="round" stroke-linejoin="round" fill="none"/>
      ${joints.slice(1).map((p) => svg`<circle cx=${p.x} cy=${p.y} r="5" fill="#0f1419" stroke=${LEVEL_COLOR[level]} stroke-width="2"/>`)}
    </svg>`;
  }

  #frontal(latDeg: number, rotDeg: number, limits: RangeLimits | null, level: Level) {
    const base: Point = { x: 120, y: 200 };
    const joints = spineJoints(base, 0, latDeg, SEGMENT);
    const top = joints[joints.length - 1];
    const dTop = direction(latDeg);
    const chest = { x: top.x + dTop.x * THORAX, y: top.y + dTop.y * THORAX };
    // Shoulder line across the chest, foreshortened by the axial rotation.
    const half = 42 * Math.max(0.15, Math.cos((rotDeg * Math.PI) / 180));
    const perp = { x: -dTop.y, y: dTop.x };
    const left = limits?.lateralBendLeftDeg ?? limits?.lateralBendDeg ?? 0;
    const right = limits?.lateralBendRightDeg ?? limits?.lateralBendDeg ?? 0;
    const band = limits
      ? svg`<path d=${sectorPath(base, BAND_RADIUS, -left, right)} fill="#5dd39e" fill-opacity="0.13" stroke="#5dd39e" stroke-opacity="0.5"/>
            <path d=${sectorPath(base, BAND_RADIUS, -CAUTION_FRACTION * left, CAUTION_FRACTION * right)} fill="#5dd39e" fill-opacity="0.12"/>`
      : null;
    return svg`<svg viewBox="0 0 240 240" role="img" aria-label=${`From behind: side bend ${latDeg.toFixed(0)} degrees, rotation ${rotDeg.toFixed(0)} degrees`}>
      <line x1="0" y1="232" x2="240" y2="232" stroke="#2b3540" stroke-width="2"/>
      ${band}
      <path d="M${base.x - 48},${base.y - 6} Q${base.x},${base.y - 18} ${base.x + 48},${base.y - 6} L${base.x + 30},${base.y + 26} L${base.x - 30},${base.y + 26} Z" fill="#6c7a89" stroke="#aab6c2" stroke-width="2"/>
      <polyline points=${polyline([top, chest])} stroke="#aab6c2" stroke-width="8" stroke-linecap="round" fill="none"/>
      <line x1=${chest.x - perp.x * half} y1=${chest.y - perp.y * half} x2=${chest.x + perp.x * half} y2=${chest.y + perp.y * half} stroke="#ffd166" stroke-width="6" stroke-linecap="round"/>
      <polyline points=${polyline(joints)} stroke=${LEVEL_COLOR[level]} stroke-width="9" stroke-linecap="round" stroke-linejoin="round" fill="none"/>
      ${joints.slice(1).map((p) => svg`<circle cx=${p.x} cy=${p.y} r="5" fill="#0f1419" stroke=${LEVEL_COLOR[level]} stroke-width="2"/>`)}
      <text x="8" y="20" fill="#9fb0c0" font-size="13">L</text><text x="222" y="20" fill="#9fb0c0" font-size="13">R</text>
    </svg>`;
  }
}

customElements.define("sw-spine-figure", SwSpineFigure);
declare global {
  interface HTMLElementTagNameMap {
    "sw-spine-figure": SwSpineFigure;
  }
}

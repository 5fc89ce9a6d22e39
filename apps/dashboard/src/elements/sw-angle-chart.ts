import { css, html, unsafeCSS, type PropertyValues } from "lit";
import uPlot from "uplot";
import uplotCss from "uplot/dist/uPlot.min.css?inline";
import type { RangeLimits } from "@spinewatch/protocol";
import { CHART_SPECS, chartOptions, channelIndex, type ChartKind } from "../charts/chart-config.js";
import { RING_CHANNELS } from "../state/angle-ring.js";
import { frameLoop } from "../util/frame-loop.js";
import { ConnectedElement } from "./connected-element.js";
import { panelStyles } from "./panel-styles.js";

const CHART_HEIGHT = 220;

/**
 * A rolling uPlot chart of two angle channels over the last `windowS` seconds with the tolerated
 * band shaded. Three kinds of change, as Grafana's uPlot wrapper separates them
 * (STYLE-MODELS.md §4): size (ResizeObserver -> setSize), configuration (kind or window ->
 * a new chart) and data (ring buffer -> setData once per animation frame, only when new frames came).
 */
export class SwAngleChart extends ConnectedElement {
  static override properties = { ...ConnectedElement.properties, kind: {}, windowS: { type: Number, attribute: "window-s" } };
  declare kind: ChartKind;
  declare windowS: number;

  static override styles = [
    panelStyles,
    unsafeCSS(uplotCss),
    css`
      .plot {
        width: 100%;
        min-height: ${CHART_HEIGHT}px;
      }
      .head {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 8px;
      }
      .u-legend {
        color: #c9d3dc;
        font-size: 0.95rem;
      }
      label {
        color: #9fb0c0;
        font-size: 0.95rem;
      }
      select {
        min-height: 36px;
        padding: 2px 8px;
      }
    `,
  ];

  #plot: uPlot | null = null;
  #resize: ResizeObserver | null = null;
  #stopFrames: (() => void) | null = null;
  #seenRevision = -1;
  #seenLimits: RangeLimits | null = null;
  #x = new Float64Array(0);
  #cols: (Float64Array | null)[] = [];
  #width = 0;

  constructor() {
    super();
    this.kind = "flexion";
    this.windowS = 20;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#stopFrames = frameLoop.add(() => this.#onFrame());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopFrames?.();
    this.#resize?.disconnect();
    this.#plot?.destroy();
    this.#plot = null;
  }

  override render() {
    const spec = CHART_SPECS[this.kind];
    return html`<div class="head">
        <h2 id="title">${spec.title}</h2>
        <label
          >Window
          <select @change=${(e: Event) => (this.windowS = Number((e.target as HTMLSelectElement).value))} aria-label="Chart window">
            ${[10, 20, 30].map((s) => html`<option value=${s} ?selected=${s === this.windowS}>${s} s</option>`)}
          </select></label
        >
      </div>
      <div class="plot" role="img" aria-labelledby="title"></div>`;
  }

  protected override firstUpdated(): void {
    const el = this.renderRoot.querySelector<HTMLElement>(".plot")!;
    this.#resize = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0].contentRect.width);
      if (w <= 0 || w === this.#width) return;
      this.#width = w;
      if (this.#plot) this.#plot.setSize({ width: w, height: CHART_HEIGHT });
      else this.#build();
    });
    this.#resize.observe(el);
  }

  protected override updated(changed: PropertyValues): void {
    if ((changed.has("kind") || changed.has("windowS")) && this.#plot) this.#build();
  }

  /** The chart's uPlot (null until its width is known): its series and data, for the browser tests. */
  get plot(): uPlot | null {
    return this.#plot;
  }

  /** Configuration changed (or first size known): a new uPlot. */
  #build(): void {
    const el = this.renderRoot.querySelector<HTMLElement>(".plot");
    if (!el || this.#width <= 0) return;
    this.#plot?.destroy();
    const cap = this.session?.ring.capacity ?? 8192;
    if (this.#x.length !== cap) this.#x = new Float64Array(cap);
    // Columns only for the channels this chart draws (the ring skips the null ones).
    const drawn = CHART_SPECS[this.kind].channels.map((c) => c.channel);
    this.#cols = RING_CHANNELS.map((c, i) => {
      const col = this.#cols[i];
      return !drawn.includes(c) ? null : col && col.length === cap ? col : new Float64Array(cap);
    });
    const opts = chartOptions(this.kind, this.windowS, { width: this.#width, height: CHART_HEIGHT }, () => this.session?.limits ?? null);
    this.#plot = new uPlot(opts, [[], ...CHART_SPECS[this.kind].channels.map(() => [])], el);
    this.#seenRevision = -1;
  }

  /** Data: once per animation frame, only when the ring changed (or the limits did). */
  #onFrame(): void {
    const plot = this.#plot;
    const s = this.session;
    if (!plot || !s) return;
    const limits = s.limits;
    const ring = s.ring;
    if (ring.revision === this.#seenRevision && limits === this.#seenLimits) return;
    this.#seenRevision = ring.revision;
    this.#seenLimits = limits;
    const n = ring.copyWindow(ring.lastTMs - this.windowS * 1000, this.#x, this.#cols);
    const spec = CHART_SPECS[this.kind];
    const data = [this.#x.subarray(0, n), ...spec.channels.map((c) => this.#cols[channelIndex(c.channel)]!.subarray(0, n))];
    plot.setData(data as unknown as uPlot.AlignedData);
  }
}

customElements.define("sw-angle-chart", SwAngleChart);
declare global {
  interface HTMLElementTagNameMap {
    "sw-angle-chart": SwAngleChart;
  }
}

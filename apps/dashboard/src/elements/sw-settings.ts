import { css, html } from "lit";
import type { RangeLimits } from "@spinewatch/protocol";
import { EXERCISES } from "../util/exercises.js";
import { ConnectedElement } from "./connected-element.js";
import { panelStyles } from "./panel-styles.js";

type LimitField = keyof RangeLimits;
const FIELDS: { key: LimitField; label: string }[] = [
  { key: "flexionDeg", label: "Flexion" },
  { key: "extensionDeg", label: "Extension" },
  { key: "lateralBendDeg", label: "Side bend (each side)" },
  { key: "axialRotationDeg", label: "Rotation (each side)" },
  // Optional one-sided limits (RangeLimits): blank means the both-sides value applies.
  { key: "lateralBendLeftDeg", label: "Side bend left" },
  { key: "lateralBendRightDeg", label: "Side bend right" },
  { key: "rotationLeftDeg", label: "Rotation left" },
  { key: "rotationRightDeg", label: "Rotation right" },
];

/** Exercise and per-axis limits, sent to the gateway as soon as a value changes (applied live). */
export class SwSettings extends ConnectedElement {
  static override properties = { ...ConnectedElement.properties, message: { state: true } };
  declare message: string;

  static override styles = [
    panelStyles,
    css`
      form {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
        gap: 10px;
      }
      label {
        display: flex;
        flex-direction: column;
        gap: 4px;
        color: #b8c4cf;
        font-size: 0.95rem;
      }
      input {
        width: 100%;
        box-sizing: border-box;
        font-size: 1.3rem;
      }
      .exercise {
        margin-bottom: 12px;
      }
      .exercise select {
        width: 100%;
        font-size: 1.2rem;
      }
    `,
  ];

  constructor() {
    super();
    this.message = "";
  }

  async #setExercise(e: Event): Promise<void> {
    const exercise = (e.target as HTMLSelectElement).value;
    const r = await this.connection?.request({ type: "set-exercise", exercise });
    this.message = !r ? "" : r.ok ? `Exercise: ${exercise}` : r.message;
  }

  async #setLimit(key: LimitField, input: HTMLInputElement): Promise<void> {
    const v = input.valueAsNumber;
    if (!Number.isFinite(v) || v < 0 || v > 180) {
      this.message = `${key}: enter 0 to 180 degrees`;
      return;
    }
    const r = await this.connection?.request({ type: "set-limits", limits: { [key]: v } });
    this.message = !r ? "" : r.ok ? `Limit applied: ${FIELDS.find((f) => f.key === key)?.label} ${v}°` : r.message;
  }

  override render() {
    const s = this.session;
    const limits = s?.limits;
    return html`<h2>Settings</h2>
      <label class="exercise"
        >Exercise
        <select name="exercise" @change=${(e: Event) => this.#setExercise(e)}>
          ${EXERCISES.map((x) => html`<option value=${x.name} ?selected=${x.name === s?.exercise}>${x.label}</option>`)}
          ${s?.exercise && !EXERCISES.some((x) => x.name === s.exercise) ? html`<option selected value=${s.exercise}>${s.exercise}</option>` : null}
        </select>
      </label>
      <form @submit=${(e: Event) => e.preventDefault()} aria-label="Tolerated range limits">
        ${FIELDS.map(
          (f) => html`<label
            >${f.label} limit (°)
            <input
              type="number"
              name=${f.key}
              min="0"
              max="180"
              step="1"
              inputmode="numeric"
              placeholder=${f.key.endsWith("LeftDeg") || f.key.endsWith("RightDeg") ? "same" : ""}
              .value=${limits ? String(limits[f.key] ?? "") : ""}
              @change=${(e: Event) => this.#setLimit(f.key, e.target as HTMLInputElement)}
            />
          </label>`,
        )}
      </form>
      <p class="muted" role="status" data-message>${this.message}</p>`;
  }
}

customElements.define("sw-settings", SwSettings);
declare global {
  interface HTMLElementTagNameMap {
    "sw-settings": SwSettings;
  }
}

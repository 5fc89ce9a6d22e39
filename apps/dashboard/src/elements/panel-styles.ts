import { css } from "lit";

/** Shared look: big type for arm's length, high contrast, 44 px touch targets. */
export const panelStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    background: #1a2129;
    border: 1px solid #2b3540;
    border-radius: 12px;
    padding: 14px 16px;
    color: #e6e8eb;
    font-size: 1.05rem;
    line-height: 1.35;
    min-width: 0;
  }
  h2 {
    font-size: 1.05rem;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: #9fb0c0;
    margin: 0 0 10px;
    font-weight: 600;
  }
  button,
  select,
  input {
    font: inherit;
    min-height: 44px;
    border-radius: 8px;
    border: 1px solid #3d4a57;
    background: #24303c;
    color: #e6e8eb;
    padding: 6px 14px;
  }
  button {
    cursor: pointer;
  }
  button.primary {
    background: #2f6fd0;
    border-color: #2f6fd0;
    color: #fff;
    font-weight: 600;
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button:focus-visible,
  select:focus-visible,
  input:focus-visible {
    outline: 3px solid #ffd166;
    outline-offset: 2px;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-variant-numeric: tabular-nums;
  }
  th,
  td {
    text-align: right;
    padding: 4px 6px;
    border-bottom: 1px solid #2b3540;
    white-space: nowrap;
  }
  th:first-child,
  td:first-child {
    text-align: left;
  }
  th {
    color: #9fb0c0;
    font-weight: 500;
    font-size: 0.9rem;
  }
  .muted {
    color: #8a99a8;
  }
  .scroll {
    overflow-x: auto;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
  }
  .ok {
    color: #5dd39e;
  }
  .caution {
    color: #ffb347;
  }
  .warning {
    color: #ff5c5c;
  }
`;

/** Colours of the angle channels, shared by numbers, charts and figure (none is the warnings' red). */
export const CHANNEL_COLORS = {
  flexionDeg: "#4fc3f7",
  lateralBendDeg: "#ba8cff",
  axialRotationDeg: "#ffd166",
  pelvisTiltDeg: "#7bd88f",
  pelvisObliquityDeg: "#ff9e64",
} as const;

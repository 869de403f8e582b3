import { css } from 'lit';

/**
 * Every colour the element paints comes from a custom property declared here with a default, so a page can theme it
 * from outside (`palette-extractor { --pe-accent: … }` wins over `:host`). Text colours pass WCAG AA (4.5:1) on
 * their surfaces in both schemes.
 */
export const styles = css`
  :host {
    --pe-font-family: ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --pe-mono-font-family: ui-monospace, 'SF Mono', 'Cascadia Code', Menlo, Consolas, monospace;
    --pe-surface: #ffffff;
    --pe-surface-sunken: #f3f4f7;
    --pe-text: #16181d;
    --pe-text-muted: #565c6b;
    --pe-border: #dcdfe6;
    --pe-accent: #4338ca;
    --pe-accent-text: #ffffff;
    --pe-danger: #b42318;
    /* A solid accent ring outside a surface-coloured gap: at least 3:1 against the surface and what it surrounds. */
    --pe-focus-ring: 0 0 0 2px var(--pe-surface), 0 0 0 4px var(--pe-accent);
    --pe-radius: 14px;
    --pe-gap: 16px;
    --pe-swatch-height: 76px;
    --pe-preview-max-height: 460px;
    --pe-checker: #e6e8ee;

    display: block;
    box-sizing: border-box;
    container-type: inline-size;
    color: var(--pe-text);
    background: var(--pe-surface);
    border: 1px solid var(--pe-border);
    border-radius: var(--pe-radius);
    padding: var(--pe-gap);
    font: 14px/1.45 var(--pe-font-family);
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --pe-surface: #17181d;
      --pe-surface-sunken: #0f1014;
      --pe-text: #eceef3;
      --pe-text-muted: #a5abb9;
      --pe-border: #2e313a;
      --pe-accent: #a5b4fc;
      --pe-accent-text: #14153a;
      --pe-danger: #fda29b;
      --pe-checker: #22242b;
    }
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  .layout {
    display: grid;
    gap: var(--pe-gap);
  }
  /* Wide: the photo and its palette side by side, so both are seen at once; the rest spans both columns. */
  @container (min-width: 720px) {
    .layout.has-image {
      grid-template-columns: minmax(0, 3fr) minmax(250px, 2fr);
      align-items: start;
    }
    .layout.has-image > * {
      grid-column: 1 / -1;
    }
    .layout.has-image > [part~='preview'] {
      grid-column: 1;
    }
    .layout.has-image > .palette {
      grid-column: 2;
    }
    .layout.has-image [part~='swatches'] {
      grid-template-columns: repeat(var(--cols-narrow, 3), minmax(0, 1fr));
    }
  }
  @container (max-width: 480px) {
    .layout [part~='swatches'] {
      grid-template-columns: repeat(var(--cols-narrow, 3), minmax(0, 1fr));
    }
  }

  :focus-visible {
    outline: none;
    box-shadow: var(--pe-focus-ring);
  }

  button {
    font: inherit;
    color: inherit;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  /* Drop zone: large when empty, a slim bar once an image is shown. */
  [part~='dropzone'] {
    display: flex;
    align-items: center;
    justify-content: center;
    gap: 12px;
    width: 100%;
    min-height: 160px;
    padding: 20px;
    border: 1.5px dashed var(--pe-border);
    border-radius: calc(var(--pe-radius) - 4px);
    background: var(--pe-surface-sunken);
    cursor: pointer;
    text-align: center;
    transition:
      border-color 120ms,
      background 120ms;
  }
  .has-image [part~='dropzone'] {
    min-height: 0;
    padding: 10px 14px;
    justify-content: flex-start;
    text-align: start;
  }
  [part~='dropzone']:hover,
  [part~='dropzone'].dragging {
    border-color: var(--pe-accent);
    background: color-mix(in srgb, var(--pe-accent) 8%, var(--pe-surface-sunken));
  }
  .drop-icon {
    flex: none;
    width: 28px;
    height: 28px;
    color: var(--pe-accent);
  }
  .drop-text strong {
    font-weight: 600;
  }
  .drop-text span {
    color: var(--pe-text-muted);
  }

  /* Preview: the original and the recoloured image stacked, a range input over both reveals one or the other. */
  [part~='preview'] {
    position: relative;
    margin: 0;
    border-radius: calc(var(--pe-radius) - 4px);
    overflow: hidden;
    background: var(--pe-surface-sunken);
    max-height: var(--pe-preview-max-height);
    display: grid;
    place-items: center;
  }
  [part~='preview'].pending {
    min-height: 200px;
  }
  .stage {
    position: relative;
    max-width: 100%;
    max-height: var(--pe-preview-max-height);
    /* A checkerboard shows through transparent pixels. */
    background: repeating-conic-gradient(var(--pe-checker) 0 25%, transparent 0 50%) 0 0 / 16px 16px;
  }
  .stage canvas {
    display: block;
    width: 100%;
    height: 100%;
  }
  [part~='original'] {
    position: relative;
  }
  [part~='recolored'] {
    position: absolute;
    inset: 0;
    clip-path: inset(0 0 0 var(--split, 50%));
  }
  .divider {
    position: absolute;
    top: 0;
    bottom: 0;
    left: var(--split, 50%);
    width: 2px;
    margin-left: -1px;
    background: #fff;
    box-shadow: 0 0 0 1px rgb(0 0 0 / 0.25);
    pointer-events: none;
  }
  .divider::after {
    /* Glyphs, not a data: image: a page whose CSP has default-src 'self' forbids data: images. */
    content: '‹›';
    position: absolute;
    top: 50%;
    left: 50%;
    display: grid;
    place-items: center;
    width: 28px;
    height: 28px;
    translate: -50% -50%;
    border-radius: 50%;
    background: #fff;
    color: #16181d;
    font: 700 17px/1 var(--pe-font-family);
    letter-spacing: 1px;
    box-shadow: 0 1px 4px rgb(0 0 0 / 0.35);
  }
  .split-range {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    margin: 0;
    opacity: 0;
    cursor: ew-resize;
  }
  .stage:has(.split-range:focus-visible) .divider::after {
    box-shadow:
      0 1px 4px rgb(0 0 0 / 0.35),
      var(--pe-focus-ring);
  }
  .label {
    position: absolute;
    top: 10px;
    padding: 2px 8px;
    border-radius: 999px;
    background: rgb(0 0 0 / 0.62);
    color: #fff;
    font-size: 12px;
    font-weight: 600;
    pointer-events: none;
  }
  .label.left {
    left: 10px;
  }
  .label.right {
    right: 10px;
  }

  .busy {
    position: absolute;
    top: 0;
    left: 0;
    right: 0;
  }
  .busy-bar {
    position: absolute;
    top: 10px;
    right: 10px;
    z-index: 2;
    display: flex;
    align-items: center;
    gap: 8px;
  }
  .phase {
    padding: 3px 10px;
    border-radius: 999px;
    background: rgb(0 0 0 / 0.68);
    color: #fff;
    font-size: 12px;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  /* Results for the previous values, while the new ones are computed. */
  /* Only the colours fade, never text (its contrast stays). */
  .stale .strip,
  .stale [part~='recolored'] {
    opacity: 0.45;
    transition: opacity 150ms;
  }
  [part~='progress'] {
    position: absolute;
    top: 0;
    left: 0;
    right: 0;
    height: 3px;
    overflow: hidden;
    background: color-mix(in srgb, var(--pe-accent) 20%, transparent);
  }
  [part~='progress']::before {
    content: '';
    position: absolute;
    inset: 0;
    width: calc(var(--fraction, 0.3) * 100%);
    background: var(--pe-accent);
    transition: width 150ms;
  }
  [part~='progress'].indeterminate::before {
    width: 35%;
    animation: slide 1.1s ease-in-out infinite;
  }
  @keyframes slide {
    from {
      translate: -100% 0;
    }
    to {
      translate: 300% 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    [part~='progress'].indeterminate::before {
      animation: none;
      width: 100%;
      opacity: 0.6;
    }
  }

  /* Palette: a proportional strip, then the swatches. */
  .palette-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 8px 16px;
  }
  h2 {
    margin: 0;
    font-size: 15px;
    font-weight: 650;
    letter-spacing: -0.01em;
  }
  .strip {
    display: flex;
    height: 12px;
    border-radius: 999px;
    overflow: hidden;
    box-shadow: inset 0 0 0 1px color-mix(in srgb, var(--pe-text) 10%, transparent);
  }
  .strip span {
    background: var(--swatch);
  }
  .palette-strip {
    margin-block: 10px;
  }
  [part~='swatches'] {
    display: grid;
    grid-template-columns: repeat(var(--cols-wide, 5), minmax(0, 1fr));
    gap: 10px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  [part~='swatch'] {
    display: grid;
    width: 100%;
    padding: 0;
    overflow: hidden;
    border: 1px solid var(--pe-border);
    border-radius: 10px;
    background: var(--pe-surface);
    text-align: start;
    cursor: copy;
    transition:
      translate 120ms,
      box-shadow 120ms;
  }
  [part~='swatch']:hover {
    translate: 0 -2px;
    box-shadow: 0 4px 14px rgb(0 0 0 / 0.12);
  }
  [part~='swatch']:focus-visible {
    box-shadow: var(--pe-focus-ring);
  }
  .chip {
    height: var(--pe-swatch-height);
    background: var(--swatch);
    border-bottom: 1px solid color-mix(in srgb, var(--pe-text) 8%, transparent);
  }
  .swatch-text {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: baseline;
    gap: 6px;
    padding: 7px 9px 8px;
  }
  .hex {
    font-family: var(--pe-mono-font-family);
    font-size: 13px;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .chip {
    position: relative;
    display: flex;
    align-items: flex-end;
    padding: 6px 8px;
  }
  /* While results are stale a veil of the surface fades the colour; the contrast label sits above it. */
  .chip::before {
    content: '';
    position: absolute;
    inset: 0;
    background: var(--pe-surface);
    opacity: 0;
  }
  .stale .chip::before {
    opacity: 0.55;
  }
  .contrast {
    position: relative;
  }
  .contrast {
    color: var(--swatch-text);
    font-size: 12px;
    font-weight: 650;
    font-variant-numeric: tabular-nums;
  }
  .contrast .level {
    font-weight: 500;
  }
  [part~='swatch'].picked {
    box-shadow: 0 0 0 2px var(--pe-surface), 0 0 0 4px var(--pe-text);
    translate: 0 -2px;
  }
  .view {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    font-size: 12.5px;
  }
  .view select,
  [part~='actions'] select {
    font: inherit;
    padding: 3px 6px;
    border: 1px solid var(--pe-border);
    border-radius: 6px;
    background: var(--pe-surface);
    color: var(--pe-text);
  }
  .segmented {
    display: inline-flex;
    border: 1px solid var(--pe-border);
    border-radius: 999px;
    overflow: hidden;
  }
  .segmented button {
    padding: 3px 9px;
    border: 0;
    background: var(--pe-surface);
    font-size: 12px;
    cursor: pointer;
  }
  .segmented button[aria-pressed='true'] {
    background: var(--pe-accent);
    color: var(--pe-accent-text);
  }
  .stage {
    cursor: crosshair;
  }
  .region-box {
    position: absolute;
    z-index: 2;
    border: 2px solid #fff;
    outline: 1px solid rgb(0 0 0 / 0.7);
    box-shadow: 0 0 0 9999px rgb(0 0 0 / 0.35);
    pointer-events: none;
  }
  .region-draw {
    position: absolute;
    inset: 0;
    z-index: 3;
    cursor: crosshair;
    touch-action: none;
  }
  .eyedropper {
    position: absolute;
    inset: 0;
    z-index: 1;
    pointer-events: none;
  }
  .crosshair {
    position: absolute;
    z-index: 4;
    width: 22px;
    height: 22px;
    translate: -50% -50%;
    border: 2px solid #fff;
    border-radius: 50%;
    outline: 1px solid rgb(0 0 0 / 0.8);
    box-shadow: inset 0 0 0 1px rgb(0 0 0 / 0.8);
    pointer-events: none;
  }
  .pick-layer {
    position: absolute;
    inset: 0;
    z-index: 3;
    cursor: crosshair;
  }
  .region-form {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 10px;
    width: 100%;
    padding-top: 8px;
    font-size: 12.5px;
  }
  .region-form input {
    width: 6em;
    font: inherit;
    padding: 3px 6px;
    border: 1px solid var(--pe-border);
    border-radius: 6px;
    background: var(--pe-surface);
    color: var(--pe-text);
  }
  [part~='swatches'] li {
    position: relative;
  }
  /* The lock sits at the end of the swatch's text row (on the surface, never over the colour's contrast label). */
  .lock {
    position: absolute;
    right: 4px;
    bottom: 4px;
    display: grid;
    place-items: center;
    width: 24px;
    height: 24px;
    padding: 0;
    border: 0;
    border-radius: 6px;
    background: transparent;
    color: var(--pe-text-muted);
    cursor: pointer;
  }
  .lock svg {
    width: 15px;
    height: 15px;
  }
  .lock:hover {
    color: var(--pe-text);
  }
  .lock[aria-pressed='true'] {
    background: var(--pe-accent);
    color: var(--pe-accent-text);
  }
  [part~='swatches'] li .swatch-text {
    padding-right: 30px;
  }
  .tools {
    display: flex;
    gap: 6px;
    justify-content: flex-start;
    width: 100%;
    padding-top: 8px;
  }
  .share {
    color: var(--pe-text-muted);
    font-size: 12px;
    font-variant-numeric: tabular-nums;
  }
  .placeholder {
    color: var(--pe-text-muted);
    margin: 0;
  }

  [part~='actions'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
    margin-top: 10px;
    font-size: 12.5px;
  }
  .action {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 6px 12px;
    border: 1px solid var(--pe-border);
    border-radius: 999px;
    background: var(--pe-surface);
    font-size: 13px;
    font-weight: 550;
    cursor: pointer;
  }
  .action:hover {
    border-color: var(--pe-accent);
  }
  .action.primary {
    background: var(--pe-accent);
    border-color: var(--pe-accent);
    color: var(--pe-accent-text);
  }
  .action:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }

  /* Stats and comparison. */
  [part~='stats'] {
    display: flex;
    flex-wrap: wrap;
    gap: 6px 18px;
    margin: 0;
    padding-top: 12px;
    border-top: 1px solid var(--pe-border);
    color: var(--pe-text-muted);
    font-size: 12.5px;
  }
  [part~='stats'] div {
    display: flex;
    gap: 6px;
  }
  [part~='stats'] dt {
    font-weight: 500;
  }
  [part~='stats'] dd {
    margin: 0;
    color: var(--pe-text);
    font-variant-numeric: tabular-nums;
  }
  .badge {
    display: inline-block;
    padding: 0 7px;
    border-radius: 999px;
    background: color-mix(in srgb, var(--pe-accent) 16%, var(--pe-surface));
    color: var(--pe-text);
    font-weight: 650;
    font-size: 11.5px;
    letter-spacing: 0.03em;
    text-transform: uppercase;
  }

  [part~='compare'] {
    display: grid;
    gap: 10px;
    padding: 12px;
    border-radius: 10px;
    background: var(--pe-surface-sunken);
  }
  .sides {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: 12px;
  }
  @container (max-width: 480px) {
    .sides {
      grid-template-columns: 1fr;
    }
  }
  .side h3 {
    margin: 0 0 6px;
    font-size: 13px;
    font-weight: 650;
  }
  .side p {
    margin: 6px 0 0;
    color: var(--pe-text-muted);
    font-size: 12px;
  }
  .agreement {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 16px;
    margin: 0;
    font-size: 12.5px;
  }
  .agreement strong {
    font-variant-numeric: tabular-nums;
  }

  [part~='notice'],
  [part~='error'] {
    margin: 0;
    padding: 8px 12px;
    border-radius: 8px;
    font-size: 13px;
  }
  [part~='notice'] {
    background: color-mix(in srgb, var(--pe-accent) 10%, var(--pe-surface));
  }
  [part~='error'] {
    border: 1px solid color-mix(in srgb, var(--pe-danger) 40%, transparent);
    color: var(--pe-danger);
    background: color-mix(in srgb, var(--pe-danger) 7%, var(--pe-surface));
  }

  .palette {
    position: relative;
  }
  .toast {
    position: absolute;
    top: 36px;
    right: 0;
    z-index: 3;
    margin: 0;
    padding: 5px 12px;
    border-radius: 999px;
    background: var(--pe-text);
    color: var(--pe-surface);
    font-size: 12.5px;
    font-weight: 600;
    box-shadow: 0 4px 14px rgb(0 0 0 / 0.18);
  }
  .verdict {
    margin: 0;
    font-size: 13px;
  }
  .unit {
    white-space: nowrap;
  }

  /* Compact variant for small embeddings: hides stats and shrinks swatches. */
  @container (max-width: 360px) {
    .chip {
      height: calc(var(--pe-swatch-height) * 0.6);
    }
    [part~='swatches'] {
      gap: 6px;
    }
    .swatch-text {
      padding: 5px 6px 6px;
    }
    .hex {
      font-size: 11.5px;
    }
    .drop-text span {
      display: none;
    }
    :host .has-image [part~='dropzone'] {
      padding: 8px 10px;
    }
  }
`;

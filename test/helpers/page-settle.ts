/**
 * In the page: `settle(el, change)` runs `change()` and resolves with the element's next outcome, the first
 * `palette-change` or `palette-error` after it (with the comparison the element last reported, if any). Evaluate the
 * string in the page, then declare `settle` where it is used.
 */
import type { PaletteCompareDetail, PaletteDetail, PaletteErrorDetail } from '../../src/events/details.js';

export const SETTLE_HELPER = `
window.settle = (el, change) => new Promise((resolve) => {
  const done = (type) => (e) => {
    el.removeEventListener('palette-change', onChange);
    el.removeEventListener('palette-error', onError);
    resolve({ type, detail: e.detail, compare: el.__lastCompare });
  };
  const onChange = done('palette-change');
  const onError = done('palette-error');
  el.addEventListener('palette-change', onChange);
  el.addEventListener('palette-error', onError);
  change();
});
`;

/** What `settle` resolves with. */
export type Outcome = { type: string; detail: PaletteDetail | PaletteErrorDetail; compare?: PaletteCompareDetail };

/** The demo page: binds the option controls to the main element and logs its events. */
import '../index.js';
import type { PaletteExtractor } from '../palette-extractor.js';

const main = document.querySelector<PaletteExtractor>('#main')!;
const form = document.querySelector<HTMLFormElement>('#controls')!;
const log = document.querySelector<HTMLElement>('#event-log')!;
const colorsOut = document.querySelector<HTMLOutputElement>('#colors-out')!;

const attributes = ['colors', 'seed', 'backend', 'color-space', 'sample-size', 'arithmetic'] as const;

function sync(): void {
  for (const name of attributes) {
    const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
    if (field.value !== '') main.setAttribute(name, field.value);
  }
  main.toggleAttribute('compare', (form.elements.namedItem('compare') as HTMLInputElement).checked);
  colorsOut.value = (form.elements.namedItem('colors') as HTMLInputElement).value;
}

/** The options in the page's URL (the image aside), so a palette can be shared as a link. */
const urlKeys = [...attributes, 'compare'] as const;

/**
 * What the user sets in the element itself (its sort and value toggles, locked swatches, the region, ignored colours),
 * which it reflects to these attributes: carried in the URL as they are.
 */
const elementKeys = ['sort', 'value-format', 'locked', 'region', 'ignore'] as const;

function readUrl(): void {
  const params = new URLSearchParams(location.search);
  for (const name of elementKeys) {
    const value = params.get(name);
    if (value !== null && value !== '') main.setAttribute(name, value);
  }
  for (const name of urlKeys) {
    const value = params.get(name);
    if (value === null) continue;
    const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
    if (!field) continue;
    if (field instanceof HTMLInputElement && field.type === 'checkbox') field.checked = value === '1';
    else field.value = value;
  }
}

function writeUrl(): void {
  const params = new URLSearchParams();
  for (const name of urlKeys) {
    const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
    const value = field instanceof HTMLInputElement && field.type === 'checkbox' ? (field.checked ? '1' : '') : field.value;
    if (value !== '' && value !== defaults.get(name)) params.set(name, value);
  }
  for (const name of elementKeys) {
    const value = main.getAttribute(name);
    if (value && value !== elementDefaults.get(name)) params.set(name, value);
  }
  const query = params.toString();
  history.replaceState(null, '', query ? `?${query}` : location.pathname);
}

/** Each field's value as the page ships it, so the URL only carries what differs. */
const defaults = new Map<string, string>();
for (const name of urlKeys) {
  const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
  defaults.set(name, field instanceof HTMLInputElement && field.type === 'checkbox' ? '' : field.value);
}
/** The element's defaults for those (it reflects them once it has rendered): only what differs goes in the URL. */
const elementDefaults = new Map<string, string>([['sort', 'share'], ['value-format', 'hex']]);
readUrl();
new MutationObserver(writeUrl).observe(main, { attributes: true, attributeFilter: [...elementKeys] });
const more = document.querySelector<HTMLDetailsElement>('#more-options')!;
more.open = matchMedia('(min-width: 901px)').matches || urlKeys.some((k) => k !== 'colors' && new URLSearchParams(location.search).has(k));

form.addEventListener('input', () => {
  sync();
  writeUrl();
});
form.addEventListener('submit', (e) => e.preventDefault());

for (const button of form.querySelectorAll<HTMLButtonElement>('[data-sample]')) {
  button.addEventListener('click', () => {
    for (const b of form.querySelectorAll('[data-sample]')) b.setAttribute('aria-pressed', String(b === button));
    main.image = undefined;
    main.src = button.dataset.sample!;
  });
}

main.addEventListener('palette-change', ({ detail }) => {
  const { colors, backend, adapter, arithmetic, iterations, timings } = detail;
  log.textContent = JSON.stringify(
    {
      type: 'palette-change',
      backend,
      adapter,
      arithmetic,
      iterations,
      colors: colors.map((c) => `${c.hex} ${(c.fraction * 100).toFixed(1)}%`),
      totalMs: Math.round(timings.totalMs),
    },
    null,
    2,
  );
});
main.addEventListener('palette-compare', ({ detail }) => {
  log.textContent += `\n\npalette-compare: labels agree ${(detail.labelAgreement * 100).toFixed(2)}%`;
});
main.addEventListener('palette-error', ({ detail }) => {
  log.textContent = `palette-error (${detail.code}): ${detail.message}`;
});

// A paste anywhere on the page goes to the main element (the element itself only hears pastes while it has focus).
document.addEventListener('paste', (event) => {
  if (event.defaultPrevented) return;
  const file = [...(event.clipboardData?.files ?? [])].find((f) => f.type.startsWith('image/'));
  if (file) main.image = file;
});

sync();

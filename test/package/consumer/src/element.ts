// A page that uses the element, as a TypeScript user would write it.
import { PaletteChangeEvent, type PaletteDetail, type PaletteErrorCode } from 'palette-extractor';

const element = document.querySelector('palette-extractor')!;
element.colors = 8;
element.colorSpace = 'oklab';
element.sampleSize = '200x200';
// @ts-expect-error: colors is a number, so the tag's type is the element's, not `any`.
element.colors = 'eight';

const made = document.createElement('palette-extractor');
made.backend = 'cpu';
// @ts-expect-error: 'metal' is not a backend.
made.backend = 'metal';

element.addEventListener('palette-change', (event) => {
  const detail: PaletteDetail = event.detail;
  const first: string = detail.colors[0]!.hex;
  const share: number = detail.colors[0]!.fraction;
  console.log(first, share, detail.timings.totalMs, event instanceof PaletteChangeEvent);
});
element.addEventListener('palette-error', (event) => {
  const code: PaletteErrorCode = event.detail.code;
  if (code === 'decode-failed') console.warn(event.detail.message);
});
element.addEventListener('palette-progress', (event) => console.log(event.detail.phase, event.detail.fraction));
element.addEventListener('palette-compare', (event) => console.log(event.detail.labelAgreement));

const palette: Promise<PaletteDetail> = element.extract();
void palette;

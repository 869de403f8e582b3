import { describe, expect, it } from 'vitest';
import { ExactImageInputs } from '../../src/core/exact/image-inputs.js';
import { prepareExactRun } from '../../src/core/exact/prepare.js';
import { exactRunPlan } from '../../src/core/exact/plan.js';
import { NoOpaquePixelsError } from '../../src/core/errors.js';
import type { PixelKMeansOptions } from '../../src/core/types.js';
import { runSync } from '../../src/core/pace.js';
import { boxResize, loadSample, randomImage } from '../helpers/images.js';

const OPTIONS: PixelKMeansOptions[] = [
  { k: 5 },
  { k: 8, seed: 3, nInit: 4 },
  { k: 5, tol: 0.01 },
  { k: 4, colorSpace: 'oklab', nInit: 2 },
  { k: 6, fixed: [[250, 250, 250], [20, 20, 20]] },
  { k: 3, alphaThreshold: 200, nInit: 3 },
];

describe('what the runs of one image share', () => {
  it('plans and prepares every run as prepareExactRun does', () => {
    const image = randomImage(80, 60, 4, { palette: 40 });
    const inputs = new ExactImageInputs(image);
    for (const options of [...OPTIONS, ...OPTIONS]) {
      const fresh = prepareExactRun(image, options);
      expect(inputs.plan(options)).toEqual({ ...exactRunPlan(fresh), initIndices: fresh.initIndices });
      const { seeding: _rows, ...prepared } = runSync(inputs.prepareSteps(options));
      expect(prepared).toEqual(fresh);
    }
  });

  it('plans a new k, seed, nInit, tolerance or locked colours without reading the pixels again', () => {
    const image = boxResize(loadSample('coffee.png'), 90, 60);
    const inputs = new ExactImageInputs(image);
    const first = inputs.plan({ k: 5 });
    const expected = OPTIONS.filter((o) => !o.colorSpace && !o.alphaThreshold).map((o) => inputs.plan(o));
    // Every pixel made transparent: a plan that read them would find no points.
    const copy = Uint8ClampedArray.from(image.data);
    image.data.fill(0);
    expect(inputs.plan({ k: 5 })).toEqual(first);
    expect(OPTIONS.filter((o) => !o.colorSpace && !o.alphaThreshold).map((o) => inputs.plan(o))).toEqual(expected);
    // A threshold not seen yet needs the points: read from the pixels as they are now.
    expect(() => inputs.plan({ k: 5, alphaThreshold: 10 })).toThrow(NoOpaquePixelsError);
    image.data.set(copy);
  });

  it('reports an image without opaque pixels, and bad options before reading any pixel', () => {
    const clear = randomImage(10, 10, 4, { palette: 3 });
    clear.data.fill(0);
    const inputs = new ExactImageInputs(clear);
    expect(() => inputs.plan({ k: 2 })).toThrow(NoOpaquePixelsError);
    expect(() => inputs.plan({ k: 0 })).toThrow(/k must/);
    expect(() => inputs.plan({ k: 2, colorSpace: 'hsv' as 'rgb' })).toThrow(/colorSpace/);
  });
});

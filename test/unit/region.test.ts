import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.js';
import {
  cropPixels,
  formatRegion,
  isWholeImage,
  parseRegion,
  parseRegionSpec,
  resolveRegion,
} from '../../src/image/region.js';
import { seededRandom } from '../helpers/images.js';

describe('reading a region', () => {
  it.each([
    ['10 20 30 40', { x: 10, y: 20, width: 30, height: 40 }],
    ['10,20,30,40', { x: 10, y: 20, width: 30, height: 40 }],
    [' 10, 20 ,30 , 40 ', { x: 10, y: 20, width: 30, height: 40 }],
    ['10px 20px 30px 40px', { x: 10, y: 20, width: 30, height: 40 }],
    ['10% 10% 50% 50%', { x: 20, y: 10, width: 100, height: 50 }],
    ['0 0 100% 100%', { x: 0, y: 0, width: 200, height: 100 }],
    ['12.5% 0 25% 10', { x: 25, y: 0, width: 50, height: 10 }],
  ])('reads %j as %j in a 200×100 image', (text, rect) => {
    expect(parseRegion(text, 200, 100)).toEqual(rect);
  });

  it('means the whole image when the text is empty', () => {
    expect(parseRegion('', 200, 100)).toBeNull();
    expect(parseRegion('   ', 200, 100)).toBeNull();
  });

  it('takes every pixel a fractional rectangle touches', () => {
    expect(parseRegion('10.5 0.2 5 3', 200, 100)).toEqual({ x: 10, y: 0, width: 6, height: 4 });
    // 1/3 of 100 is 33.33: pixels 33 to 66 inclusive.
    expect(parseRegion('33.333% 0 33.333% 100%', 100, 10)).toEqual({ x: 33, y: 0, width: 34, height: 10 });
  });

  it('clips a rectangle that runs over the edges to the image', () => {
    expect(parseRegion('150 80 100 100', 200, 100)).toEqual({ x: 150, y: 80, width: 50, height: 20 });
    expect(parseRegion('-10 -10 30 30', 200, 100)).toEqual({ x: 0, y: 0, width: 20, height: 20 });
    expect(parseRegion('50% 50% 80% 80%', 200, 100)).toEqual({ x: 100, y: 50, width: 100, height: 50 });
  });

  it('always gives whole pixels inside the image, never empty, for any rectangle that meets it', () => {
    const random = seededRandom(8);
    for (let i = 0; i < 500; i++) {
      const [W, H] = [1 + Math.floor(random() * 300), 1 + Math.floor(random() * 300)];
      const values = [random() * 400 - 50, random() * 400 - 50, 0.01 + random() * 300, 0.01 + random() * 300];
      const text = values.map((v) => v.toFixed(2)).join(' ');
      let rect;
      try {
        rect = parseRegion(text, W, H)!;
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidOptionError);
        continue;
      }
      for (const v of Object.values(rect)) expect(Number.isInteger(v)).toBe(true);
      expect(rect.width).toBeGreaterThan(0);
      expect(rect.height).toBeGreaterThan(0);
      expect(rect.x + rect.width).toBeLessThanOrEqual(W);
      expect(rect.y + rect.height).toBeLessThanOrEqual(H);
    }
  });

  it.each([
    ['10 20 30', /3 values/],
    ['10 20 30 40 50', /5 values/],
    ['a b c d', /"a", which is not a number/],
    ['10 20 0 40', /width and a height above 0/],
    ['10 20 -5 40', /width and a height above 0/],
    ['10 20 30em 40', /"30em"/],
    ['10;20;30;40', /1 value/],
    ['1e999 0 1 1', /not finite/],
  ])('rejects %j with an InvalidOptionError that says why', (text, why) => {
    expect(() => parseRegionSpec(text)).toThrow(InvalidOptionError);
    expect(() => parseRegionSpec(text)).toThrow(why);
  });

  it('rejects a rectangle wholly outside the image, naming the image size', () => {
    expect(() => parseRegion('300 0 10 10', 200, 100)).toThrow(InvalidOptionError);
    expect(() => parseRegion('100% 0 10% 10%', 200, 100)).toThrow(/200×100/);
    expect(() => resolveRegion(parseRegionSpec('0 0 1 1')!, 0, 10)).toThrow(InvalidOptionError);
  });

  it('writes a rectangle back as text that reads to the same rectangle', () => {
    const rect = { x: 3, y: 4, width: 50, height: 60 };
    expect(parseRegion(formatRegion(rect), 200, 100)).toEqual(rect);
    expect(isWholeImage(parseRegion('0 0 100% 100%', 20, 10)!, 20, 10)).toBe(true);
    expect(isWholeImage(rect, 200, 100)).toBe(false);
  });
});

describe('cropping pixels to a region', () => {
  it('copies exactly the rows and columns of the rectangle', () => {
    const W = 7;
    const H = 5;
    // Each pixel encodes its own position, so a crop shows where its pixels came from.
    const data = new Uint8ClampedArray(W * H * 4);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data.set([x, y, 100, 255], (y * W + x) * 4);
    const crop = cropPixels({ data, width: W, height: H }, { x: 2, y: 1, width: 4, height: 3 });
    expect([crop.width, crop.height, crop.data.length]).toEqual([4, 3, 48]);
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 4; x++) expect(Array.from(crop.data.subarray((y * 4 + x) * 4, (y * 4 + x) * 4 + 4))).toEqual([x + 2, y + 1, 100, 255]);
    }
  });

  it('refuses a rectangle that is not inside the image', () => {
    const image = { data: new Uint8ClampedArray(16), width: 2, height: 2 };
    for (const rect of [
      { x: 1, y: 0, width: 2, height: 1 },
      { x: 0, y: 0, width: 0, height: 1 },
      { x: 0.5, y: 0, width: 1, height: 1 },
    ]) {
      expect(() => cropPixels(image, rect)).toThrow(InvalidOptionError);
    }
  });
});

/**
 * The words of a decode failure. Node has no `createImageBitmap`, so every decode of a non-SVG file here fails, which
 * is what these tests need: the message a person reads when a file cannot be decoded.
 */
import { describe, expect, it } from 'vitest';
import { PaletteError } from '../../src/core/errors.js';
import { decodeBlob } from '../../src/image/load.js';

async function failure(blob: Blob): Promise<PaletteError> {
  const error = await decodeBlob(blob).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(PaletteError);
  return error as PaletteError;
}

describe('a file that cannot be decoded', () => {
  it.each(['image/png', 'image/webp', 'application/octet-stream'])(
    'is named by its type in a grammatical sentence: %s',
    async (type) => {
      const error = await failure(new Blob(['hello, not an image'], { type }));
      expect(error.code).toBe('decode-failed');
      expect(error.message).toBe(`Could not decode the ${type} file as an image.`);
    },
  );

  it('is called "the file" when it has no type', async () => {
    const error = await failure(new Blob(['hello']));
    expect(error.message).toBe('Could not decode the file as an image.');
  });
});

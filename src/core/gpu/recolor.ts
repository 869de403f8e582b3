/**
 * Recolouring on the GPU as an operation of its own: an image (typically the full-size photo whose downscaled copy
 * was clustered) drawn with a palette found elsewhere. The image is uploaded once and its distinct colours counted
 * once per alpha threshold; each palette then costs the final E-step on those U colours (exact, ties to the lowest
 * index: the same labels as the CPU's nearest-centre recolour) and one pass over the pixels, pixel → colour → label →
 * palette, into a texture, a canvas or a buffer. Nothing per pixel passes through JavaScript.
 */
import { withScopes } from './error-scopes.js';
import { GpuImageEngine, type PaletteCentres } from './image-engine.js';

export class GpuRecolor extends GpuImageEngine {
  /**
   * Gives the image set last the palette of `palette` (a result of any engine): each pixel with alpha at or above
   * `alphaThreshold` gets its nearest centre, and `recolor()` then draws it. Resolves once the work is submitted.
   */
  apply(palette: PaletteCentres, alphaThreshold = 128): Promise<void> {
    return this.serialize(() => withScopes(this.device, 'applying a palette', () => this.label(palette, alphaThreshold)));
  }
}

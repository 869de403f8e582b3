import type { PaletteErrorDetail } from './details.js';

/**
 * Fired when an extraction fails. The previous palette and image stay shown; `detail.code` is one of the stable
 * `PaletteErrorCode`s (README, "Errors").
 */
export class PaletteErrorEvent extends Event {
  static readonly eventName = 'palette-error';
  readonly detail: PaletteErrorDetail;

  constructor(detail: PaletteErrorDetail) {
    super(PaletteErrorEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'palette-error': PaletteErrorEvent;
  }
  interface HTMLElementEventMap {
    'palette-error': PaletteErrorEvent;
  }
}

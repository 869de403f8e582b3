import type { PaletteDetail } from './details.js';

/**
 * Fired when a new palette is ready, once per completed extraction. A result that arrives for an outdated request
 * (the image or an option changed meanwhile) is dropped, so the last event always matches the element's state.
 */
export class PaletteChangeEvent extends Event {
  static readonly eventName = 'palette-change';
  readonly detail: PaletteDetail;

  constructor(detail: PaletteDetail) {
    super(PaletteChangeEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'palette-change': PaletteChangeEvent;
  }
  interface HTMLElementEventMap {
    'palette-change': PaletteChangeEvent;
  }
}

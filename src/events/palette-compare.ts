import type { PaletteCompareDetail } from './details.js';

/** Fired with `compare` on, after `palette-change`, when the other backend has clustered the same sample. */
export class PaletteCompareEvent extends Event {
  static readonly eventName = 'palette-compare';
  readonly detail: PaletteCompareDetail;

  constructor(detail: PaletteCompareDetail) {
    super(PaletteCompareEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'palette-compare': PaletteCompareEvent;
  }
  interface HTMLElementEventMap {
    'palette-compare': PaletteCompareEvent;
  }
}

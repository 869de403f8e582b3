import type { ProgressInfo } from '../core/types.js';

/** Fired while an extraction runs, as it moves through its phases; drives the element's progress bar too. */
export class PaletteProgressEvent extends Event {
  static readonly eventName = 'palette-progress';
  readonly detail: ProgressInfo;

  constructor(detail: ProgressInfo) {
    super(PaletteProgressEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'palette-progress': PaletteProgressEvent;
  }
  interface HTMLElementEventMap {
    'palette-progress': PaletteProgressEvent;
  }
}

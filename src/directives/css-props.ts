/**
 * `style=${cssProps({...})}`: lit's `styleMap`, but always through the CSSOM (`style.setProperty`). styleMap's first
 * render writes a `style` attribute, which a page whose CSP lacks `style-src 'unsafe-inline'` refuses (a violation
 * and a console error per element); a CSP does not restrict the CSSOM.
 */
import { noChange, type AttributePart } from 'lit';
import { Directive, PartType, directive, type PartInfo } from 'lit/directive.js';

export type CssProps = Record<string, string | null | undefined>;

/** `aspectRatio` → `aspect-ratio`; custom properties (`--split`) and kebab-case names as they are. */
const cssName = (name: string): string =>
  name.startsWith('--') || name.includes('-') ? name : name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

class CssPropsDirective extends Directive {
  #set = new Set<string>();

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ATTRIBUTE || info.name !== 'style' || (info.strings?.length ?? 0) > 2) {
      throw new Error('cssProps() must be the whole value of a style attribute.');
    }
  }

  render(_props: CssProps): typeof noChange {
    return noChange;
  }

  override update(part: AttributePart, [props]: [CssProps]): typeof noChange {
    const style = (part.element as HTMLElement).style;
    const next = new Set<string>();
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined) continue;
      const name = cssName(key);
      next.add(name);
      if (style.getPropertyValue(name) !== value) style.setProperty(name, value);
    }
    for (const name of this.#set) if (!next.has(name)) style.removeProperty(name);
    this.#set = next;
    return noChange;
  }
}

export const cssProps = directive(CssPropsDirective);

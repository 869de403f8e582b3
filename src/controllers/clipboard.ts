/** Writes text to the clipboard; falls back to a hidden textarea where the async API is missing or refused. */
export async function copyText(text: string, host: Element): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.cssText = 'position:fixed;opacity:0;pointer-events:none';
    (host.shadowRoot ?? document.body).append(area);
    area.select();
    // execCommand is deprecated but it is the only fallback without a permission prompt.
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

/** Offers `text` as a file download. */
export function downloadText(text: string, filename: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

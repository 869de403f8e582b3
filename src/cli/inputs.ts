/**
 * From the command line's arguments to a list of images: files as given, folders searched recursively for image
 * files, globs expanded (tinyglobby), URLs fetched when their turn comes. An argument that matches nothing is a
 * failure of its own, reported like a bad file.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'avif', 'tif', 'tiff', 'gif'];
const IMAGE_FILE = new RegExp(`\\.(${IMAGE_EXTENSIONS.join('|')})$`, 'i');

export type ImageRef =
  | { name: string; path: string }
  | { name: string; url: string }
  /** An argument that names nothing readable. */
  | { name: string; missing: string };

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile() && IMAGE_FILE.test(entry.name)) files.push(path);
  }
  return files;
}

async function expand(arg: string): Promise<ImageRef[]> {
  if (/^https?:\/\//i.test(arg)) return [{ name: arg, url: arg }];
  const info = await stat(arg).catch(() => undefined);
  if (info?.isDirectory()) return (await walk(arg)).map((path) => ({ name: path, path }));
  if (info) return [{ name: arg, path: arg }];
  if (isDynamicPattern(arg)) {
    const paths = (await glob(arg, { onlyFiles: true, expandDirectories: false })).sort();
    if (paths.length > 0) return paths.map((path) => ({ name: path, path }));
    return [{ name: arg, missing: 'No file matches this pattern.' }];
  }
  return [{ name: arg, missing: 'No such file or folder.' }];
}

/** Every image the arguments name, in argument order, each file once. */
export async function expandInputs(args: readonly string[]): Promise<ImageRef[]> {
  const seen = new Set<string>();
  const refs: ImageRef[] = [];
  for (const arg of args) {
    for (const ref of await expand(arg)) {
      const key = 'path' in ref ? `path:${ref.path}` : 'url' in ref ? `url:${ref.url}` : `missing:${ref.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      refs.push(ref);
    }
  }
  return refs;
}

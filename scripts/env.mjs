// Environment shared by `npm test` and `npm run bench`: where Chromium is, and how Dawn (the `webgpu` package)
// finds a Vulkan driver on a machine without a GPU (SwiftShader, shipped with Debian's Chromium).
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Chromium for Puppeteer: an environment variable, then the system one, then Puppeteer's own download. */
export async function findChromium() {
  for (const name of ['PUPPETEER_EXECUTABLE_PATH', 'CHROMIUM_PATH', 'CHROME_PATH']) {
    const path = process.env[name];
    if (path && existsSync(path)) return path;
  }
  for (const path of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (existsSync(path)) return path;
  }
  try {
    const { default: puppeteer } = await import('puppeteer');
    const path = puppeteer.executablePath();
    if (path && existsSync(path)) return path;
  } catch {
    // no bundled browser
  }
  return undefined;
}

export const CHROMIUM_HELP =
  'No Chromium found. Install one (Debian/Ubuntu: `sudo apt-get install -y chromium`), or point ' +
  'PUPPETEER_EXECUTABLE_PATH at a Chrome/Chromium binary, or run `npx puppeteer browsers install chrome`.';

function hasSystemVulkanLoader() {
  try {
    return execFileSync('ldconfig', ['-p'], { encoding: 'utf8' }).includes('libvulkan.so.1');
  } catch {
    return false;
  }
}

/**
 * Variables that let Dawn in Node find a Vulkan loader and a driver. Where the machine has its own (a real GPU),
 * nothing is changed; otherwise Chromium's bundled loader and SwiftShader ICD are used.
 */
export function dawnEnv(base = process.env) {
  const env = { ...base };
  const chromiumLib = '/usr/lib/chromium';
  if (!hasSystemVulkanLoader() && existsSync(`${chromiumLib}/libvulkan.so.1`)) {
    env.LD_LIBRARY_PATH = [chromiumLib, env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  }
  const swiftshader = `${chromiumLib}/vk_swiftshader_icd.json`;
  if (!env.VK_ICD_FILENAMES && !env.VK_DRIVER_FILES && !hasNvidiaIcd() && existsSync(swiftshader)) {
    env.VK_ICD_FILENAMES = swiftshader;
  }
  return env;
}

function hasNvidiaIcd() {
  return ['/usr/share/vulkan/icd.d/nvidia_icd.json', '/etc/vulkan/icd.d/nvidia_icd.json',
    '/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json'].some((p) => existsSync(p));
}

// Runs fuzz cases (made in Node by test/helpers/fuzz.ts, the same cases as the Node/Dawn suite) on the built GPU
// engine and the exact CPU engine in the page, and returns both outcomes for Node to compare field by field.
// Exposed as `window.fuzzCase({ seed, width, height, data (base64 RGBA), options })`. One engine on one device runs
// every case, so each case also replaces the previous image.
import { GpuKMeans, PaletteError, acquireDevice, cpuPixelKMeans } from '/dist/core/index.js';

const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

function toBase64(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** As test/helpers/fuzz.ts's describeFailure: a typed refusal is `Name(code)`, anything else is untyped. */
function describeFailure(error) {
  if (error instanceof PaletteError) return `${error.name}(${error.code})`;
  return `untyped ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
}

/** A result as JSON: typed arrays as base64 or arrays, the exact inertia as a decimal string. */
function serialise(r) {
  return {
    centersFixed: [...r.centersFixed],
    labels: toBase64(new Uint8Array(r.labels.buffer, r.labels.byteOffset, r.labels.byteLength)),
    counts: r.counts,
    iterations: r.iterations,
    converged: r.converged,
    pixelsUsed: r.pixelsUsed,
    inertiaFixed: String(r.inertiaFixed),
    colorSpace: r.colorSpace,
    arithmetic: r.arithmetic,
    centersFinite: r.centers.flat().every(Number.isFinite),
  };
}

async function outcome(run) {
  try {
    return { ok: true, result: serialise(await run()) };
  } catch (error) {
    return { ok: false, failure: describeFailure(error) };
  }
}

let engine;
let adapter = '';

window.fuzzCase = async ({ width, height, data, options }) => {
  if (!engine) {
    const acquired = await acquireDevice({ label: 'fuzz in the page' });
    engine = new GpuKMeans(acquired.device);
    adapter = acquired.info.text;
  }
  const image = { data: new Uint8ClampedArray(fromBase64(data).buffer), width, height };
  const cpu = await outcome(() => cpuPixelKMeans(image, options));
  const gpu = await outcome(() => engine.run(image, options));
  return { adapter, cpu, gpu };
};
window.fuzzReady = true;

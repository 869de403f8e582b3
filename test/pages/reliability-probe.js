// Installed before any page script (Puppeteer's `evaluateOnNewDocument`, see test/browser/reliability-*.test.ts):
// wraps the page's REAL WebGPU objects and Worker to watch them or make them fail, never to stand in for them.
//   window.__probe.devices          every GPUDevice the page requested (a test may destroy() one mid-run)
//   window.__probe.liveBuffers()    GPU buffers created and not yet destroyed, on devices not destroyed
//   window.__probe.rejections       unhandled promise rejections
//   window.__probe.violations       Content-Security-Policy violations
//   window.__probe.workers          Workers started, and alive (not terminated)
// Options (the argument): minLimits strips requiredLimits (a device with WebGPU's smallest, default limits);
// noWorker makes `new Worker` throw; brokenWorker starts workers from a script that does not exist.
// eslint-disable-next-line no-unused-vars
function installReliabilityProbe(options = {}) {
  const probe = { devices: [], requestDeviceCalls: 0, rejections: [], violations: [], buffersByDevice: new Map() };
  window.__probe = probe;
  addEventListener('unhandledrejection', (e) => probe.rejections.push(String(e.reason?.stack ?? e.reason)));
  document.addEventListener('securitypolicyviolation', (e) =>
    probe.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
  );
  probe.liveBuffers = () => {
    let live = 0;
    for (const [device, buffers] of probe.buffersByDevice) if (!device.__destroyed) live += buffers.size;
    return live;
  };

  // Workers started and still alive (terminate() or the page's end stops one).
  probe.workers = { started: 0, live: 0 };
  {
    const CountedWorker = window.Worker;
    window.Worker = class extends CountedWorker {
      constructor(url, init) {
        super(url, init);
        probe.workers.started++;
        probe.workers.live++;
      }
      terminate() {
        probe.workers.live--;
        return super.terminate();
      }
    };
  }
  if (options.noWorker) {
    window.Worker = class {
      constructor() {
        throw new DOMException('Workers are not allowed on this page.', 'SecurityError');
      }
    };
  }
  if (options.brokenWorker) {
    const RealWorker = window.Worker;
    window.Worker = class extends RealWorker {
      constructor(_url, init) {
        super('/test/pages/reliability-no-such-worker.js', init);
      }
    };
  }

  if (typeof GPUAdapter === 'undefined') return;
  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (descriptor = {}) {
    probe.requestDeviceCalls++;
    const device = await requestDevice.call(this, options.minLimits ? { ...descriptor, requiredLimits: {} } : descriptor);
    probe.devices.push(device);
    const live = new Set();
    probe.buffersByDevice.set(device, live);
    const createBuffer = device.createBuffer;
    device.createBuffer = function (desc) {
      const buffer = createBuffer.call(this, desc);
      live.add(buffer);
      const destroyBuffer = buffer.destroy;
      buffer.destroy = function () {
        live.delete(buffer);
        return destroyBuffer.call(this);
      };
      return buffer;
    };
    const destroyDevice = device.destroy;
    device.destroy = function () {
      device.__destroyed = true;
      return destroyDevice.call(this);
    };
    return device;
  };
}

/**
 * The element's next outcome: `{ type: 'palette-change' | 'palette-error', detail }`. Call before triggering it;
 * rejects after `ms` (a hang is a failure, not a stuck test).
 */
// eslint-disable-next-line no-unused-vars
function nextOutcome(el, ms = 120000) {
  return new Promise((resolve, reject) => {
    const done = (type) => (event) => {
      el.removeEventListener('palette-change', onChange);
      el.removeEventListener('palette-error', onError);
      clearTimeout(timer);
      resolve({ type, detail: event.detail });
    };
    const onChange = done('palette-change');
    const onError = done('palette-error');
    const timer = setTimeout(() => reject(new Error(`no palette-change or palette-error within ${ms} ms`)), ms);
    el.addEventListener('palette-change', onChange);
    el.addEventListener('palette-error', onError);
  });
}

/** A seeded `ImageData` of `colours` distinct colours (mulberry32), opaque. */
// eslint-disable-next-line no-unused-vars
function seededImage(width, height, seed, colours = 12) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const palette = Array.from({ length: colours }, () => [next() * 256, next() * 256, next() * 256]);
  const image = new ImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    image.data.set([...palette[Math.floor(next() * colours)], 255], 4 * i);
  }
  return image;
}

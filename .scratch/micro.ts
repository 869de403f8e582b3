import { create, globals } from 'webgpu';
Object.assign(globalThis, globals);
const gpu = create([]);
const adapter = (await gpu.requestAdapter())!;
const device = await adapter.requestDevice();
const code = `@group(0) @binding(0) var<storage, read_write> b: array<u32>;
@compute @workgroup_size(256) fn main(@builtin(local_invocation_index) l: u32) { if (l == 0u) { b[0] += 1u; } }`;
const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
const buf = device.createBuffer({ size: 256, usage: GPUBufferUsage.STORAGE });
const ind = device.createBuffer({ size: 12, usage: GPUBufferUsage.INDIRECT | GPUBufferUsage.COPY_DST });
const group = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: buf } }] });
async function time(label: string, n: number, enc: (p: GPUComputePassEncoder) => void) {
  const t = performance.now();
  const e = device.createCommandEncoder();
  const p = e.beginComputePass();
  p.setPipeline(pipeline); p.setBindGroup(0, group);
  for (let i = 0; i < n; i++) enc(p);
  p.end();
  device.queue.submit([e.finish()]);
  await device.queue.onSubmittedWorkDone();
  console.log(label, ((performance.now() - t) / n).toFixed(3), 'ms each');
}
for (let rep = 0; rep < 2; rep++) {
  await time('direct 1', 200, (p) => p.dispatchWorkgroups(1));
  device.queue.writeBuffer(ind, 0, new Uint32Array([1, 1, 1]));
  await time('indirect 1', 200, (p) => p.dispatchWorkgroupsIndirect(ind, 0));
  device.queue.writeBuffer(ind, 0, new Uint32Array([0, 0, 0]));
  await time('indirect 0', 200, (p) => p.dispatchWorkgroupsIndirect(ind, 0));
  await time('direct 64', 200, (p) => p.dispatchWorkgroups(64));
}
device.destroy();

p='src/core/gpu/lloyd-runs.ts'
s=open(p).read()
s=s.replace("""  let encoded = 0;
  let batch""","""  if (process.env.PE_PROFILE) {
    for (const [name, enc] of [
      ['assign', (p: GPUComputePassEncoder) => { p.setPipeline(pipelines.assign); p.setBindGroup(0, buffers.iterateGroup); p.setBindGroup(1, colors); p.dispatchWorkgroupsIndirect(buffers.indirect, 0); }],
      ['update', (p: GPUComputePassEncoder) => { p.setPipeline(pipelines.update); p.setBindGroup(0, buffers.updateGroup); p.dispatchWorkgroupsIndirect(buffers.indirect, 12); }],
      ['control', (p: GPUComputePassEncoder) => { p.setPipeline(pipelines.control); p.setBindGroup(0, buffers.controlGroup); p.dispatchWorkgroups(1); }],
      ['final', (p: GPUComputePassEncoder) => { p.setPipeline(pipelines.assignFinal); p.setBindGroup(0, buffers.iterateGroup); p.setBindGroup(1, colors); p.dispatchWorkgroups(grid[0], grid[1], runs); }],
    ] as const) {
      const e = device.createCommandEncoder(); const p = e.beginComputePass(); for (let i = 0; i < 10; i++) enc(p); p.end();
      const t = performance.now(); device.queue.submit([e.finish()]); await device.queue.onSubmittedWorkDone();
      console.log('profile', name, ((performance.now() - t) / 10).toFixed(2), 'ms');
    }
    device.queue.writeBuffer(buffers.indirect, 0, new Uint32Array([grid[0], grid[1], runs, runs, 1, 1]));
    writeCentres(device, buffers, k, plan.initCenters.slice(first, first + runs));
  }
  let encoded = 0;
  let batch""")
open(p,'w').write(s)

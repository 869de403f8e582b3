// control.wgsl: keeps the host out of the Lloyd loop. After each iteration's update it writes the indirect dispatch
// arguments of the next iteration: the assign grid (grid_x, grid_y, runs) and the update grid (runs, 1, 1) while any
// run of the pass is still going, zeros once every run is done, so that the iterations encoded after the last one
// cost nothing.
//
// Bindings (group 0): 0 run: RunParams (uniform)   1 status: Status per run (read)
//   2 indirect: 6 u32, [assign x, y, z, update x, y, z] (written; used as INDIRECT by the next dispatches)
//
// One invocation does it all. Dispatch: exactly one workgroup.

override WORKGROUP_SIZE: u32;

struct RunParams {
  k: u32,
  max_iter: u32,
  tol_lo: u32,
  tol_hi: u32,
  tiles: u32,
  label_words: u32,
  runs: u32,
  grid_x: u32,
  grid_y: u32,
  fixed_count: u32,
  colors: u32,
  group_words: u32,
}

struct Status {
  done: u32,
  iteration: u32,
  shift_lo: u32,
  shift_hi: u32,
  drift: f32,
}

@group(0) @binding(0) var<uniform> run: RunParams;
@group(0) @binding(1) var<storage, read> status: array<Status>;
@group(0) @binding(2) var<storage, read_write> indirect: array<u32, 6>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(local_invocation_index) lid: u32) {
  if (lid != 0u) {
    return;
  }
  var running = false;
  for (var r = 0u; r < run.runs; r++) {
    running = running || status[r].done == 0u;
  }
  let on = select(0u, 1u, running);
  indirect[0] = on * run.grid_x;
  indirect[1] = on * run.grid_y;
  indirect[2] = on * run.runs;
  indirect[3] = on * run.runs;
  indirect[4] = on;
  indirect[5] = on;
}

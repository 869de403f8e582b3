// compact.wgsl: the count table (count.wgsl) → the list of the U distinct colours and their counts, the weighted
// points exact k-means iterates on (docs/ARITHMETIC.md, "Weighting"). Every entry with a non-zero count is appended
// once: each thread's entries at its offset in the workgroup's block, each workgroup's block at an offset from one
// global counter. The order of the list therefore depends on scheduling; nothing downstream depends on it (every
// quantity of the exact arithmetic is an order-free integer sum, and seeding reads the image, not this list).
//
// Bindings
//   group 0: 0 table: 2^24 u32 counts, read as vec4u   1 stats: ColorStats (`appended` +=, cleared beforehand)
//            2 colors: u32 per colour, the 24-bit code (written)   3 weights: u32 per colour, its count (written)
//
// One invocation: 4 · TABLE_QUADS_PER_THREAD table entries, quad `i` of workgroup `t` at index
// (t · TABLE_QUADS_PER_THREAD + i) · WORKGROUP_SIZE + local_index.
// Dispatch: 2^24 / (WORKGROUP_SIZE · 4 · TABLE_QUADS_PER_THREAD) workgroups, in (x, y) as in points.wgsl.

override WORKGROUP_SIZE: u32;
override TABLE_QUADS_PER_THREAD: u32;

struct ColorStats {
  n: atomic<u32>,
  u: atomic<u32>,
  appended: atomic<u32>,
  _pad: atomic<u32>,
  s0_lo: atomic<u32>,
  s0_hi: atomic<u32>,
  s1_lo: atomic<u32>,
  s1_hi: atomic<u32>,
  s2_lo: atomic<u32>,
  s2_hi: atomic<u32>,
  q0_lo: atomic<u32>,
  q0_hi: atomic<u32>,
  q1_lo: atomic<u32>,
  q1_hi: atomic<u32>,
  q2_lo: atomic<u32>,
  q2_hi: atomic<u32>,
}

@group(0) @binding(0) var<storage, read> table: array<vec4u>;
@group(0) @binding(1) var<storage, read_write> stats: ColorStats;
@group(0) @binding(2) var<storage, read_write> colors: array<u32>;
@group(0) @binding(3) var<storage, read_write> weights: array<u32>;

var<workgroup> wg_count: atomic<u32>;
var<workgroup> wg_base: u32;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) lid: u32,
) {
  let tile = wid.x + wid.y * groups.x;
  let tiles = arrayLength(&table) / (TABLE_QUADS_PER_THREAD * WORKGROUP_SIZE);
  if (tile >= tiles) {
    return;
  }
  if (lid == 0u) {
    atomicStore(&wg_count, 0u);
  }
  workgroupBarrier();

  let tile_base = tile * TABLE_QUADS_PER_THREAD * WORKGROUP_SIZE;
  var mine = 0u;
  for (var i = 0u; i < TABLE_QUADS_PER_THREAD; i++) {
    let counts = table[tile_base + i * WORKGROUP_SIZE + lid];
    mine += dot(select(vec4u(0u), vec4u(1u), counts != vec4u(0u)), vec4u(1u));
  }
  var at = 0u;
  if (mine > 0u) {
    at = atomicAdd(&wg_count, mine);
  }
  workgroupBarrier();
  if (lid == 0u) {
    let total = atomicLoad(&wg_count);
    wg_base = select(0u, atomicAdd(&stats.appended, total), total > 0u);
  }
  at += workgroupUniformLoad(&wg_base);
  if (mine == 0u) {
    return;
  }
  for (var i = 0u; i < TABLE_QUADS_PER_THREAD; i++) {
    let quad = tile_base + i * WORKGROUP_SIZE + lid;
    let counts = table[quad];
    for (var c = 0u; c < 4u; c++) {
      if (counts[c] != 0u) {
        colors[at] = 4u * quad + c;
        weights[at] = counts[c];
        at += 1u;
      }
    }
  }
}

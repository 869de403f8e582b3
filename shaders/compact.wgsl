// compact.wgsl: the count table (count.wgsl) → the list of the U distinct colours and their counts, the weighted
// points exact k-means iterates on (docs/ARITHMETIC.md, "Weighting"). The table is indexed by Morton key, so a
// thread's 16 consecutive entries are a 4 × 2 × 2 block of neighbouring colours and a workgroup's a 16³ cube:
// colours listed next to each other are near each other and mostly share a label, which keeps assign.wgsl's shared
// atomics rare. Every entry with a non-zero count is appended once: each thread's entries
// in Morton order at its offset in the workgroup's block, each workgroup's block at an offset from one global
// counter. The order of the blocks depends on scheduling; nothing downstream depends on it (every quantity of the
// exact arithmetic is an order-free integer sum, and seeding reads the image, not this list).
//
// Bindings
//   group 0: 0 table: 2^24 u32 counts by Morton key, read as vec4u   1 stats: ColorStats (`appended` +=, cleared beforehand)
//            2 colors: u32 per colour, its sRGB colour r | g << 8 | b << 16 (written)   3 weights: u32 per colour, its count (written)
//            4 occupied: one u32 per tile, non-zero where count.wgsl saw a colour (other tiles are skipped)
//            5 keys: u32 per slot, the key | KEY_TAG of the slot's colour (hashed)   6 table_params: TableParams (uniform)
//
// One invocation: the TABLE_QUADS_PER_THREAD consecutive quads of the table from
// (t · WORKGROUP_SIZE + local_index) · TABLE_QUADS_PER_THREAD, for workgroup tile `t`.
// Dispatch: up to 2^24 / (WORKGROUP_SIZE · 4 · TABLE_QUADS_PER_THREAD) workgroups (the table's tiles), in (x, y) as
// in count.wgsl; a smaller grid strides over the tiles.

override WORKGROUP_SIZE: u32;
override TABLE_QUADS_PER_THREAD: u32;
override KEY_TAG: u32;

struct ColorStats {
  n: atomic<u32>,
  u: atomic<u32>,
  appended: atomic<u32>,
  _pad: atomic<u32>,
}

struct TableParams {
  bits: u32,
  direct: u32,
  alpha_threshold: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<storage, read> table: array<vec4u>;
@group(0) @binding(1) var<storage, read_write> stats: ColorStats;
@group(0) @binding(2) var<storage, read_write> colors: array<u32>;
@group(0) @binding(3) var<storage, read_write> weights: array<u32>;
@group(0) @binding(4) var<storage, read> occupied: array<u32>;
@group(0) @binding(5) var<storage, read> keys: array<u32>;
@group(0) @binding(6) var<uniform> table_params: TableParams;

var<workgroup> wg_count: atomic<u32>;
var<workgroup> wg_base: u32;
var<workgroup> wg_occupied: u32;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) lid: u32,
) {
  let tiles = arrayLength(&table) / (TABLE_QUADS_PER_THREAD * WORKGROUP_SIZE);
  // A grid smaller than the table's tiles (a device with few workgroups a dimension) strides over them.
  let stride = groups.x * groups.y;
  for (var tile = wid.x + wid.y * groups.x; tile < tiles; tile += stride) {
    if (lid == 0u) {
      wg_occupied = occupied[tile];
    }
    if (workgroupUniformLoad(&wg_occupied) != 0u) {
      compact_tile(tile, lid);
    }
    // wg_occupied is written again only once every thread has read it.
    workgroupBarrier();
  }
}

// @include morton

fn compact_tile(tile: u32, lid: u32) {
  if (lid == 0u) {
    atomicStore(&wg_count, 0u);
  }
  workgroupBarrier();

  let first = (tile * WORKGROUP_SIZE + lid) * TABLE_QUADS_PER_THREAD;
  var mine = 0u;
  for (var i = 0u; i < TABLE_QUADS_PER_THREAD; i++) {
    mine += dot(select(vec4u(0u), vec4u(1u), table[first + i] != vec4u(0u)), vec4u(1u));
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
  if (mine > 0u) {
    for (var i = 0u; i < TABLE_QUADS_PER_THREAD; i++) {
      let counts = table[first + i];
      for (var c = 0u; c < 4u; c++) {
        if (counts[c] != 0u) {
          let slot = 4u * (first + i) + c;
          // Direct: the slot is the key. Hashed: the key is in `keys`.
          let p = unmorton(select(keys[slot] & ~KEY_TAG, slot, table_params.direct != 0u));
          colors[at] = p.x | (p.y << 8u) | (p.z << 16u);
          weights[at] = counts[c];
          at += 1u;
        }
      }
    }
  }
  // wg_count is reset for the next tile only after every thread has read wg_base.
  workgroupBarrier();
}

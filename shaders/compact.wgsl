// compact.wgsl: the count table (count.wgsl) → the list of the U distinct colours and their counts, the weighted
// points exact k-means iterates on (docs/ARITHMETIC.md, "Weighting"). The table is walked in Morton order (the bits
// of p0, p1, p2 interleaved), so that a thread's 16 entries are a 2 × 2 × 4 block of neighbouring colours and a
// workgroup's a 16³ cube: colours listed next to each other are near each other, and mostly share a label, which
// keeps assign.wgsl's shared atomics rare. Every entry with a non-zero count is appended once: each thread's entries
// in Morton order at its offset in the workgroup's block, each workgroup's block at an offset from one global
// counter. The order of the blocks depends on scheduling; nothing downstream depends on it (every quantity of the
// exact arithmetic is an order-free integer sum, and seeding reads the image, not this list).
//
// Bindings
//   group 0: 0 table: 2^24 u32 counts, indexed by the 24-bit code   1 stats: ColorStats (`appended` +=, cleared beforehand)
//            2 colors: u32 per colour, the 24-bit code (written)   3 weights: u32 per colour, its count (written)
//
// One invocation: the 4 · TABLE_QUADS_PER_THREAD Morton indices from (t · WORKGROUP_SIZE + local_index) ·
// 4 · TABLE_QUADS_PER_THREAD of workgroup tile `t`.
// Dispatch: up to 2^24 / (WORKGROUP_SIZE · 4 · TABLE_QUADS_PER_THREAD) workgroups (the table's tiles), in (x, y) as
// in points.wgsl; a smaller grid strides over the tiles.

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

@group(0) @binding(0) var<storage, read> table: array<u32>;
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
  let tiles = arrayLength(&table) / (4u * TABLE_QUADS_PER_THREAD * WORKGROUP_SIZE);
  // A grid smaller than the table's tiles (a device with few workgroups a dimension) strides over them.
  let stride = groups.x * groups.y;
  for (var tile = wid.x + wid.y * groups.x; tile < tiles; tile += stride) {
    compact_tile(tile, lid);
  }
}

// The 24-bit code (p0 | p1 << 8 | p2 << 16) of Morton index m (bit 3i + c of m is bit i of channel c).
fn morton_code(m: u32) -> u32 {
  var code = 0u;
  for (var c = 0u; c < 3u; c++) {
    var x = (m >> c) & 0x249249u;
    x = (x | (x >> 2u)) & 0x0c30c3u;
    x = (x | (x >> 4u)) & 0x00f00fu;
    x = (x | (x >> 8u)) & 0x0000ffu;
    code |= x << (8u * c);
  }
  return code;
}

fn compact_tile(tile: u32, lid: u32) {
  if (lid == 0u) {
    atomicStore(&wg_count, 0u);
  }
  workgroupBarrier();

  let entries = 4u * TABLE_QUADS_PER_THREAD;
  let first = (tile * WORKGROUP_SIZE + lid) * entries;
  var mine = 0u;
  for (var i = 0u; i < entries; i++) {
    mine += select(0u, 1u, table[morton_code(first + i)] != 0u);
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
    for (var i = 0u; i < entries; i++) {
      let code = morton_code(first + i);
      let count = table[code];
      if (count != 0u) {
        colors[at] = code;
        weights[at] = count;
        at += 1u;
      }
    }
  }
  // wg_count is reset for the next tile only after every thread has read wg_base.
  workgroupBarrier();
}

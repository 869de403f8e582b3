// count.wgsl: counts the colours of an image's points into a table of 2^24 counters indexed by the point's 24-bit
// Morton key (points.wgsl), once per image, colour space and alpha threshold. It also totals what the plan
// needs (docs/ARITHMETIC.md): n (points), U (distinct colours: a counter that goes from 0 to 1), and the exact sums
// Σp_i and Σp_i² over every point, behind `tolFixed`. Atomic additions only, so the totals are independent of the
// order threads run in.
//
// Bindings
//   group 0: 0 table: 2^24 atomic u32 counters (cleared before the first segment)
//            1 stats: ColorStats (n, u += ; the six u64 sums as (low, high) words +=)
//            2 occupied: one u32 per compact.wgsl tile of the table, set to 1 where a colour falls (cleared before)
//   group 1 (the segment): 0 segment: SegmentParams (uniform)   1 points: vec4u per 4 pixels (see points.wgsl)
//
// One invocation: PIXELS_PER_THREAD pixels as quads, laid out as in points.wgsl.
// Dispatch: one workgroup per tile of the segment, `segment.tiles` in all, in (x, y) as in points.wgsl.

override WORKGROUP_SIZE: u32;
override PIXELS_PER_THREAD: u32;
override POINT_VALID_BIT: u32;
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

struct SegmentParams {
  pixel_count: u32,
  first_pixel: u32,
  tiles: u32,
  width: u32,
}

@group(0) @binding(0) var<storage, read_write> table: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read_write> stats: ColorStats;
@group(0) @binding(2) var<storage, read_write> occupied: array<atomic<u32>>;
@group(1) @binding(0) var<uniform> segment: SegmentParams;
@group(1) @binding(1) var<storage, read> points: array<vec4u>;

// The tile's n, u, Σp0, Σp1, Σp2, Σp0², Σp1², Σp2²: at most 4096 · 255² < 2^32 each.
var<workgroup> wg: array<atomic<u32>, 8>;

// The 8-bit point of a Morton key (points.wgsl): bit i of channel c is bit 3i + c of the key.
fn squeeze8(v: u32) -> u32 {
  var x = v & 0x249249u;
  x = (x | (x >> 2u)) & 0x0c30c3u;
  x = (x | (x >> 4u)) & 0x00f00fu;
  x = (x | (x >> 8u)) & 0x0000ffu;
  return x;
}

fn unmorton(key: u32) -> vec3u {
  return vec3u(squeeze8(key), squeeze8(key >> 1u), squeeze8(key >> 2u));
}

// The carry into the high word of a u64 whose low word was `old` before `v` was added to it.
fn carry(old: u32, v: u32) -> u32 {
  return select(0u, 1u, old > 0xffffffffu - v);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) lid: u32,
) {
  let tile = wid.x + wid.y * groups.x;
  if (tile >= segment.tiles) {
    return;
  }
  if (lid < 8u) {
    atomicStore(&wg[lid], 0u);
  }
  workgroupBarrier();

  var n = 0u;
  var u = 0u;
  var s = vec3u(0u);
  var q = vec3u(0u);
  let quads_per_thread = PIXELS_PER_THREAD / 4u;
  let tile_base = tile * quads_per_thread * WORKGROUP_SIZE;
  for (var i = 0u; i < quads_per_thread; i++) {
    let packed = points[tile_base + i * WORKGROUP_SIZE + lid];
    for (var c = 0u; c < 4u; c++) {
      let word = packed[c];
      if (((word >> POINT_VALID_BIT) & 1u) != 0u) {
        let key = word & 0xffffffu;
        if (atomicAdd(&table[key], 1u) == 0u) {
          u += 1u;
          // compact.wgsl skips the tiles of the table no colour fell in.
          atomicStore(&occupied[key / (4u * TABLE_QUADS_PER_THREAD * WORKGROUP_SIZE)], 1u);
        }
        let p = unmorton(key);
        n += 1u;
        s += p;
        q += p * p;
      }
    }
  }
  if (n > 0u) {
    atomicAdd(&wg[0], n);
    atomicAdd(&wg[1], u);
    atomicAdd(&wg[2], s.x);
    atomicAdd(&wg[3], s.y);
    atomicAdd(&wg[4], s.z);
    atomicAdd(&wg[5], q.x);
    atomicAdd(&wg[6], q.y);
    atomicAdd(&wg[7], q.z);
  }
  workgroupBarrier();

  if (lid == 0u) {
    atomicAdd(&stats.n, atomicLoad(&wg[0]));
    atomicAdd(&stats.u, atomicLoad(&wg[1]));
    let s0 = atomicLoad(&wg[2]);
    atomicAdd(&stats.s0_hi, carry(atomicAdd(&stats.s0_lo, s0), s0));
    let s1 = atomicLoad(&wg[3]);
    atomicAdd(&stats.s1_hi, carry(atomicAdd(&stats.s1_lo, s1), s1));
    let s2 = atomicLoad(&wg[4]);
    atomicAdd(&stats.s2_hi, carry(atomicAdd(&stats.s2_lo, s2), s2));
    let q0 = atomicLoad(&wg[5]);
    atomicAdd(&stats.q0_hi, carry(atomicAdd(&stats.q0_lo, q0), q0));
    let q1 = atomicLoad(&wg[6]);
    atomicAdd(&stats.q1_hi, carry(atomicAdd(&stats.q1_lo, q1), q1));
    let q2 = atomicLoad(&wg[7]);
    atomicAdd(&stats.q2_hi, carry(atomicAdd(&stats.q2_lo, q2), q2));
  }
}

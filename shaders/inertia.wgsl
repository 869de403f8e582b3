// inertia.wgsl: the exact inertia Σ d(P, c_label) over the used pixels (docs/ARITHMETIC.md), as a u64 in two u32
// words. Each distance is below 2^32; a thread adds its pixels' in a local u64, the workgroup folds its threads' into
// workgroup atomics, and one invocation per workgroup adds the tile's total to the global counter. Every addition
// detects its carry from atomicAdd's returned old value, so the total is exact and independent of thread order.
//
// Bindings
//   group 0 (the run):     0 run: RunParams (uniform: oklab)   1 centres: k × vec4u (xyz = fixed-point centre)
//                          2 counters: Counters (inertia_lo/hi +=)
//   group 1 (the segment): 0 segment: SegmentParams (uniform)   1 points: words A and B (see points.wgsl)
//                          2 labels: one u32 per 4 pixels, 8-bit labels packed little-endian
//
// One invocation: PIXELS_PER_THREAD pixels as quads, laid out as in assign.wgsl.
// Dispatch: one workgroup per tile, `segment.tiles` in all, in (x, y) as in assign.wgsl.

override WORKGROUP_SIZE: u32;
override PIXELS_PER_THREAD: u32;
override FIXED_SHIFT: u32;

override POINT_VALID_BIT: u32;

struct RunParams {
  k: u32,
  max_iter: u32,
  tol_lo: u32,
  tol_hi: u32,
  alpha_threshold: u32,
  oklab: u32,
  fixed_count: u32,
  _pad1: u32,
}

struct Counters {
  changed: atomic<u32>,
  inertia_lo: atomic<u32>,
  inertia_hi: atomic<u32>,
  _pad: atomic<u32>,
}

struct SegmentParams {
  pixel_count: u32,
  first_pixel: u32,
  tiles: u32,
  width: u32,
}

@group(0) @binding(0) var<uniform> run: RunParams;
@group(0) @binding(1) var<storage, read> centres: array<vec4u>;
@group(0) @binding(2) var<storage, read_write> counters: Counters;
@group(1) @binding(0) var<uniform> segment: SegmentParams;
@group(1) @binding(1) var<storage, read> points: array<vec4u>;
@group(1) @binding(2) var<storage, read> labels: array<u32>;

var<workgroup> wg_lo: atomic<u32>;
var<workgroup> wg_hi: atomic<u32>;

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
  if (lid == 0u) {
    atomicStore(&wg_lo, 0u);
    atomicStore(&wg_hi, 0u);
  }
  workgroupBarrier();

  var lo = 0u;
  var hi = 0u;
  let quads_per_thread = PIXELS_PER_THREAD / 4u;
  let tile_base = tile * quads_per_thread * WORKGROUP_SIZE;
  let second_half = segment.tiles * quads_per_thread * WORKGROUP_SIZE;
  for (var q = 0u; q < quads_per_thread; q++) {
    let quad = tile_base + q * WORKGROUP_SIZE + lid;
    let packed = points[quad];
    var second = vec4u(0u);
    if (run.oklab != 0u) {
      second = points[second_half + quad];
    }
    let packed_labels = labels[quad];
    for (var i = 0u; i < 4u; i++) {
      let word = packed[i];
      if (((word >> POINT_VALID_BIT) & 1u) != 0u) {
        // The point's fixed-point position, as assign.wgsl reads it.
        var x = vec3u(word & 0xffu, (word >> 8u) & 0xffu, (word >> 16u) & 0xffu) << vec3u(FIXED_SHIFT);
        if (run.oklab != 0u) {
          x = vec3u(word & 0x7fffu, (word >> 15u) & 0x7fffu, second[i]);
        }
        let c = centres[(packed_labels >> (8u * i)) & 0xffu].xyz;
        let d = select(c - x, x - c, x > c);
        let s = lo + d.x * d.x + d.y * d.y + d.z * d.z;
        hi += select(0u, 1u, s < lo);
        lo = s;
      }
    }
  }

  let old = atomicAdd(&wg_lo, lo);
  atomicAdd(&wg_hi, hi + select(0u, 1u, old > 0xffffffffu - lo));
  workgroupBarrier();

  if (lid == 0u) {
    let tile_lo = atomicLoad(&wg_lo);
    let tile_hi = atomicLoad(&wg_hi);
    let old_global = atomicAdd(&counters.inertia_lo, tile_lo);
    atomicAdd(&counters.inertia_hi, tile_hi + select(0u, 1u, old_global > 0xffffffffu - tile_lo));
  }
}

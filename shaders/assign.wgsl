// assign.wgsl: the E-step of exact k-means (docs/ARITHMETIC.md). Every point gets the nearest centre (squared
// distance in fixed point, exact in u32, ties to the lowest index); the per-cluster point counts and fixed-point sums are
// accumulated exactly, first in workgroup atomics, then into u64 global sums (two u32 words, the carry detected from
// atomicAdd's returned old value), so the result does not depend on the order threads run in.
//
// Bindings
//   group 0 (the run):     0 run: RunParams (uniform)       1 status: Status (read: `done`)
//                          2 centres: k × vec4u (xyz = fixed-point centre)
//                          3 sums: MAX_K × 8 u32 words, per cluster [count lo, hi, ΣP0 lo, hi, ΣP1 lo, hi, ΣP2 lo, hi]
//                          4 counters: Counters (`changed` += labels that differ from the stored ones)
//   group 1 (the segment): 0 segment: SegmentParams (uniform)  1 points: words A and B (see points.wgsl)
//                          2 labels: one u32 per 4 pixels, 8-bit labels packed little-endian
//
// One invocation: PIXELS_PER_THREAD pixels as PIXELS_PER_THREAD / 4 quads, quad `q` of workgroup `t` at index
// (t · PIXELS_PER_THREAD / 4 + q) · WORKGROUP_SIZE + local_index (consecutive threads read consecutive 16-byte quads).
//
// Dispatch: one workgroup per tile of WORKGROUP_SIZE · PIXELS_PER_THREAD pixels, `segment.tiles` in all, laid out
// as (x, y) with x ≤ maxComputeWorkgroupsPerDimension; tile = id.x + id.y · num_workgroups.x, spare ones return.
//
// Once the update kernel has set `status.done`, iterations batched after it return at once (no writes). With
// FINAL_E_STEP the kernel ignores `done` and only writes labels: the E-step against the final centres.

override WORKGROUP_SIZE: u32;
override PIXELS_PER_THREAD: u32;
override MAX_K: u32;
override FIXED_SHIFT: u32;
override CLUSTER_SUM_WORDS: u32;
override FINAL_E_STEP: bool;

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

struct Status {
  done: u32,
  iteration: u32,
  shift_lo: u32,
  shift_hi: u32,
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
@group(0) @binding(1) var<storage, read> status: Status;
@group(0) @binding(2) var<storage, read> centres: array<vec4u>;
@group(0) @binding(3) var<storage, read_write> sums: array<atomic<u32>>;
@group(0) @binding(4) var<storage, read_write> counters: Counters;
@group(1) @binding(0) var<uniform> segment: SegmentParams;
@group(1) @binding(1) var<storage, read> points: array<vec4u>;
@group(1) @binding(2) var<storage, read_write> labels: array<u32>;

var<workgroup> wg_centres: array<vec4u, MAX_K>;
// Per cluster [count, ΣP0, ΣP1, ΣP2] of this tile: at most 4096 · 255 · 128 < 2^27, far from overflowing a u32.
var<workgroup> wg_sums: array<atomic<u32>, MAX_K * 4u>;
var<workgroup> wg_changed: atomic<u32>;
var<workgroup> wg_done: u32;

// A point's position in fixed point, from its words A and B (points.wgsl): RGB bytes scaled by 2^FIXED_SHIFT, or the
// OKLab code as it is.
fn position(a: u32, b: u32) -> vec3u {
  if (run.oklab != 0u) {
    return vec3u(a & 0x7fffu, (a >> 15u) & 0x7fffu, b);
  }
  return vec3u(a & 0xffu, (a >> 8u) & 0xffu, (a >> 16u) & 0xffu) << vec3u(FIXED_SHIFT);
}

// The nearest centre to each of four points; a tie keeps the lower index. Squared distances are exact in u32:
// a difference taken modulo 2^32 squares to the true square (below 2^30), and three of them sum to less than
// 3 · (255 · 128)² < 2^32 - 1, so the first centre always replaces the initial `best`. Four points per centre
// load, branch-free, to keep the SIMD lanes busy.
fn nearest4(x0: vec3u, x1: vec3u, x2: vec3u, x3: vec3u, k: u32) -> vec4u {
  var best = vec4u(0xffffffffu);
  var best_j = vec4u(0u);
  for (var j = 0u; j < k; j++) {
    let c = wg_centres[j].xyz;
    let d0 = x0 - c;
    let d1 = x1 - c;
    let d2 = x2 - c;
    let d3 = x3 - c;
    let dist = vec4u(dot(d0, d0), dot(d1, d1), dot(d2, d2), dot(d3, d3));
    let closer = dist < best;
    best = select(best, dist, closer);
    best_j = select(best_j, vec4u(j), closer);
  }
  return best_j;
}

fn add_to_tile(j: u32, count: u32, sum: vec3u) {
  atomicAdd(&wg_sums[4u * j], count);
  atomicAdd(&wg_sums[4u * j + 1u], sum.x);
  atomicAdd(&wg_sums[4u * j + 2u], sum.y);
  atomicAdd(&wg_sums[4u * j + 3u], sum.z);
}

// Adds `v` to the u64 whose low word is sums[i] and high word sums[i + 1]. The addition wrapped exactly when the old
// low word exceeds 2^32 - 1 - v; the carry then goes to the high word. Commutative, so the order of workgroups does
// not matter, and a reader after the dispatch sees the exact total.
fn add_u64(i: u32, v: u32) {
  let old = atomicAdd(&sums[i], v);
  if (old > 0xffffffffu - v) {
    atomicAdd(&sums[i + 1u], 1u);
  }
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
  if (lid == 0u) {
    wg_done = status.done;
  }
  if (workgroupUniformLoad(&wg_done) != 0u && !FINAL_E_STEP) {
    return;
  }

  let k = run.k;
  for (var j = lid; j < k; j += WORKGROUP_SIZE) {
    wg_centres[j] = centres[j];
    for (var w = 0u; w < 4u; w++) {
      atomicStore(&wg_sums[4u * j + w], 0u);
    }
  }
  if (lid == 0u) {
    atomicStore(&wg_changed, 0u);
  }
  workgroupBarrier();

  // Neighbouring pixels often share a label: a thread sums its run of equal labels and touches the shared
  // atomics only when the label changes.
  var run_label = 0u;
  var run_count = 0u;
  var run_sum = vec3u(0u);
  var changed = 0u;
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
    let x = array<vec3u, 4>(
      position(packed.x, second.x), position(packed.y, second.y), position(packed.z, second.z), position(packed.w, second.w),
    );
    let nearest = nearest4(x[0], x[1], x[2], x[3], k);
    let valid = ((packed >> vec4u(POINT_VALID_BIT)) & vec4u(1u)) == vec4u(1u);
    // Left-out pixels keep label 0 in the packed word; the host marks them -1 from their alpha.
    let labels4 = select(vec4u(0u), nearest, valid);
    let out = labels4.x | (labels4.y << 8u) | (labels4.z << 16u) | (labels4.w << 24u);
    let valid_mask = dot(select(vec4u(0u), vec4u(1u), valid), vec4u(0xffu, 0xff00u, 0xff0000u, 0xff000000u));
    if (!FINAL_E_STEP) {
      for (var i = 0u; i < 4u; i++) {
        if (valid[i]) {
          let j = labels4[i];
          if (j != run_label && run_count > 0u) {
            add_to_tile(run_label, run_count, run_sum);
            run_count = 0u;
            run_sum = vec3u(0u);
          }
          run_label = j;
          run_count += 1u;
          run_sum += x[i];
        }
      }
      let differs = (labels[quad] ^ out) & valid_mask;
      for (var i = 0u; i < 4u; i++) {
        changed += select(0u, 1u, ((differs >> (8u * i)) & 0xffu) != 0u);
      }
    }
    labels[quad] = out;
  }
  if (FINAL_E_STEP) {
    return;
  }
  if (run_count > 0u) {
    add_to_tile(run_label, run_count, run_sum);
  }
  if (changed > 0u) {
    atomicAdd(&wg_changed, changed);
  }
  workgroupBarrier();

  for (var j = lid; j < k; j += WORKGROUP_SIZE) {
    let count = atomicLoad(&wg_sums[4u * j]);
    if (count == 0u) {
      continue;
    }
    add_u64(CLUSTER_SUM_WORDS * j, count);
    for (var c = 0u; c < 3u; c++) {
      add_u64(CLUSTER_SUM_WORDS * j + 2u + 2u * c, atomicLoad(&wg_sums[4u * j + 1u + c]));
    }
  }
  if (lid == 0u) {
    let n = atomicLoad(&wg_changed);
    if (n > 0u) {
      atomicAdd(&counters.changed, n);
    }
  }
}

// positions.wgsl: the distinct colours' positions, the fixed-point points exact k-means clusters (docs/ARITHMETIC.md),
// once per colour list and colour space (the same list serves RGB and OKLab):
//   RGB:   (r, g, b) · 2^FIXED_SHIFT.
//   OKLab: the integer fixed-point OKLab code: linear light from the uploaded table `lin`, LMS = M1q · lin, an integer
//          cube root with CBRT_FRACTION_BITS fractional bits (floor by binary search, then one integer Newton step),
//          Lab = M2q · q in i32, then each axis scaled to 255 · 2^FIXED_SHIFT per unit with rounding half up, a and b
//          offset by AB_OFFSET. One code per sRGB colour.
// Each axis fits 15 bits; a colour's position is two words: P0 | P1 << 15, and P2.
// With them, what the tolerance needs (docs/ARITHMETIC.md): Σ w·P_c and Σ w·P_c² over the colours, each an exact u64,
// added by every invocation into `channel_sums` (so the plan reads 48 bytes, never the list).
//
// Bindings
//   group 0: 0 params: PositionsParams (uniform: oklab, tiles)   1 lin: 256 u32   2 m1q: 9 i32   3 m2q: 9 i32
//   group 1: 0 colors: u32 per colour (r | g << 8 | b << 16, compact.wgsl)   1 positions: vec2u per colour (written)
//            2 weights: u32 per colour (0 = padding)   3 channel_sums: 12 u32, cleared beforehand: [Σw·P0, Σw·P1,
//              Σw·P2, Σw·P0², Σw·P1², Σw·P2²] as u64 (low, high)
//
// One invocation: COLORS_PER_THREAD consecutive colours of tile `t` from (t · WORKGROUP_SIZE + local_index) ·
// COLORS_PER_THREAD, as in assign.wgsl. Dispatch: one workgroup per colour tile (`params.tiles`), in (x, y).

override WORKGROUP_SIZE: u32;
override COLORS_PER_THREAD: u32;
override CBRT_FRACTION_BITS: u32;
override LAB_SHIFT: u32;
override CODE_SHIFT: u32;
override AB_OFFSET: i32;
override FIXED_SHIFT: u32;

struct PositionsParams {
  oklab: u32,
  tiles: u32,
  colors: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: PositionsParams;
@group(0) @binding(1) var<storage, read> lin: array<u32>;
@group(0) @binding(2) var<storage, read> m1q: array<i32>;
@group(0) @binding(3) var<storage, read> m2q: array<i32>;
@group(1) @binding(0) var<storage, read> colors: array<u32>;
@group(1) @binding(1) var<storage, read_write> positions: array<vec2u>;
@group(1) @binding(2) var<storage, read> weights: array<u32>;
@group(1) @binding(3) var<storage, read_write> channel_sums: array<atomic<u32>, 12>;

// @include u64

// Adds the u64 `v` to channel_sums[2i] (low) and [2i + 1] (high).
fn add_sum(i: u32, v: vec2u) {
  let old = atomicAdd(&channel_sums[2u * i], v.x);
  let hi = v.y + select(0u, 1u, old > 0xffffffffu - v.x);
  if (hi != 0u) {
    atomicAdd(&channel_sums[2u * i + 1u], hi);
  }
}

// floor(cbrt(x)) · 2^CBRT_FRACTION_BITS plus one integer Newton step, for x ≤ 2^30 (so r ≤ 1024 and r³ < 2^32).
fn cbrt_fixed(x: u32) -> u32 {
  var lo = 0u;
  var hi = 1025u;
  // Invariant lo³ ≤ x < hi³; eleven halvings close a gap of 1025.
  for (var step = 0u; step < 11u; step++) {
    let mid = (lo + hi) / 2u;
    if (mid * mid * mid <= x) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  let r = lo;
  let denominator = max(1u, 3u * r * r);
  return (r << CBRT_FRACTION_BITS) + ((x - r * r * r) << CBRT_FRACTION_BITS) / denominator;
}

fn to_code(t: i32, offset: i32) -> u32 {
  let v = ((t * 255 + (1i << (CODE_SHIFT - 1u))) >> CODE_SHIFT) + offset;
  return u32(clamp(v, 0, 255i << FIXED_SHIFT));
}

fn oklab_fixed(rgb: vec3u) -> vec3u {
  let l = vec3i(i32(lin[rgb.x]), i32(lin[rgb.y]), i32(lin[rgb.z]));
  // M1q is positive with rows summing to 2^14, so each LMS value is at most 2^14 · 65535 < 2^30.
  var q: vec3i;
  for (var row = 0u; row < 3u; row++) {
    let lms = m1q[3u * row] * l.x + m1q[3u * row + 1u] * l.y + m1q[3u * row + 2u] * l.z;
    q[row] = i32(cbrt_fixed(u32(lms)));
  }
  var code: vec3u;
  for (var row = 0u; row < 3u; row++) {
    // |Lab| < 2^31 for every sRGB colour; >> on i32 is the arithmetic shift the CPU twin uses.
    let lab = m2q[3u * row] * q.x + m2q[3u * row + 1u] * q.y + m2q[3u * row + 2u] * q.z;
    code[row] = to_code(lab >> LAB_SHIFT, select(AB_OFFSET, 0, row == 0u));
  }
  return code;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) lid: u32,
) {
  let tile = wid.x + wid.y * groups.x;
  if (tile >= params.tiles) {
    return;
  }
  let first = (tile * WORKGROUP_SIZE + lid) * COLORS_PER_THREAD;
  // This invocation's Σ w·P and Σ w·P² per channel (P² < 2^30, w < 2^30: each product fits a u64, and so do the sums
  // of an image's points).
  var s = array<vec2u, 6>();
  // Only the list's colours: the padding after them (weight 0) is never read as a position.
  let n = min(COLORS_PER_THREAD, params.colors - min(first, params.colors));
  for (var i = 0u; i < n; i++) {
    let word = colors[first + i];
    let rgb = vec3u(word & 0xffu, (word >> 8u) & 0xffu, (word >> 16u) & 0xffu);
    var p = rgb << vec3u(FIXED_SHIFT);
    if (params.oklab != 0u) {
      p = oklab_fixed(rgb);
    }
    positions[first + i] = vec2u(p.x | (p.y << 15u), p.z);
    let w = weights[first + i];
    s[0] = add64(s[0], mul_wide(w, p.x));
    s[1] = add64(s[1], mul_wide(w, p.y));
    s[2] = add64(s[2], mul_wide(w, p.z));
    s[3] = add64(s[3], mul_wide(w, p.x * p.x));
    s[4] = add64(s[4], mul_wide(w, p.y * p.y));
    s[5] = add64(s[5], mul_wide(w, p.z * p.z));
  }
  for (var c = 0u; c < 6u; c++) {
    if (any(s[c] != vec2u(0u))) {
      add_sum(c, s[c]);
    }
  }
}

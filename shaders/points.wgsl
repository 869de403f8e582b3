// points.wgsl: RGBA8 pixels → the points exact k-means clusters (docs/ARITHMETIC.md), once per image and colour
// space. A pixel whose alpha is below `run.alpha_threshold`, or that only pads the segment to whole tiles, is not a
// point: its word has the valid bit clear and every other kernel skips it.
//   RGB:   the point is the pixel's (r, g, b); its position is (r, g, b) · 2^FIXED_SHIFT.
//   OKLab: the integer fixed-point OKLab code, which is its position: linear light from the uploaded table `lin`,
//          LMS = M1q · lin, an integer cube root with CBRT_FRACTION_BITS fractional bits (floor by binary search,
//          then one integer Newton step), Lab = M2q · q in i32, then each axis scaled to 255 · 2^FIXED_SHIFT per unit
//          with rounding half up, a and b offset by AB_OFFSET. Each axis fits 15 bits.
// Two words per pixel: word A in the first half of the segment's buffer, word B at the same index in the second half
// (`second_half`).
//   RGB:   A = r | g << 8 | b << 16 | valid << POINT_VALID_BIT;   B unused (not written)
//   OKLab: A = P0 | P1 << 15 | valid << POINT_VALID_BIT;           B = P2
//
// Bindings
//   group 0: 0 run: RunParams (uniform: alpha_threshold, oklab)   1 lin: 256 u32   2 m1q: 9 i32   3 m2q: 9 i32
//   group 1: 0 segment: SegmentParams (uniform)   1 pixels: vec4u per 4 pixels (RGBA8, r in the low byte)
//            2 points: vec4u per 4 pixels, twice (words A, then words B; written)
//
// One invocation: PIXELS_PER_THREAD pixels as quads, laid out as in assign.wgsl.
// Dispatch: one workgroup per tile, `segment.tiles` in all, in (x, y) as in assign.wgsl.

override WORKGROUP_SIZE: u32;
override PIXELS_PER_THREAD: u32;
override CBRT_FRACTION_BITS: u32;
override LAB_SHIFT: u32;
override CODE_SHIFT: u32;
override AB_OFFSET: i32;
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

struct SegmentParams {
  pixel_count: u32,
  first_pixel: u32,
  tiles: u32,
  width: u32,
}

@group(0) @binding(0) var<uniform> run: RunParams;
@group(0) @binding(1) var<storage, read> lin: array<u32>;
@group(0) @binding(2) var<storage, read> m1q: array<i32>;
@group(0) @binding(3) var<storage, read> m2q: array<i32>;
@group(1) @binding(0) var<uniform> segment: SegmentParams;
@group(1) @binding(1) var<storage, read> pixels: array<vec4u>;
@group(1) @binding(2) var<storage, read_write> points: array<vec4u>;

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
  if (tile >= segment.tiles) {
    return;
  }
  let quads_per_thread = PIXELS_PER_THREAD / 4u;
  let tile_base = tile * quads_per_thread * WORKGROUP_SIZE;
  let second_half = segment.tiles * quads_per_thread * WORKGROUP_SIZE;
  for (var q = 0u; q < quads_per_thread; q++) {
    let quad = tile_base + q * WORKGROUP_SIZE + lid;
    let rgba = pixels[quad];
    var a = vec4u(0u);
    var b = vec4u(0u);
    for (var i = 0u; i < 4u; i++) {
      let word = rgba[i];
      let inside = 4u * quad + i < segment.pixel_count;
      if (inside && (word >> 24u) >= run.alpha_threshold) {
        if (run.oklab != 0u) {
          let p = oklab_fixed(vec3u(word & 0xffu, (word >> 8u) & 0xffu, (word >> 16u) & 0xffu));
          a[i] = p.x | (p.y << 15u) | (1u << POINT_VALID_BIT);
          b[i] = p.z;
        } else {
          a[i] = (word & 0xffffffu) | (1u << POINT_VALID_BIT);
        }
      }
    }
    points[quad] = a;
    if (run.oklab != 0u) {
      points[second_half + quad] = b;
    }
  }
}

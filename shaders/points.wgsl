// points.wgsl: RGBA8 pixels → one key word per pixel, once per image and alpha threshold: the pixel's sRGB colour as
// a 24-bit Morton key (the bits of r, g, b interleaved: see `morton`), so that keys close together are colours close
// together (count.wgsl's table and the colour list are in this order), and the valid bit. A pixel whose alpha is
// below `run.alpha_threshold`, or that only pads the segment to whole tiles, is not a point: its valid bit is clear
// and every other kernel skips it. Positions (RGB or OKLab, docs/ARITHMETIC.md) are computed per distinct colour, not
// per pixel (positions.wgsl).
//
// Bindings
//   group 0: 0 run: PointsParams (uniform: alpha_threshold)
//   group 1: 0 segment: SegmentParams (uniform)   1 pixels: vec4u per 4 pixels (RGBA8, r in the low byte)
//            2 points: vec4u per 4 pixels (written)
//
// One invocation: PIXELS_PER_THREAD pixels as PIXELS_PER_THREAD / 4 quads, quad `q` of workgroup `t` at index
// (t · PIXELS_PER_THREAD / 4 + q) · WORKGROUP_SIZE + local_index (consecutive threads read consecutive 16-byte quads).
// Dispatch: one workgroup per tile of WORKGROUP_SIZE · PIXELS_PER_THREAD pixels, `segment.tiles` in all, laid out
// as (x, y) with x ≤ maxComputeWorkgroupsPerDimension; tile = id.x + id.y · num_workgroups.x, spare ones return.

override WORKGROUP_SIZE: u32;
override PIXELS_PER_THREAD: u32;
override POINT_VALID_BIT: u32;

struct PointsParams {
  alpha_threshold: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

struct SegmentParams {
  pixel_count: u32,
  first_pixel: u32,
  tiles: u32,
  width: u32,
}

@group(0) @binding(0) var<uniform> run: PointsParams;
@group(1) @binding(0) var<uniform> segment: SegmentParams;
@group(1) @binding(1) var<storage, read> pixels: array<vec4u>;
@group(1) @binding(2) var<storage, read_write> points: array<vec4u>;

// @include morton

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
  for (var q = 0u; q < quads_per_thread; q++) {
    let quad = tile_base + q * WORKGROUP_SIZE + lid;
    let rgba = pixels[quad];
    var out = vec4u(0u);
    for (var i = 0u; i < 4u; i++) {
      let word = rgba[i];
      let inside = 4u * quad + i < segment.pixel_count;
      if (inside && (word >> 24u) >= run.alpha_threshold) {
        out[i] = morton(word) | (1u << POINT_VALID_BIT);
      }
    }
    points[quad] = out;
  }
}

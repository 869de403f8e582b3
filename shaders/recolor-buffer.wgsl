// recolor-buffer.wgsl: every pixel replaced by its centre's colour, into a storage buffer of RGBA8 words (r in the
// low byte: the layout of an ImageData, and of an rgba8unorm texture a copyBufferToTexture can fill). Pixels left
// out of the clustering (alpha below the threshold) become transparent black.
//
// pixel → colour key → label (lut.wgsl's table) → palette, all on the device.
//
// Bindings
//   group 0: 0 palette: k u32, each centre as RGBA8 with alpha 255 (computed on the CPU from the result)
//            1 lut: the colour table (color-table.ts): the label of each colour that occurs, at its slot (lut.wgsl)
//            2 keys: the hashed table's keys   3 table_params: TableParams (uniform)
//   group 1: 0 segment: SegmentParams (uniform)   1 pixels: vec4u per 4 pixels (RGBA8, r in the low byte)
//            2 out: u32 per pixel (written)
//
// One invocation: PIXELS_PER_THREAD pixels as quads, laid out as in count.wgsl.
// Dispatch: one workgroup per tile, `segment.tiles` in all, in (x, y) as in count.wgsl. `out` is bound at the
// segment's first pixel; the quads past the segment's last pixel (the padding of its last tile) are not written, so
// `out` needs to hold only the image's pixels.

override WORKGROUP_SIZE: u32;
override KEY_TAG: u32;
override PIXELS_PER_THREAD: u32;

struct TableParams {
  bits: u32,
  direct: u32,
  alpha_threshold: u32,
  _pad1: u32,
}

struct SegmentParams {
  pixel_count: u32,
  first_pixel: u32,
  tiles: u32,
  width: u32,
}

@group(0) @binding(0) var<storage, read> palette: array<u32>;
@group(0) @binding(1) var<storage, read> lut: array<u32>;
@group(0) @binding(2) var<storage, read> keys: array<u32>;
@group(0) @binding(3) var<uniform> table_params: TableParams;
@group(1) @binding(0) var<uniform> segment: SegmentParams;
@group(1) @binding(1) var<storage, read> pixels: array<vec4u>;
@group(1) @binding(2) var<storage, read_write> out: array<u32>;

// @include find-slot
// @include morton
// @include pixel-key

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
    for (var i = 0u; i < 4u; i++) {
      let pixel = 4u * quad + i;
      if (pixel < segment.pixel_count) {
        var colour = 0u;
        let key = pixel_key(rgba[i], pixel);
        if (key != NOT_A_POINT) {
          colour = palette[lut[find_slot(key)]];
        }
        out[pixel] = colour;
      }
    }
  }
}

// recolor-texture.wgsl: every pixel replaced by its centre's colour, into an rgba8unorm storage texture of the
// image's size (a canvas configured with format 'rgba8unorm' and STORAGE_BINDING usage can take it as is, or a
// copyTextureToTexture moves it there). Pixels left out of the clustering (alpha below the threshold) become
// transparent black. pixel → colour key → label (lut.wgsl's table) → palette, all on the device.
//
// Bindings
//   group 0: 0 palette: k u32, each centre as RGBA8 with alpha 255 (computed on the CPU from the result)
//            1 lut: the colour table (color-table.ts): the label of each colour that occurs, at its slot (lut.wgsl)
//            2 out_image: texture_storage_2d<rgba8unorm, write>, width × height of the image
//            3 keys: the hashed table's keys   4 table_params: TableParams (uniform)
//   group 1: 0 segment: SegmentParams (uniform: first_pixel and width place a pixel in the texture)
//            1 pixels: vec4u per 4 pixels (RGBA8, r in the low byte)
//
// One invocation: PIXELS_PER_THREAD pixels as quads, laid out as in count.wgsl.
// Dispatch: one workgroup per tile, `segment.tiles` in all, in (x, y) as in count.wgsl.

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
@group(0) @binding(2) var out_image: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(3) var<storage, read> keys: array<u32>;
@group(0) @binding(4) var<uniform> table_params: TableParams;
@group(1) @binding(0) var<uniform> segment: SegmentParams;
@group(1) @binding(1) var<storage, read> pixels: array<vec4u>;

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
        var colour = vec4f(0.0);
        let key = pixel_key(rgba[i], pixel);
        if (key != NOT_A_POINT) {
          colour = unpack4x8unorm(palette[lut[find_slot(key)]]);
        }
        let global = segment.first_pixel + pixel;
        textureStore(out_image, vec2u(global % segment.width, global / segment.width), colour);
      }
    }
  }
}

// lut.wgsl: one run's labels of the distinct colours → a table from each colour's Morton key (lib/morton.wgsl) to its
// label (the count table's storage, reused), so that per-pixel kernels (recolour, labels) find a pixel's label with one load:
// pixel → point code → label → palette.
//
// Bindings (group 0): 0 params: LutParams (uniform: the run's first label word, the colour tiles)
//   1 colors: vec4u per 4 colours (codes p0 | p1 << 8 | p2 << 16)   2 weights: vec4u per 4 colours (0 = padding)
//   3 labels: u32 words, 8-bit labels packed little-endian, the run's from `label_base`
//   4 lut: the colour table (color-table.ts), written at the slots of the colours that occur (other slots are never read)
//   5 keys: the hashed table's keys (read)   6 table_params: TableParams (uniform)
//
// One invocation: COLORS_PER_THREAD colours as quads, laid out as in assign.wgsl.
// Dispatch: one workgroup per colour tile (`params.tiles`), in (x, y) as in assign.wgsl.

override WORKGROUP_SIZE: u32;
override KEY_TAG: u32;
override COLORS_PER_THREAD: u32;

// @include morton

struct TableParams {
  bits: u32,
  direct: u32,
  alpha_threshold: u32,
  _pad1: u32,
}

struct LutParams {
  label_base: u32,
  tiles: u32,
  colors: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: LutParams;
@group(0) @binding(1) var<storage, read> colors: array<vec4u>;
@group(0) @binding(2) var<storage, read> weights: array<vec4u>;
@group(0) @binding(3) var<storage, read> labels: array<u32>;
@group(0) @binding(4) var<storage, read_write> lut: array<u32>;
@group(0) @binding(5) var<storage, read> keys: array<u32>;
@group(0) @binding(6) var<uniform> table_params: TableParams;

// @include find-slot

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
  let quads_per_thread = COLORS_PER_THREAD / 4u;
  let tile_base = tile * quads_per_thread * WORKGROUP_SIZE;
  // Only the quads that hold colours of the list (a loop's trip count is what skips work on a software adapter).
  let first_quad = tile_base + lid * quads_per_thread;
  let list_quads = (params.colors + 3u) / 4u;
  let n = min(quads_per_thread, list_quads - min(first_quad, list_quads));
  for (var q = 0u; q < n; q++) {
    let quad = first_quad + q;
    let codes = colors[quad];
    let w4 = weights[quad];
    let packed = labels[params.label_base + quad];
    for (var i = 0u; i < 4u; i++) {
      if (w4[i] != 0u) {
        let code = codes[i];
        lut[find_slot(morton(code))] = (packed >> (8u * i)) & 0xffu;
      }
    }
  }
}
